"""The people being interviewed and their interviewers: picking an offered time, weekly availability,
and asking the schedulers for another time.

- ``/offers/{pair_id}``: the senior's page (also the link in the "please pick a time" e-mail; a visitor
  logs in first and comes back). Each open slot is one big button; one tap books it.
- ``/senior/availability`` and ``/company/availability``: 7 days × morning/afternoon, ticked on a phone.
- ``/bookings/{booking_id}/ask``: the senior or the company asks for another time; every scheduler is told.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from core.accounts import Role, User
from core.errors import InvalidInput, NotFound
from core.i18n import N_
from interview.scheduling import service
from interview.scheduling.errors import BookingNotFound, OfferGone, SlotTaken
from interview.scheduling.models import Booking, DayPart
from matching.errors import PairNotFound
from matching.models import Stage
from matching.pipeline import PairInfo, pair_info
from web.forms import Form, read_form
from web.keys import SESSIONS
from web.localtime import times_for
from web.render import flash, gettext_for, render
from web.scheduling.runtime import TELLER
from web.security import require_user, requires, safe_next

routes = web.RouteTableDef()

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
BOOKED = N_(
    "Your interview is booked: %(when)s. You will find it under My interviews, with the button to join."
)
#: the availability page of each role that is interviewed or interviews, and where it leads back to
AVAILABILITY_PAGES = {
    Role.SENIOR: ("/senior/availability", "/senior"),
    Role.COMPANY: ("/company/availability", "/company"),
}


def _id(request: web.Request, name: str, missing: type[Exception]) -> int:
    try:
        value = int(request.match_info[name])
    except ValueError:
        raise missing() from None
    if not 0 < value < 2**31:
        raise missing()
    return value


# --- picking an offered time ----------------------------------------------------------------------------
@dataclass
class OfferView:
    id: int
    starts_at: datetime
    minutes: int


@dataclass
class OffersPage:
    info: PairInfo
    offers: list[OfferView]
    #: the idempotency key of this render: a double tap books once
    key: str
    #: why the last tap booked nothing, in the reader's language
    error: str = ""
    #: the pair's booking, once it has one
    booking: Booking | None = None


async def _own_pair(request: web.Request) -> tuple[User, PairInfo]:
    """The pair of the URL, if the logged-in user is its senior; anyone else learns nothing (not found)."""
    user = require_user(request)
    info = await pair_info(request.app[SESSIONS], _id(request, "pair_id", PairNotFound))
    if info.pair.senior_id != user.id:
        raise PairNotFound()
    return user, info


async def _offers_page(request: web.Request, info: PairInfo, error: str = "") -> OffersPage:
    sessions = request.app[SESSIONS]
    offers = [] if info.pair.stage != Stage.REQUESTED else await service.open_offers(sessions, info.pair.id)
    views = [
        OfferView(o.id, o.starts_at, int((o.ends_at - o.starts_at).total_seconds() // 60)) for o in offers
    ]
    booking = (await service.bookings_of_pairs(sessions, [info.pair.id])).get(info.pair.id)
    return OffersPage(info, views, uuid.uuid4().hex, error, booking)


@routes.get("/offers/{pair_id}", name="offers")
@requires()
async def offers_page(request: web.Request) -> web.Response:
    """The offered times of one pair, each a button that books it."""
    _user, info = await _own_pair(request)
    return await render(request, "booking/offers.html", await _offers_page(request, info))


@routes.post("/offers/{pair_id}", name="offers_pick")
@requires()
async def offers_pick(request: web.Request) -> web.Response:
    """Book the tapped time (``offer``), once per ``key``; a time gone meanwhile is said on the page."""
    user, info = await _own_pair(request)
    form = await read_form(request, ("offer", "key"))
    _ = gettext_for(request)
    try:
        offer_id = int(form["offer"])
        booking = await service.pick(
            request.app[SESSIONS],
            user,
            offer_id,
            idempotency_key=f"pick:{user.id}:{form['key'][:64]}" if form["key"] else None,
            teller=request.app[TELLER],
        )
    except ValueError:
        page = await _offers_page(request, info, _(OfferGone.message))
        return await render(request, "booking/offers.html", page, status=400)
    except (OfferGone, SlotTaken) as exc:
        fresh = await pair_info(request.app[SESSIONS], info.pair.id)
        page = await _offers_page(request, fresh, _(exc.message, **exc.params))
        return await render(request, "booking/offers.html", page, status=exc.status)
    await flash(
        request,
        _(BOOKED, when=times_for(request).when(booking.starts_at)),
    )
    raise web.HTTPSeeOther("/rooms")


# --- weekly availability --------------------------------------------------------------------------------
@dataclass
class DayRow:
    weekday: int
    name: str
    morning: bool
    afternoon: bool


@dataclass
class AvailabilityPage:
    days: list[DayRow]
    action: str
    back: str
    error: str = ""


async def _availability_page(
    request: web.Request, ticked: set[tuple[int, DayPart]], error: str = ""
) -> AvailabilityPage:
    user = require_user(request)
    action, back = AVAILABILITY_PAGES[user.role]
    _ = gettext_for(request)
    days = [
        DayRow(day, _(name), (day, DayPart.MORNING) in ticked, (day, DayPart.AFTERNOON) in ticked)
        for day, name in enumerate(WEEKDAYS)
    ]
    return AvailabilityPage(days, action, back, error)


@routes.get("/senior/availability", name="senior_availability")
@routes.get("/company/availability", name="company_availability")
@requires(Role.SENIOR, Role.COMPANY)
async def availability_form(request: web.Request) -> web.Response:
    """The days and parts of the day the user can usually meet, as ticks."""
    user = require_user(request)
    if request.path != AVAILABILITY_PAGES[user.role][0]:
        raise NotFound()
    ticked = (await service.availability_of(request.app[SESSIONS], [user.id])).get(user.id, set())
    return await render(request, "booking/availability.html", await _availability_page(request, ticked))


@routes.post("/senior/availability")
@routes.post("/company/availability")
@requires(Role.SENIOR, Role.COMPANY)
async def availability_submit(request: web.Request) -> web.Response:
    user = require_user(request)
    action, _back = AVAILABILITY_PAGES[user.role]
    if request.path != action:
        raise NotFound()
    data = await request.post()
    slots: list[tuple[int, str]] = []
    ticked: set[tuple[int, DayPart]] = set()
    _ = gettext_for(request)
    try:
        for value in data.getall("slot", []):
            day, _sep, part = str(value).partition("-")
            slots.append((int(day), part))
            ticked.add((int(day), DayPart(part)))
        await service.set_availability(request.app[SESSIONS], user, slots)
    except ValueError:
        page = await _availability_page(request, set(), _("Please tick days from the list."))
        return await render(request, "booking/availability.html", page, status=400)
    except InvalidInput as exc:
        message = next(iter(exc.fields.values()), exc.message)
        page = await _availability_page(request, ticked, _(message))
        return await render(request, "booking/availability.html", page, status=exc.status)
    await flash(request, _("Saved. The schedulers will suggest interview times on these days."))
    raise web.HTTPSeeOther(action)


# --- asking for another time ----------------------------------------------------------------------------
@dataclass
class AskPage:
    booking: Booking
    info: PairInfo
    form: Form
    next: str = "/rooms"


async def _own_booking(request: web.Request) -> tuple[User, Booking, PairInfo]:
    """The booking of the URL, if the user is its senior or the company; anyone else: not found."""
    user = require_user(request)
    sessions = request.app[SESSIONS]
    booking = await service.get_booking(sessions, _id(request, "booking_id", BookingNotFound))
    info = await pair_info(sessions, booking.pair_id)
    if user.id not in (info.pair.senior_id, info.company_owner_id):
        raise BookingNotFound()
    return user, booking, info


@routes.get("/bookings/{booking_id}/ask", name="booking_ask")
@requires(Role.SENIOR, Role.COMPANY)
async def ask_form(request: web.Request) -> web.Response:
    _user, booking, info = await _own_booking(request)
    page = AskPage(booking, info, Form(), safe_next(request.query.get("next"), "/rooms"))
    return await render(request, "booking/ask.html", page)


@routes.post("/bookings/{booking_id}/ask", name="booking_ask_post")
@requires(Role.SENIOR, Role.COMPANY)
async def ask_submit(request: web.Request) -> web.Response:
    """Tell every scheduler that this booking should move, and why (nothing moves until they do)."""
    user, booking, info = await _own_booking(request)
    values = await read_form(request, ("reason", "next"))
    back = safe_next(values["next"], "/rooms")
    _ = gettext_for(request)
    try:
        await service.ask_to_reschedule(
            request.app[SESSIONS], user, booking.id, reason=values["reason"], teller=request.app[TELLER]
        )
    except InvalidInput as exc:
        form = Form(values={"reason": values["reason"]}).show(exc, _)
        page = AskPage(booking, info, form, back)
        return await render(request, "booking/ask.html", page, status=exc.status)
    await flash(request, _("We told the schedulers. They will contact you about a new time."))
    raise web.HTTPSeeOther(back)
