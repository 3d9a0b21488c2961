"""Calendar invites (iCalendar, RFC 5545/5546) that calendar programs update instead of duplicating.

Outlook, Gmail and Apple Calendar treat a mail as an update of an event they already hold when:
the ``UID`` is the same for every message about one interview; ``SEQUENCE`` grows with each change
of its time or status (0 first, then 1, 2 …); ``METHOD`` says what the message is (``REQUEST``:
here is the event, new or changed; ``CANCEL``: it is off, with ``STATUS:CANCELLED``); the event
has an ``ORGANIZER`` and ``ATTENDEE`` s; and the MIME part carries the same method in its
Content-Type (``text/calendar; charset=utf-8; method=REQUEST``). Times are written in the
event's zone (Asia/Seoul by default) with that zone's ``VTIMEZONE`` inside the calendar.

- :func:`invite_ics` builds the ``.ics`` bytes;
- :func:`invite_message` wraps them in an e-mail: the plain text the caller wrote (Korean), the
  calendar part, and the same calendar as an ``invite.ics`` attachment for programs that only
  look at attachments. Send it with ``core.mail.Mailer.send``.

Keep the UID stable per booking (e.g. ``f"booking-{booking.id}@{host}"``) and store the
sequence with the booking.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from core.clock import utcnow

Method = Literal["REQUEST", "CANCEL"]
Status = Literal["CONFIRMED", "CANCELLED", "TENTATIVE"]
PRODID = "-//AllWork Interview//Interview invites//KO"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = value
    return address


def invite_ics(
    *,
    uid: str,
    sequence: int,
    method: Method,
    start: datetime,
    end: datetime,
    summary: str,
    description: str = "",
    url: str | None = None,
    organizer_email: str,
    organizer_name: str = "",
    attendees: Sequence[tuple[str, str]],
    tz: str = "Asia/Seoul",
    status: Status | None = None,
    location: str | None = None,
) -> bytes:
    """One event as an iCalendar object for ``method``; ``status`` defaults to CONFIRMED/CANCELLED.

    ``start`` and ``end`` must be timezone-aware; they are written in ``tz`` with its VTIMEZONE.
    ``attendees`` are ``(email, name)`` pairs, each asked to reply (``RSVP=TRUE``).
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("invite times must be timezone-aware")
    if end <= start:
        raise ValueError("an invite must end after it starts")
    if sequence < 0:
        raise ValueError("SEQUENCE starts at 0")
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported METHOD {method!r}")
    zone = ZoneInfo(tz)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)

    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    if location:
        event.add("location", location)
    event.add("status", status or ("CANCELLED" if method == "CANCEL" else "CONFIRMED"))
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(organizer_email, organizer_name))
    for email, name in attendees:
        event.add(
            "attendee",
            _address(email, name, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="TRUE"),
        )
    cal.add_component(event)
    # the zone's rules around the event only: a short VTIMEZONE that every client reads
    cal.add_missing_timezones(
        first_date=start.astimezone(zone).date().replace(month=1, day=1),
        last_date=end.astimezone(zone).date().replace(month=12, day=31),
    )
    return cal.to_ical()


def invite_message(
    *,
    to: str | Sequence[str],
    subject: str,
    text: str,
    ics: bytes,
    method: Method,
    mail_from: str | None = None,
) -> EmailMessage:
    """An e-mail carrying an invite: ``text`` as the readable body, the calendar inline and attached.

    The structure calendar programs expect::

        multipart/mixed
          multipart/alternative
            text/plain; charset=utf-8                    (``text``)
            text/calendar; charset=utf-8; method=REQUEST (``ics``)
          application/ics; invite.ics                    (attachment, the same ``ics``)

    ``mail_from`` may be left out: :meth:`core.mail.Mailer.send` fills in ``ALLWORK_MAIL_FROM``.
    """
    message = EmailMessage()
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    message["Subject"] = subject
    if mail_from:
        message["From"] = mail_from
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(ics, maintype="text", subtype="calendar", params={"method": method})
    for part in message.iter_parts():
        if part.get_content_type() == "text/calendar":
            part.set_param("charset", "utf-8")
    message.make_mixed()
    # as Gmail sends it: application/ics, so no program takes the attachment for a second invite
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return message
