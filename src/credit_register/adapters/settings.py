"""Settings read from the environment (or ``.env``), and a message naming the one that is wrong.

A scheduled job is configured through ``CREDIT_REGISTER_*`` variables; a typo there
(``CREDIT_REGISTER_SMTP_PORT=abc``) must end in a message that names the variable and the value,
never in "internal error". ``FileSettings`` holds the file door's own: how long a second writer
waits for the first, and how many backups are kept.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from credit_register.adapters import register_lock
from credit_register.core.port import WorkbookError

SettingsT = TypeVar("SettingsT", bound=BaseSettings)


class FileSettings(BaseSettings):
    """``CREDIT_REGISTER_WAIT_SECONDS`` and ``CREDIT_REGISTER_BACKUPS``."""

    model_config = SettingsConfigDict(
        env_prefix="CREDIT_REGISTER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    #: how long a second writer of one register waits for the first before it is refused
    wait_seconds: float = Field(default=register_lock.DEFAULT_WAIT_SECONDS, ge=0, le=86_400)
    #: how many time-stamped backups of the register are kept beside it
    backups: int = Field(default=register_lock.DEFAULT_BACKUPS, ge=1, le=1_000)


def settings_problem(exc: ValidationError, prefix: str) -> str:
    """Each wrong setting by its variable name, its value and why, in both languages.

    >>> try:
    ...     FileSettings(backups="abc")
    ... except ValidationError as exc:
    ...     print(settings_problem(exc, "CREDIT_REGISTER_").split(" (")[0])
    设置有误：CREDIT_REGISTER_BACKUPS='abc'
    """
    named = []
    for error in exc.errors():
        field = "_".join(str(part) for part in error.get("loc", ())) or "?"
        value = error.get("input")
        shown = "" if isinstance(value, dict) else f"={str(value)[:60]!r}"
        named.append((f"{prefix}{field.upper()}{shown}", str(error.get("msg", ""))))
    zh = "；".join(name for name, _ in named)
    en = "; ".join(f"{name}: {why}" for name, why in named)
    return f"设置有误：{zh} (bad setting: {en})"


def load_settings(kind: type[SettingsT], prefix: str) -> SettingsT:
    """``kind()`` from the environment, or a ``WorkbookError`` naming each wrong variable."""
    try:
        return kind()
    except ValidationError as exc:
        raise WorkbookError(settings_problem(exc, prefix)) from None


def file_settings() -> FileSettings:
    """The file door's settings (see :class:`FileSettings`)."""
    return load_settings(FileSettings, "CREDIT_REGISTER_")
