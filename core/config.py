"""Settings, read once from ``ALLWORK_*`` environment variables.

Every setting has a safe default so one machine needs nothing else; scale-out parts
(PostgreSQL, Redis, TURN) are chosen here, never by code changes. Parsing is strict:
a bad value stops start-up with a message that names the variable. Every field is
documented in docs/configuration.md (a test keeps the two in step).
"""

from __future__ import annotations

import os
import secrets
from email.utils import parseaddr
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "ALLWORK_"


class ConfigError(Exception):
    """A setting could not be parsed; the message names the environment variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    # --- storage -------------------------------------------------------------------------------
    data_dir: Path = Field(default=Path("data"), description="Folder for the SQLite file, recordings, keys.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; unset means SQLite in the data folder."
    )
    redis_url: str | None = Field(
        default=None, description="Redis URL; unset means the in-process broker and worker pool."
    )
    secret_key: SecretStr | None = Field(
        default=None, description="Signs cookies and tokens; unset means generated once into the data folder."
    )

    # --- web -----------------------------------------------------------------------------------
    host: str = Field(default="127.0.0.1", description="Address `allwork serve` listens on.")
    port: int = Field(default=8080, ge=1, le=65535, description="Port `allwork serve` listens on.")
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Largest request body accepted outside uploads."
    )
    cookie_secure: bool = Field(default=False, description="Send the session cookie over HTTPS only.")
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks of proxies whose X-Forwarded-For is believed.",
    )
    session_max_age: int = Field(
        default=14 * 24 * 3600, ge=60, description="Seconds a login lasts without activity."
    )
    default_language: Literal["ko", "en"] = Field(default="ko", description="Language of a first visit.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Logging level."
    )

    # --- accounts ------------------------------------------------------------------------------
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed logins for one account from one address before waiting starts (4x that for one "
        "account from anywhere, or one address over every account).",
    )
    login_failure_window: int = Field(
        default=900, ge=1, description="Seconds over which failed logins are counted."
    )
    password_reset_minutes: int = Field(
        default=30, ge=5, le=24 * 60, description="Minutes a mailed password-reset link works (once)."
    )

    # --- transcription -------------------------------------------------------------------------
    whisper_backend: Literal["faster-whisper", "openai-whisper"] = Field(
        default="faster-whisper", description="Whisper implementation."
    )
    whisper_model: str = Field(default="base", description="Whisper model name or path to a model folder.")
    whisper_device: str = Field(default="auto", description="cpu, cuda or auto.")
    whisper_compute_type: str = Field(
        default="int8", description="CTranslate2 compute type (int8, float16 ...)."
    )
    whisper_threads: int = Field(
        default=0,
        ge=0,
        le=256,
        description="CPU threads per Whisper decode; 0: the cores shared by the decodes.",
    )
    whisper_workers: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Whisper decodes run at once in one process; "
        "0: one per core, at most 4 (fewer when threads are set).",
    )
    transcribe_workers: int = Field(
        default=1, ge=1, le=64, description="Transcription jobs run at once by the in-process pool."
    )
    transcribe_queue: str = Field(
        default="allwork:transcribe",
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="Redis queue of transcription jobs; deployments sharing one Redis each need their own.",
    )
    max_audio_seconds: int = Field(
        default=3600, ge=1, description="Longest audio accepted for transcription."
    )

    # --- live rooms ----------------------------------------------------------------------------
    stun_urls: str = Field(default="", description="Comma-separated stun: URLs handed to browsers.")
    turn_urls: str = Field(default="", description="Comma-separated turn: URLs handed to browsers.")
    turn_secret: SecretStr | None = Field(
        default=None, description="coturn static-auth-secret for TURN REST API credentials."
    )
    turn_ttl: int = Field(default=3600, ge=60, description="Seconds a TURN credential is valid.")
    room_token_ttl: int = Field(default=300, ge=10, description="Seconds a room join token is valid.")
    room_stream_transcripts: bool = Field(
        default=True,
        description="Transcribe room recordings while the interview goes on (off: queue them after).",
    )

    # --- practice ------------------------------------------------------------------------------
    practice_capacity: int = Field(
        default=2,
        ge=1,
        le=1000,
        description="Practice sessions one server process takes at once; one more is asked to come back "
        "in a few minutes (measure with bench/bench_practice.py).",
    )

    # --- messages ------------------------------------------------------------------------------
    smtp_host: str | None = Field(
        default=None, description="SMTP server for outgoing mail; unset means the outbox folder only."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP port (465 means implicit TLS).")
    smtp_username: str | None = Field(default=None, description="SMTP login; unset means no login.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_starttls: bool = Field(default=True, description="Upgrade the SMTP connection with STARTTLS.")
    mail_from: str = Field(
        default="AllWork Interview <no-reply@localhost>",
        min_length=3,
        max_length=300,
        description="Sender of outgoing mail and organizer of calendar invites.",
    )
    sms_backend: str = Field(
        default="outbox",
        pattern=r"^(outbox|[A-Za-z_][\w.]*:[A-Za-z_]\w*)$",
        description="Text-message sender: outbox (files in the data folder) or package.module:factory.",
    )

    public_url: str = Field(
        default="http://127.0.0.1:8080",
        pattern=r"^https?://[^\s/]+(/[^\s]*)?$",
        description="The site's address as people reach it, for links in e-mails and calendar invites.",
    )

    booking_min_notice_minutes: int = Field(
        default=120,
        ge=0,
        le=7 * 24 * 60,
        description="The least time between booking an interview and its start, in minutes.",
    )

    # --- reminders -----------------------------------------------------------------------------
    reminder_interval: float = Field(
        default=30,
        ge=0,
        description="Seconds between runs of due reminders in each server process; 0 means none here.",
    )

    @field_validator(
        "database_url",
        "redis_url",
        "secret_key",
        "turn_secret",
        "smtp_host",
        "smtp_username",
        "smtp_password",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, v: str) -> str:
        for part in v.split(","):
            if part.strip():
                try:
                    ip_network(part.strip(), strict=False)
                except ValueError:
                    raise ValueError(f"not an IP address or network: {part.strip()!r}") from None
        return v

    @field_validator("mail_from")
    @classmethod
    def _mail_address(cls, v: str) -> str:
        if "@" not in parseaddr(v)[1]:
            raise ValueError("must be an e-mail address, e.g. AllWork <no-reply@example.kr>")
        return v

    # --- derived -------------------------------------------------------------------------------
    @property
    def trusted_proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """ALLWORK_TRUSTED_PROXIES as networks (a single address is a /32 or /128)."""
        parts = [p.strip() for p in self.trusted_proxies.split(",")]
        return tuple(ip_network(p, strict=False) for p in parts if p)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'allwork.db').resolve()}"

    def secret(self) -> bytes:
        """The secret key: from the environment, or generated once and kept in the data folder."""
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value().encode()
            if len(value) < 32:
                raise ConfigError("ALLWORK_SECRET_KEY must be at least 32 characters long")
            return value
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()


def load_settings(**overrides: object) -> Settings:
    """Read the environment (overrides win); a bad value raises :class:`ConfigError` naming it."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ENV_PREFIX + str(err["loc"][0]).upper() if err["loc"] else ENV_PREFIX
            problems.append(f"{name}: {err['msg']}")
        raise ConfigError("; ".join(problems)) from None
