"""Typed application and request keys: state lives under these, never under bare strings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from core.config import Settings
from core.db import Engine, Sessions

if TYPE_CHECKING:
    from core.accounts import User
    from core.pubsub import PubSub
    from core.reminders import Handler, ReminderRunner
    from interview.transcribe.jobs import TranscriptionQueue
    from web.i18n import Catalogs

SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", Engine)
SESSIONS = web.AppKey("sessions", Sessions)
CATALOGS: web.AppKey[Catalogs] = web.AppKey("catalogs")
PUBSUB: web.AppKey[PubSub] = web.AppKey("pubsub")
TRANSCRIPTION: web.AppKey[TranscriptionQueue] = web.AppKey("transcription")
#: reminder kind -> its handler; features add theirs with web.resources.add_reminder_handler
REMINDER_HANDLERS: web.AppKey[dict[str, Handler]] = web.AppKey("reminder_handlers")
REMINDERS: web.AppKey[ReminderRunner] = web.AppKey("reminders")

# per-request values
REQ_USER: web.RequestKey[User | None] = web.RequestKey("user")
REQ_LANG = web.RequestKey("lang", str)
REQ_CSRF = web.RequestKey("csrf", str)
