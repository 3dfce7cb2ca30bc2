"""The one settings class: environment variables prefixed `BRIEFBOT_` and an optional `.env`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def default_database_url() -> str:
    """A SQLite file in the user's data directory: no server needed."""
    return f"sqlite:///{Path(user_data_dir('briefbot')) / 'briefbot.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIEFBOT_", env_file=".env", extra="ignore")

    token: SecretStr | None = None
    admins: Annotated[frozenset[int], NoDecode] = frozenset()
    database_url: str = Field(default_factory=default_database_url)
    api_base_url: str | None = None
    default_time: dt.time = dt.time(8, 0)
    default_timezone: str = "UTC"
    templates_dir: Path | None = None
    grace_minutes: int = 120
    rate_per_second: float = 30.0
    feeds_poll_minutes: int = 30
    allow_private_urls: bool = False
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        # "1, 2,3" from the environment; a list or set from code.
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        if isinstance(value, int):
            return frozenset({value})
        return value
