"""A PostgreSQL database for the tests, never touching data the tests did not create.

Uses a running server when one accepts us (HOTLINE_TEST_POSTGRES_URL, or 127.0.0.1:5432 as the
postgres user with trust authentication, as on this project's machines) and creates a database of
its own there; otherwise starts a private server from the installed binaries on a free port in a
temporary folder. Either way everything is removed afterwards.
"""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from typing import Iterator, Optional

import psycopg

from hotline.stack import free_port

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _try_connect(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextlib.contextmanager
def _database_on(admin_url: str) -> Iterator[str]:
    name = f"hotline_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    try:
        yield _sqlalchemy_url(f"{base}/{name}")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_bin(tool: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    if not found:
        raise RuntimeError("没有找到 PostgreSQL 服务器程序（initdb）。请运行 make test-deps 或 apt-get install postgresql")
    return found[-1]


@contextlib.contextmanager
def _private_server() -> Iterator[str]:
    """initdb + pg_ctl in a temporary folder, as the postgres user when running as root."""
    folder = tempfile.mkdtemp(prefix="hotline-pg-")
    port = free_port()
    as_user = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(folder, "data")
    run = lambda *cmd: subprocess.run(as_user + list(cmd), check=True, capture_output=True)  # noqa: E731
    run(_pg_bin("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    run(_pg_bin("pg_ctl"), "-D", data, "-w", "-l", os.path.join(folder, "log"),
        "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(_pg_bin("pg_ctl"), "-D", data, "-m", "fast", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty database, dropped afterwards."""
    admin_url: Optional[str] = os.environ.get("HOTLINE_TEST_POSTGRES_URL")
    if admin_url is None and _try_connect(DEFAULT_ADMIN_URL):
        admin_url = DEFAULT_ADMIN_URL
    if admin_url:
        with _database_on(admin_url) as url:
            yield url
        return
    with _private_server() as server_url, _database_on(server_url) as url:
        yield url
