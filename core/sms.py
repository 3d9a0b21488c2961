"""Text messages: one small sender interface, the outbox folder as its embedded default.

``make_sms_sender(settings)`` gives the process's :class:`SmsSender`; ``await sender.send(phone,
text)`` sends one message (call it after the transaction has committed). ``ALLWORK_SMS_BACKEND``
chooses the sender:

- ``outbox`` (the default): :class:`OutboxSms` writes each message as JSON into
  ``<data dir>/outbox/sms/`` (``{"to", "text", "created_at"}``), where an admin reads it at
  ``/admin/outbox``. Nothing leaves the machine.
- ``package.module:factory``: a deployment's own gateway (a Korean SMS provider's HTTP API, e.g.
  NHN Cloud, Aligo, Solapi), installed beside the app. ``factory(settings)`` is called once and
  returns any object with ``async def send(self, phone: str, text: str) -> None``; it raises
  :class:`SmsRejected` for a message the gateway refused, reads its own credentials from its own
  environment variables, and should keep a copy through :class:`OutboxSms` so admins still see
  what was sent. No code in this repository changes to plug one in.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import re
from pathlib import Path
from typing import Protocol, cast

from core import outbox
from core.clock import utcnow
from core.config import ConfigError, Settings

log = logging.getLogger(__name__)

#: the longest text accepted (an LMS in Korea carries about 2,000 bytes; a plain SMS 90)
MAX_TEXT = 2000
_PHONE = re.compile(r"^\+?[0-9]{7,15}$")


class SmsRejected(Exception):
    """A message that cannot be sent: a malformed number, an empty or overlong text, a gateway refusal."""


class SmsSender(Protocol):
    async def send(self, phone: str, text: str) -> None: ...


def normalize_phone(phone: str) -> str:
    """``010-1234-5678`` → ``01012345678``; spaces, dashes, dots and brackets go; anything else is refused."""
    digits = re.sub(r"[\s().-]", "", phone)
    if not _PHONE.match(digits):
        raise SmsRejected(f"not a phone number: {phone!r}")
    return digits


def _check(phone: str, text: str) -> tuple[str, str]:
    number = normalize_phone(phone)
    if not text.strip():
        raise SmsRejected("empty text")
    if len(text) > MAX_TEXT:
        raise SmsRejected(f"text longer than {MAX_TEXT} characters")
    return number, text


class OutboxSms:
    """The embedded default: each message becomes a JSON file in ``<data dir>/outbox/sms/``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    async def send(self, phone: str, text: str) -> None:
        number, text = _check(phone, text)
        record = {"to": number, "text": text, "created_at": utcnow().isoformat()}
        data = json.dumps(record, ensure_ascii=False, indent=2).encode()
        path = await asyncio.to_thread(outbox.write, self.data_dir, "sms", data)
        log.info("text message kept in the outbox: %s", path.name)


def make_sms_sender(settings: Settings) -> SmsSender:
    """The sender ``ALLWORK_SMS_BACKEND`` names: ``outbox`` or ``package.module:factory``."""
    if settings.sms_backend == "outbox":
        return OutboxSms(settings.data_dir)
    module_name, _, factory_name = settings.sms_backend.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), factory_name)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"ALLWORK_SMS_BACKEND: cannot load {settings.sms_backend}: {exc}") from None
    return cast(SmsSender, factory(settings))
