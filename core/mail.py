"""Outgoing e-mail: every message is kept in the outbox, and sent through SMTP when one is set.

``make_mailer(settings)`` gives the process's :class:`Mailer`; ``await mailer.send(message)``
takes a standard :class:`email.message.EmailMessage` (``core.invites.invite_message`` builds
the calendar invites). Without ``ALLWORK_SMTP_HOST`` the outbox folder
(``<data dir>/outbox/mail/*.eml``, :mod:`core.outbox`) is the whole delivery: one machine needs no
mail server, and an admin reads the messages at ``/admin/outbox``. With SMTP set, the copy is
written first and then the message goes out with aiosmtplib; a refused or failed send is logged
with its reason and the copy renamed ``….eml.failed`` — never lost, never raised at the caller
(sending happens after a commit, where there is nothing left to roll back).

Nothing here blocks the event loop: files are written in a thread, SMTP is asyncio.
Call it after the transaction has committed (``core.db.after_commit``).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

import aiosmtplib
from pydantic import SecretStr

from core import outbox
from core.config import Settings

log = logging.getLogger(__name__)

#: seconds one SMTP conversation may take before it counts as failed
SMTP_TIMEOUT = 30.0


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand mail over (``ALLWORK_SMTP_*``)."""

    host: str
    port: int = 587
    username: str | None = None
    password: SecretStr | None = None
    starttls: bool = True
    timeout: float = SMTP_TIMEOUT


@dataclass(frozen=True)
class Delivery:
    """What became of one message: its outbox copy, and whether SMTP took it (None: no SMTP set)."""

    path: Path
    sent: bool | None
    error: str | None = None


class Mailer:
    """Sends :class:`EmailMessage` s: an outbox copy always, SMTP when ``smtp`` is given."""

    def __init__(self, data_dir: Path, mail_from: str, smtp: SmtpServer | None = None) -> None:
        self.data_dir = data_dir
        self.mail_from = mail_from
        self.smtp = smtp

    @property
    def from_address(self) -> str:
        """The bare address of ``mail_from`` (``no-reply@example.kr``), e.g. for an invite's ORGANIZER."""
        return parseaddr(self.mail_from)[1]

    async def send(self, message: EmailMessage) -> Delivery:
        """Keep ``message`` in the outbox and, with SMTP set, send it; never raises for a failed send.

        ``From``, ``Date`` and ``Message-ID`` are filled in when the message has none.
        """
        if message["From"] is None:
            message["From"] = self.mail_from
        if message["Date"] is None:
            message["Date"] = formatdate(localtime=False, usegmt=True)
        if message["Message-ID"] is None:
            message["Message-ID"] = make_msgid(domain=self.from_address.rpartition("@")[2] or None)
        path = await asyncio.to_thread(outbox.write, self.data_dir, "mail", message.as_bytes())
        if self.smtp is None:
            log.info("mail kept in the outbox: %s to %s", path.name, message["To"])
            return Delivery(path, None)
        try:
            await self._smtp_send(self.smtp, message)
        except Exception as exc:  # refused, timed out, bad recipients: log it, keep the copy marked
            reason = f"{type(exc).__name__}: {exc}"
            failed = await asyncio.to_thread(outbox.mark_failed, path)
            log.warning(
                "mail to %s not sent through %s:%s (%s); kept as %s",
                message["To"],
                self.smtp.host,
                self.smtp.port,
                reason,
                failed.name,
            )
            return Delivery(failed, False, reason)
        log.info(
            "mail sent to %s through %s:%s (%s)", message["To"], self.smtp.host, self.smtp.port, path.name
        )
        return Delivery(path, True)

    @staticmethod
    async def _smtp_send(smtp: SmtpServer, message: EmailMessage) -> None:
        implicit_tls = smtp.port == 465
        await aiosmtplib.send(
            message,
            hostname=smtp.host,
            port=smtp.port,
            username=smtp.username,
            password=smtp.password.get_secret_value() if smtp.password is not None else None,
            use_tls=implicit_tls,
            start_tls=False if implicit_tls else smtp.starttls,
            timeout=smtp.timeout,
        )


def make_mailer(settings: Settings) -> Mailer:
    """The mailer the settings ask for: outbox only, or SMTP plus the outbox copy."""
    smtp = None
    if settings.smtp_host:
        smtp = SmtpServer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )
    return Mailer(settings.data_dir, settings.mail_from, smtp)
