"""`make test` on a machine without a PostgreSQL server starts a private one: prove that path works
here too (this machine has a server, so the fixtures would otherwise never take it)."""
import os
import tempfile

import psycopg

from tests.support.postgres import _database_on, _private_server


def test_a_private_server_is_started_used_and_removed():
    with _private_server() as admin_url:
        folder_port = admin_url.rsplit(":", 1)[1]
        with _database_on(admin_url) as url:
            with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
                conn.execute("CREATE TABLE probe (id int)")
                assert conn.execute("SELECT count(*) FROM probe").fetchone() == (0,)
    # The server is gone and its folder removed: nothing is left behind.
    try:
        psycopg.connect(admin_url, connect_timeout=2).close()
        raise AssertionError(f"the private server on {folder_port} is still running")
    except psycopg.OperationalError:
        pass
    assert not [d for d in os.listdir(tempfile.gettempdir()) if d.startswith("hotline-pg-")]
