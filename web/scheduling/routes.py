"""The scheduler's pages: requests waiting for a date with both sides' constraints, and one pair's page to
book a slot, offer several, reschedule or cancel.

Dates and times are typed and shown in the scheduler's zone; the service refuses past, too-soon,
overlapping and unavailable slots beside their field, and books nothing then.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import Role
from core.clock import utcnow
from core.errors import AllWorkError, InvalidInput
from core.i18n import N_
from interview.scheduling import service, views
from interview.scheduling.service import MAX_OFFERS, RULES
from matching import pipeline
from matching.models import PairEvent
from web.forms import Form, read_form
from web.keys import SESSIONS
from web.localtime import request_time_zone
from web.matching.decisions import STAGE_LABELS
from web.render import flash, gettext_for, render
from web.scheduling.forms import BOOK_FIELDS, MOVE_FIELDS, OFFER_FIELDS, read_offer, read_slot
from web.scheduling.runtime import BOOKING_RULES, TELLER
from web.security import require_user, requires

routes = web.RouteTableDef()

WEEKDAYS_KO = ("월", "화", "수", "목", "금", "토", "일")


@dataclass
class SchedulerPage:
    waiting: list[views.PairPlan] = field(default_factory=list)
    upcoming: list[views.PairPlan] = field(default_factory=list)


@dataclass
class PairPage:
    plan: views.PairPlan
    history: list[PairEvent]
    #: each stage in words (the history's steps)
    stages: dict[str, str]
    book_form: Form
    offer_form: Form
    move_form: Form
    cancel_form: Form
    offer_rows: range = range(MAX_OFFERS)
    weekdays: tuple[str, ...] = WEEKDAYS_KO


@routes.get("/scheduler", name="scheduler")
@requires(Role.SCHEDULER)
async def scheduler_home(request: web.Request) -> web.Response:
    """Requests waiting for a date (oldest first) and the upcoming interviews."""
    sessions, now = request.app[SESSIONS], utcnow()
    page = SchedulerPage(await views.waiting(sessions, now), await views.upcoming(sessions, now))
    return await render(request, "dashboard_scheduler.html", page)


def _pair_id(request: web.Request) -> int:
    try:
        value = int(request.match_info["pair_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    if not 0 < value < 2**31:
        raise web.HTTPNotFound()
    return value


def _new_forms(minutes: int = RULES.duration_minutes) -> dict[str, Form]:
    defaults = {"duration_minutes": str(minutes), "buffer_minutes": str(RULES.buffer_minutes)}
    return {
        "book_form": Form(values={**defaults, "idempotency_key": secrets.token_urlsafe(16)}),
        "offer_form": Form(values=dict(defaults)),
        "move_form": Form(values=dict(defaults)),
        "cancel_form": Form(),
    }


async def _pair_page(request: web.Request, pair_id: int, **forms: Form) -> PairPage:
    sessions = request.app[SESSIONS]
    plan = await views.plan(sessions, pair_id, utcnow())
    f = {**_new_forms(plan.info.interview_minutes), **forms}
    _ = gettext_for(request)
    return PairPage(
        plan,
        await pipeline.history(sessions, pair_id),
        {stage.value: _(label) for stage, label in STAGE_LABELS.items()},
        f["book_form"],
        f["offer_form"],
        f["move_form"],
        f["cancel_form"],
    )


@routes.get(r"/scheduler/pairs/{pair_id:\d+}", name="scheduler_pair")
@requires(Role.SCHEDULER)
async def pair_page(request: web.Request) -> web.Response:
    return await render(request, "scheduling/pair.html", await _pair_page(request, _pair_id(request)))


async def _refused(
    request: web.Request, pair_id: int, form_name: str, form: Form, exc: AllWorkError
) -> web.Response:
    form.show(exc, gettext_for(request))
    page = await _pair_page(request, pair_id, **{form_name: form})
    return await render(request, "scheduling/pair.html", page, status=exc.status)


@routes.post(r"/scheduler/pairs/{pair_id:\d+}/book", name="scheduler_book")
@requires(Role.SCHEDULER)
async def book(request: web.Request) -> web.Response:
    pair_id = _pair_id(request)
    values = await read_form(request, BOOK_FIELDS)
    form = Form(values=values)
    try:
        slot = read_slot(values, request_time_zone(request))
        await service.book(
            request.app[SESSIONS],
            require_user(request),
            pair_id,
            slot,
            idempotency_key=values["idempotency_key"][:64] or None,
            teller=request.app[TELLER],
            rules=request.app[BOOKING_RULES],
        )
    except AllWorkError as exc:
        return await _refused(request, pair_id, "book_form", form, exc)
    _ = gettext_for(request)
    await flash(request, _("The interview is booked. Both sides are told and get a calendar invite."))
    raise web.HTTPSeeOther(f"/scheduler/pairs/{pair_id}")


@routes.post(r"/scheduler/pairs/{pair_id:\d+}/offer", name="scheduler_offer")
@requires(Role.SCHEDULER)
async def offer(request: web.Request) -> web.Response:
    pair_id = _pair_id(request)
    values = await read_form(request, OFFER_FIELDS)
    form = Form(values=values)
    try:
        slots = read_offer(values, request_time_zone(request))
        await service.offer(
            request.app[SESSIONS],
            require_user(request),
            pair_id,
            slots,
            teller=request.app[TELLER],
            rules=request.app[BOOKING_RULES],
        )
    except AllWorkError as exc:
        return await _refused(request, pair_id, "offer_form", form, exc)
    _ = gettext_for(request)
    await flash(request, _("The times are offered. The job seeker is told and picks one."))
    raise web.HTTPSeeOther(f"/scheduler/pairs/{pair_id}")


async def _booking_id(request: web.Request, pair_id: int) -> int:
    plan = await views.plan(request.app[SESSIONS], pair_id, utcnow())
    if plan.booking is None:
        raise InvalidInput(fields={"reason": N_("There is no booked interview to change.")})
    return plan.booking.id


@routes.post(r"/scheduler/pairs/{pair_id:\d+}/reschedule", name="scheduler_reschedule")
@requires(Role.SCHEDULER)
async def reschedule(request: web.Request) -> web.Response:
    pair_id = _pair_id(request)
    values = await read_form(request, MOVE_FIELDS)
    form = Form(values=values)
    try:
        slot = read_slot(values, request_time_zone(request))
        await service.reschedule(
            request.app[SESSIONS],
            require_user(request),
            await _booking_id(request, pair_id),
            slot,
            reason=values["reason"],
            teller=request.app[TELLER],
            rules=request.app[BOOKING_RULES],
        )
    except AllWorkError as exc:
        return await _refused(request, pair_id, "move_form", form, exc)
    _ = gettext_for(request)
    await flash(request, _("The interview has moved. Both sides are told and their calendars update."))
    raise web.HTTPSeeOther(f"/scheduler/pairs/{pair_id}")


@routes.post(r"/scheduler/pairs/{pair_id:\d+}/cancel", name="scheduler_cancel")
@requires(Role.SCHEDULER)
async def cancel(request: web.Request) -> web.Response:
    pair_id = _pair_id(request)
    values = await read_form(request, ("reason",))
    form = Form(values=values)
    try:
        await service.cancel(
            request.app[SESSIONS],
            require_user(request),
            await _booking_id(request, pair_id),
            reason=values["reason"],
            teller=request.app[TELLER],
        )
    except AllWorkError as exc:
        return await _refused(request, pair_id, "cancel_form", form, exc)
    _ = gettext_for(request)
    await flash(
        request, _("The interview is cancelled. Both sides are told; the request waits for a new date.")
    )
    raise web.HTTPSeeOther(f"/scheduler/pairs/{pair_id}")
