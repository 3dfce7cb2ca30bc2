"""The one settings class: environment variables prefixed `BRIEFBOT_` and an optional `.env`.

Every value is checked when the settings are built, so a bad one stops the process at start-up
with one line naming the variable (`settings_problems`), instead of failing later on every call.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path
from typing import Annotated

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator
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
    grace_minutes: int = Field(default=120, ge=0)
    rate_per_second: float = Field(default=30.0, gt=0, le=100_000)
    # How long a delivery claim outlives its worker's last renewal (renewed every third of it).
    lease_seconds: int = Field(default=300, ge=3, le=86_400)
    feeds_poll_minutes: int = Field(default=30, ge=0)
    allow_private_urls: bool = False
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    # Default: next to a SQLite database, else in the user's data folder (briefings/heartbeat.py).
    heartbeat_file: Path | None = None

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        # "1, 2,3" from the environment; a list or set from code.
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            bad = [part for part in parts if not part.isascii() or not part.isdigit()]
            if bad:
                raise ValueError(f"not a Telegram user id: {bad[0][:40]!r} (give numbers, comma-separated)")
            return frozenset(int(part) for part in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("default_time", mode="before")
    @classmethod
    def _check_time(cls, value: object) -> object:
        if isinstance(value, str):
            match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*", value)
            try:
                if match is None:
                    raise ValueError(value)
                return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
            except ValueError:
                raise ValueError(f"not a time of day (HH:MM, 00:00 to 23:59): {value[:40]!r}") from None
        return value

    @field_validator("default_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        # Checked here: an unknown zone would otherwise be accepted and break every /start.
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value[:60]!r} (use an IANA name such as "
                             "Europe/London or UTC)") from None
        return value


_SECRET_FIELDS = frozenset({"token", "webhook_secret", "database_url"})


def settings_problems(error: ValidationError) -> list[str]:
    """One line per bad setting, named as its environment variable; secrets are never echoed."""
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else "settings"
        message = str(problem["msg"]).removeprefix("Value error, ")
        shown = problem.get("input")
        if field not in _SECRET_FIELDS and problem["type"] != "value_error" and isinstance(shown, str | int):
            message = f"{message} (got {str(shown)[:40]!r})"
        lines.append(f"BRIEFBOT_{field.upper()}: {message}")
    return lines
