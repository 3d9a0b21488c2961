"""Messaging: the process's outgoing mail and text-message senders, and the admin's outbox pages.

``setup`` makes one :class:`core.mail.Mailer` and one :class:`core.sms.SmsSender` from the
settings and keeps them under :data:`MAILER` and :data:`SMS`; a feature that sends (scheduling's
invites and reminders) calls ``await app[MAILER].send(message)`` / ``await app[SMS].send(phone,
text)`` after its transaction commits. ``/admin/outbox`` shows what was sent (:mod:`.routes`).
"""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from core.mail import Mailer, make_mailer
from core.sms import SmsSender, make_sms_sender
from web.messaging import routes

__all__ = ["MAILER", "SMS", "setup"]

MAILER = web.AppKey("mailer", Mailer)
SMS: web.AppKey[SmsSender] = web.AppKey("sms")


def setup(app: web.Application, settings: Settings) -> None:
    app[MAILER] = make_mailer(settings)
    app[SMS] = make_sms_sender(settings)
    app.router.add_routes(routes.routes)
