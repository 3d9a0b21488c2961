"""Scheduling's resources in the app: the Teller that tells people about bookings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from aiohttp import web

from core.config import Settings
from interview.scheduling import texts
from interview.scheduling.service import Rules
from interview.scheduling.tell import REMINDER_KIND, Teller, remind
from web.keys import PUBSUB, SESSIONS, SETTINGS
from web.messaging import MAILER
from web.resources import add_reminder_handler

TELLER = web.AppKey("scheduling_teller", Teller)
BOOKING_RULES = web.AppKey("scheduling_rules", Rules)


def rules_for(settings: Settings) -> Rules:
    """The booking rules, with the minimum notice the settings ask for."""
    return Rules(min_notice=timedelta(minutes=settings.booking_min_notice_minutes))


async def teller_ctx(app: web.Application) -> AsyncIterator[None]:
    """One Teller per process, made once the pub/sub and the mailer exist."""
    texts.preload()  # the e-mails' Korean, read here and not on the event loop later
    app[TELLER] = Teller(pubsub=app[PUBSUB], mailer=app[MAILER], base_url=app[SETTINGS].public_url)
    yield


def register_reminders(app: web.Application) -> None:
    """Reminders of bookings (a day and an hour before) go out through
    :func:`~interview.scheduling.tell.remind`."""

    async def handler(payload: dict[str, Any]) -> None:
        await remind(app[SESSIONS], app[MAILER], app[PUBSUB], app[SETTINGS].public_url, payload)

    add_reminder_handler(app, REMINDER_KIND, handler)
