"""One place to ask for the time, so tests can move it."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def monotonic() -> float:
    return time.monotonic()
