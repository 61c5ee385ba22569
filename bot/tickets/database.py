"""Engine creation and schema migrations (Alembic), for SQLite and PostgreSQL alike."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

from bot.settings import hotline_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 12345_0002   # any constant shared by every process of this project


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the action server write while the CLI reads; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: Optional[str] = None) -> Engine:
    """hide_parameters: a database error's text would otherwise quote the row it was writing
    (phones, names, descriptions) into whatever log prints it."""
    url = url or hotline_settings().database_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the newest revision; safe to call on every start, from several processes."""
    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild a table (copy, drop, rename). With foreign keys on, dropping
            # the old tickets table would cascade-delete every ticket's history. The pragma only
            # works outside a transaction, hence before begin().
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    # Two processes starting at once (action server, web server) must not both
                    # create the tables: the second waits here, then finds the schema current.
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def open_store(url: Optional[str] = None):
    """The ticket store on the configured database (or `url`), migrated: the one way every process
    (action server, web server, CLI) opens it."""
    from bot.tickets.store import TicketStore
    engine = make_engine(url)
    migrate(engine)
    return TicketStore(engine)
