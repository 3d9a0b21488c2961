"""Interview room pages: my interviews, the room itself, its join token and the scorecard (recordings:
:mod:`web.rooms.recordings`).

The room page is the browser client of docs/signaling.md (``room.js``); this module only
renders it and hands out join tokens. Admins create rooms in :mod:`web.rooms.admin`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import Role, User, names_of
from core.clock import utcnow
from core.errors import AllWorkError
from core.i18n import N_
from interview.rooms import scorecards, service
from interview.rooms.errors import RoomNotFound
from interview.rooms.models import ParticipantRole, Room, Scorecard
from interview.signaling.turn import ice_servers
from matching.criteria import ANCHORS, Criterion
from web.forms import Form
from web.keys import SESSIONS, SETTINGS
from web.localtime import times_for
from web.render import flash, gettext_for, render
from web.rooms.i18n import room_js_text
from web.rooms.runtime import preload_transcription, remember_local_url
from web.scheduling.cards import AboutRooms, about_rooms
from web.security import current_user, require_user, requires

routes = web.RouteTableDef()

PARTICIPANT_ROLES = (Role.SENIOR, Role.COMPANY)
#: the overall recommendation, weakest first
RECOMMENDATIONS: tuple[tuple[str, str], ...] = (
    ("definitely_not", N_("Definitely not")),
    ("no", N_("No: do not hire")),
    ("yes", N_("Yes: hire")),
    ("strong_yes", N_("Strong yes")),
)


class LoginRequired(AllWorkError):
    code = "login_required"
    message = "Please log in again to join the interview."
    status = 401


@dataclass
class RoomPage:
    room: Room
    role: ParticipantRole
    i18n: str
    names: dict[int, str]
    #: when the room opens, in the reader's zone and form; empty once it is open (or over)
    opens_later: str = ""
    #: the company and the job of the room's pair
    about_rooms: AboutRooms = field(default_factory=AboutRooms)


@dataclass
class MyRoomsPage:
    rooms: list[service.RoomListing]
    about_rooms: AboutRooms = field(default_factory=AboutRooms)


@dataclass
class CriterionView:
    index: int  #: the form's fields are ``rating_<index>`` and ``reason_<index>``
    key: str
    label: str


@dataclass
class RatingView:
    label: str
    rating: int
    anchor: str
    reason: str


@dataclass
class CardView:
    """A submitted scorecard as the room's interviewers read it once their own is in."""

    name: str
    mine: bool
    ratings: list[RatingView]
    recommendation: str
    notes: str


@dataclass
class ScorecardPage:
    room: Room
    form: Form
    criteria: list[CriterionView]
    anchors: list[tuple[int, str]]
    recommendations: list[tuple[str, str]]
    submitted: Scorecard | None = None
    cards: list[CardView] = field(default_factory=list)


def _room_id(request: web.Request) -> int:
    try:
        value = int(request.match_info["room_id"])
    except ValueError:
        raise RoomNotFound() from None
    if not 0 < value < 2**31:
        raise RoomNotFound()
    return value


async def _participant_room(request: web.Request) -> tuple[User, Room, ParticipantRole]:
    """The room and the user's role in it; another user learns nothing (not found)."""
    user = require_user(request)
    room = await service.get_room(request.app[SESSIONS], _room_id(request))
    part = room.participant(user.id)
    if part is None:
        raise RoomNotFound()
    return user, room, part.role


async def _names(request: web.Request, room: Room) -> dict[int, str]:
    return await names_of(request.app[SESSIONS], [p.user_id for p in room.participants])


@routes.get("/rooms", name="my_rooms")
@requires(*PARTICIPANT_ROLES)
async def my_rooms(request: web.Request) -> web.Response:
    user = require_user(request)
    listing = await service.rooms_for(request.app[SESSIONS], user)
    about = await about_rooms(request.app[SESSIONS], listing)
    return await render(request, "rooms/mine.html", MyRoomsPage(listing, about))


@routes.get("/rooms/{room_id}", name="room")
@requires(*PARTICIPANT_ROLES)
async def room_page(request: web.Request) -> web.Response:
    _user, room, role = await _participant_room(request)
    opens_at = times_for(request).when(room.opens_at)
    page = RoomPage(room, role, room_js_text(gettext_for(request), opens_at), await _names(request, room))
    if utcnow() < room.opens_at and room.ended_at is None:
        page.opens_later = opens_at
    page.about_rooms = await about_rooms(request.app[SESSIONS], [room])
    response = await render(request, "rooms/room.html", page)
    return response


@routes.post("/rooms/{room_id}/token", name="room_token")
async def room_token(request: web.Request) -> web.Response:
    """A fresh join token for the logged-in participant: ``{token, room, role, expires_in, ice_servers}``."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    remember_local_url(request)
    settings = request.app[SETTINGS]
    ticket = await service.issue_join_token(request.app[SESSIONS], settings, _room_id(request), user)
    preload_transcription(request.app)  # ready before anyone agrees to be recorded
    return web.json_response(
        {
            "token": ticket.token,
            "room": ticket.room_id,
            "role": ticket.role.value,
            "expires_in": ticket.expires_in,
            "ice_servers": ice_servers(settings, user.id),
        },
        headers={"Cache-Control": "no-store"},
    )


async def _scorecard_page(room: Room, form: Form, request: web.Request) -> ScorecardPage:
    _ = gettext_for(request)
    criteria = await scorecards.room_criteria(request.app[SESSIONS], room.id)
    return ScorecardPage(
        room,
        form,
        [CriterionView(i, c.key, _(c.label)) for i, c in enumerate(criteria)],
        [(n, _(text)) for n, text in ANCHORS],
        [(value, _(label)) for value, label in RECOMMENDATIONS],
    )


async def _cards(
    request: web.Request, room: Room, user: User, criteria: tuple[Criterion, ...]
) -> list[CardView]:
    _ = gettext_for(request)
    cards = await scorecards.scorecards_for(request.app[SESSIONS], room.id, user)
    names = await _names(request, room)
    anchors = {n: _(text) for n, text in ANCHORS}
    labels = {c.key: _(c.label) for c in criteria}
    recommendations = {value: _(label) for value, label in RECOMMENDATIONS}
    views = []
    for card in cards:
        ratings = [
            RatingView(
                labels.get(key, key), int(value), anchors.get(int(value), ""), str(card.reasons.get(key, ""))
            )
            for key, value in card.ratings.items()
        ]
        views.append(
            CardView(
                names.get(card.interviewer_id, ""),
                card.interviewer_id == user.id,
                ratings,
                recommendations.get(card.recommendation.value, ""),
                card.notes,
            )
        )
    return views


@routes.get("/rooms/{room_id}/scorecard", name="room_scorecard")
@requires(Role.COMPANY)
async def scorecard_form(request: web.Request) -> web.Response:
    user, room, role = await _participant_room(request)
    if role != ParticipantRole.INTERVIEWER:
        raise RoomNotFound()
    page = await _scorecard_page(room, Form(values={"recommendation": ""}), request)
    page.submitted = await scorecards.scorecard_of(request.app[SESSIONS], room.id, user)
    if page.submitted is not None:  # only now the others' cards show
        criteria = await scorecards.room_criteria(request.app[SESSIONS], room.id)
        page.cards = await _cards(request, room, user, criteria)
    return await render(request, "rooms/scorecard.html", page)


@routes.post("/rooms/{room_id}/scorecard", name="room_scorecard_post")
@requires(Role.COMPANY)
async def scorecard_submit(request: web.Request) -> web.Response:
    user, room, role = await _participant_room(request)
    if role != ParticipantRole.INTERVIEWER:
        raise RoomNotFound()
    data = await request.post()
    _ = gettext_for(request)
    values = {k: v[:5000] for k, v in data.items() if isinstance(v, str) and k != "csrf_token"}
    form = Form(values=values)
    criteria = await scorecards.room_criteria(request.app[SESSIONS], room.id)
    ratings: dict[str, object] = {}
    reasons: dict[str, object] = {}
    for i, c in enumerate(criteria):
        raw = values.get(f"rating_{i}", "")
        ratings[c.key] = int(raw) if raw in ("1", "2", "3", "4", "5") else 0
        reasons[c.key] = values.get(f"reason_{i}", "")
    try:
        await scorecards.submit_scorecard(
            request.app[SESSIONS],
            room.id,
            user,
            ratings=ratings,
            reasons=reasons,
            notes=values.get("notes", ""),
            recommendation=values.get("recommendation", ""),
        )
    except AllWorkError as exc:
        form.show(exc, _)
        fields = {f"rating:{c.key}": f"rating_{i}" for i, c in enumerate(criteria)}
        fields |= {f"reason:{c.key}": f"reason_{i}" for i, c in enumerate(criteria)}
        form.errors = {fields.get(name, name): msg for name, msg in form.errors.items()}
        page = await _scorecard_page(room, form, request)
        return await render(request, "rooms/scorecard.html", page, status=exc.status)
    await flash(request, _("Thank you. Your scorecard is saved."))
    raise web.HTTPSeeOther(f"/rooms/{room.id}/scorecard")
