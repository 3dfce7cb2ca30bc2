"""Alembic, configured in code: migrations ship inside the package, no `alembic.ini` needed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

# A file path next to this package, so it works from a source tree and from an installed wheel.
SCRIPT_LOCATION = str(Path(__file__).resolve().parent.parent / "migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """A config pointing at the packaged migrations; `connection` is used by `env.py` when given."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")
