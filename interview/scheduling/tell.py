"""Telling people about bookings: in-app notices, e-mails with calendar invites, and reminders.

The service calls the :class:`Teller` inside its transaction: notices and reminders are rows of that
transaction, and e-mails go out only after it commits (:func:`core.db.after_commit`), so a booking that
failed tells nobody. Every e-mail of one booking carries the same invite UID with its SEQUENCE, so
calendar programs update one event (RFC 5546): REQUEST when it is booked or moved, CANCEL when cancelled.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import reminders
from core.accounts import Role, User
from core.db import after_commit
from core.i18n import N_
from core.invites import Method, invite_ics, invite_message
from core.localtime import format_when
from core.mail import Mailer
from core.notices import add_notice
from core.pubsub import PubSub
from interview.scheduling.models import Booking, SlotOffer
from interview.scheduling.texts import translate
from matching.models import Company, InterviewRequest, Posting

if TYPE_CHECKING:
    from interview.scheduling.service import People

log = logging.getLogger(__name__)

REMINDER_KIND = "booking.reminder"
#: when reminders go out before the interview
REMINDERS = {"day": timedelta(days=1), "hour": timedelta(hours=1)}


class Change(enum.StrEnum):
    BOOKED = "booked"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


NOTICE_TITLES = {
    Change.BOOKED: N_("Interview booked: %(company)s, %(job)s, %(when)s"),
    Change.RESCHEDULED: N_("Interview moved: %(company)s, %(job)s, now %(when)s"),
    Change.CANCELLED: N_("Interview cancelled: %(company)s, %(job)s (%(when)s)"),
}
MAIL_SUBJECTS = {
    Change.BOOKED: N_("[AllWork] Interview booked: %(company)s, %(when)s"),
    Change.RESCHEDULED: N_("[AllWork] Interview moved: %(company)s, now %(when)s"),
    Change.CANCELLED: N_("[AllWork] Interview cancelled: %(company)s, %(when)s"),
}
MAIL_BODY = N_(
    "Hello %(name)s,\n\n%(what)s\n\nCompany: %(company)s\nJob: %(job)s\nTime: %(when)s\n%(reason)s\n"
    "Join the interview here (it opens 15 minutes before): %(join)s\n"
    "Test your camera and microphone beforehand: %(check)s\n\nAllWork Interview"
)
MAIL_WHAT = {
    Change.BOOKED: N_("Your interview is booked. The calendar invite is attached."),
    Change.RESCHEDULED: N_("Your interview has moved to a new time. Your calendar will update the event."),
    Change.CANCELLED: N_("Your interview was cancelled. Your calendar will remove the event."),
}
REASON_LINE = N_("Reason: %(reason)s")


@dataclass(frozen=True, slots=True)
class Names:
    company: str
    job: str


async def _names(session: AsyncSession, pair: InterviewRequest) -> Names:
    row = (
        await session.execute(
            select(Company.name, Posting.title)
            .join(Posting, Posting.company_id == Company.id)
            .where(Posting.id == pair.posting_id)
        )
    ).first()
    return Names(row[0], row[1]) if row else Names("", "")


class Teller:
    """Tells everyone concerned about a booking change. Give it the app's pub/sub, mailer and address."""

    def __init__(self, *, pubsub: PubSub | None, mailer: Mailer | None, base_url: str) -> None:
        self.pubsub = pubsub
        self.mailer = mailer
        self.base_url = base_url.rstrip("/")

    async def _users(self, session: AsyncSession, ids: Sequence[int]) -> list[User]:
        return list(await session.scalars(select(User).where(User.id.in_(ids), User.is_active.is_(True))))

    async def tell(
        self,
        session: AsyncSession,
        change: Change,
        booking: Booking,
        pair: InterviewRequest,
        people: People,
        *,
        reason: str = "",
    ) -> None:
        """A booking was made, moved or cancelled: notices, invites (after commit) and reminders."""
        names = await _names(session, pair)
        join = f"/rooms/{booking.room_id}" if booking.room_id else "/rooms"
        for user in await self._users(session, people.everyone):
            when = format_when(booking.starts_at, user.time_zone, user.language)
            await add_notice(
                session,
                user.id,
                f"booking.{change.value}",
                NOTICE_TITLES[change],
                {"company": names.company, "job": names.job, "when": when},
                url="/rooms" if change == Change.CANCELLED else join,
                pubsub=self.pubsub,
            )
            if self.mailer is not None:
                message = self._invite(change, booking, user, people, names, reason, join)
                _send_after_commit(session, self.mailer, message)
        await self._reminders(session, change, booking, people)

    def _invite(
        self,
        change: Change,
        booking: Booking,
        user: User,
        people: People,
        names: Names,
        reason: str,
        join: str,
    ) -> EmailMessage:
        lang = user.language
        when = format_when(booking.starts_at, user.time_zone, lang)
        params = {"company": names.company, "job": names.job, "when": when}
        method: Method = "CANCEL" if change == Change.CANCELLED else "REQUEST"
        assert self.mailer is not None
        ics = invite_ics(
            uid=booking.uid,
            sequence=booking.sequence,
            method=method,
            start=booking.starts_at,
            end=booking.ends_at,
            summary=translate(N_("Interview: %(company)s, %(job)s"), lang, params),
            description=translate(N_("Join here: %(url)s"), lang, {"url": self.base_url + join}),
            url=self.base_url + join,
            organizer_email=self.mailer.from_address,
            organizer_name="AllWork Interview",
            attendees=[(user.email, user.name)],
            tz=user.time_zone,
        )
        text = translate(
            MAIL_BODY,
            lang,
            {
                "name": user.name,
                "what": translate(MAIL_WHAT[change], lang),
                "company": names.company,
                "job": names.job,
                "when": when,
                "reason": translate(REASON_LINE, lang, {"reason": reason}) + "\n" if reason else "",
                "join": self.base_url + join,
                "check": self.base_url + join + "#device-check",
            },
        )
        return invite_message(
            to=user.email,
            subject=translate(MAIL_SUBJECTS[change], lang, params),
            text=text,
            ics=ics,
            method=method,
        )

    async def _reminders(
        self, session: AsyncSession, change: Change, booking: Booking, people: People
    ) -> None:
        prefix = f"booking:{booking.id}:"
        if change == Change.CANCELLED:
            await reminders.cancel(session, prefix=prefix)
            return
        for name, before in REMINDERS.items():
            for uid in people.everyone:
                # the key carries the SEQUENCE: a moved booking reminds again, a sent reminder never twice
                key = f"{prefix}{name}:seq{booking.sequence}:user{uid}"
                await reminders.schedule(
                    session,
                    key=key,
                    kind=REMINDER_KIND,
                    due_at=booking.starts_at - before,
                    payload={"booking": booking.id, "user": uid, "which": name, "sequence": booking.sequence},
                )
            if booking.sequence:
                await reminders.cancel(session, prefix=f"{prefix}{name}:seq{booking.sequence - 1}:")

    async def offered(
        self, session: AsyncSession, pair: InterviewRequest, people: People, offers: Sequence[SlotOffer]
    ) -> None:
        """Slots were offered: the senior is told (notice and e-mail with the link to pick one)."""
        names = await _names(session, pair)
        url = f"/offers/{pair.id}"
        for user in await self._users(session, [people.senior_id]):
            await add_notice(
                session,
                user.id,
                "booking.offered",
                N_("Please pick an interview time: %(company)s, %(job)s"),
                {"company": names.company, "job": names.job},
                url=url,
                pubsub=self.pubsub,
            )
            if self.mailer is not None:
                times = "\n".join(
                    f"- {format_when(o.starts_at, user.time_zone, user.language)}" for o in offers
                )
                text = translate(
                    N_(
                        "Hello %(name)s,\n\n%(company)s would like to meet you for the job %(job)s. "
                        "Please pick the time that suits you:\n%(times)s\n\n"
                        "Pick here: %(url)s\n\nAllWork Interview"
                    ),
                    user.language,
                    {
                        "name": user.name,
                        "company": names.company,
                        "job": names.job,
                        "times": times,
                        "url": self.base_url + url,
                    },
                )
                message = EmailMessage()
                message["To"] = user.email
                message["Subject"] = translate(
                    N_("[AllWork] Please pick an interview time: %(company)s"),
                    user.language,
                    {"company": names.company},
                )
                message.set_content(text)
                _send_after_commit(session, self.mailer, message)

    async def asked(
        self, session: AsyncSession, booking: Booking, pair: InterviewRequest, actor: User, reason: str
    ) -> None:
        """Someone asked for another time: every scheduler is told."""
        names = await _names(session, pair)
        schedulers = await session.scalars(
            select(User.id).where(User.role == Role.SCHEDULER, User.is_active.is_(True))
        )
        for sid in schedulers:
            await add_notice(
                session,
                sid,
                "booking.reschedule_asked",
                N_("%(name)s asks to move the interview (%(company)s, %(job)s): %(reason)s"),
                {"name": actor.name, "company": names.company, "job": names.job, "reason": reason[:200]},
                url=f"/scheduler/pairs/{pair.id}",
                pubsub=self.pubsub,
            )


def _send_after_commit(session: AsyncSession, mailer: Mailer, message: EmailMessage) -> None:
    async def send() -> None:
        await _send(mailer, message)

    after_commit(session, send)


async def _send(mailer: Mailer, message: EmailMessage) -> None:
    try:
        await mailer.send(message)
    except Exception:  # the mailer keeps its outbox copy; a failure here must not undo a committed booking
        log.exception("could not send %s to %s", message["Subject"], message["To"])


async def remind(
    session_factory: Any,
    mailer: Mailer | None,
    pubsub: PubSub | None,
    base_url: str,
    payload: dict[str, Any],
    *,
    now: datetime | None = None,
) -> None:
    """The ``booking.reminder`` handler: remind one person of a booking (a notice and an e-mail)."""
    from core.db import transaction

    async with transaction(session_factory) as session:
        booking = await session.get(Booking, int(payload["booking"]))
        user = await session.get(User, int(payload["user"]))
        if (
            booking is None
            or user is None
            or booking.state != "booked"
            or booking.sequence != payload.get("sequence")
        ):
            log.info("reminder for booking %s skipped: it changed or was cancelled", payload.get("booking"))
            return
        pair = await session.get(InterviewRequest, booking.pair_id)
        if pair is None:
            return
        names = await _names(session, pair)
        join = f"/rooms/{booking.room_id}"
        when = format_when(booking.starts_at, user.time_zone, user.language)
        params = {"company": names.company, "job": names.job, "when": when}
        title = (
            N_("Reminder: your interview is tomorrow, %(when)s (%(company)s, %(job)s)")
            if payload.get("which") == "day"
            else N_("Reminder: your interview starts in an hour, %(when)s (%(company)s, %(job)s)")
        )
        await add_notice(session, user.id, "booking.reminder", title, params, url=join, pubsub=pubsub)
        if mailer is not None:
            message = EmailMessage()
            message["To"] = user.email
            message["Subject"] = "[AllWork] " + translate(title, user.language, params)
            message.set_content(
                translate(
                    N_(
                        "Hello %(name)s,\n\n%(title)s\n\nJoin here: %(join)s\n"
                        "Test your camera and microphone beforehand: %(check)s\n\nAllWork Interview"
                    ),
                    user.language,
                    {
                        "name": user.name,
                        "title": translate(title, user.language, params),
                        "join": base_url.rstrip("/") + join,
                        "check": base_url.rstrip("/") + join + "#device-check",
                    },
                )
            )
            _send_after_commit(session, mailer, message)
