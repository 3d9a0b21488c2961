"""The admin's page for booking interview rooms by hand: the form and the latest rooms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web

from core.accounts import Role, names_of
from core.clock import utcnow
from core.errors import InvalidInput
from core.localtime import to_local
from interview.rooms import service
from interview.rooms.models import Room
from matching import pipeline
from web.forms import Form
from web.keys import SESSIONS
from web.localtime import request_time_zone
from web.render import flash, gettext_for, render
from web.rooms.forms import FIELDS, RoomChoices, read_new_room, room_choices
from web.security import require_user, requires

routes = web.RouteTableDef()


@dataclass
class AdminRoomsPage:
    form: Form
    choices: RoomChoices
    chosen_interviewers: list[str]
    rooms: list[Room]
    names: dict[int, str]


async def _admin_page(request: web.Request, form: Form, chosen: list[str]) -> AdminRoomsPage:
    sessions = request.app[SESSIONS]
    choices = await room_choices(sessions)
    rooms = await service.recent_rooms(sessions, 30)
    names = await names_of(sessions, {p.user_id for r in rooms for p in r.participants})
    return AdminRoomsPage(form, choices, chosen, rooms, names)


@routes.get("/admin/rooms", name="admin_rooms")
@requires(Role.ADMIN)
async def admin_rooms(request: web.Request) -> web.Response:
    tomorrow = to_local(utcnow() + timedelta(days=1), request_time_zone(request))
    form = Form(
        values={
            "date": tomorrow.date().isoformat(),
            "time": "10:00",
            "duration_minutes": "60",
            "opens_before_minutes": "15",
        }
    )
    return await render(request, "rooms/admin.html", await _admin_page(request, form, []))


@routes.post("/admin/rooms", name="admin_rooms_post")
@requires(Role.ADMIN)
async def admin_create_room(request: web.Request) -> web.Response:
    admin = require_user(request)
    data = await request.post()
    values = {name: str(data.get(name, ""))[:100] for name in FIELDS}
    chosen = [v for v in data.getall("interviewer_ids", []) if isinstance(v, str)][:20]
    _ = gettext_for(request)
    try:
        new = read_new_room(values, chosen, tz=request_time_zone(request))
        room = await service.create_room(
            request.app[SESSIONS],
            candidate_id=new.candidate_id,
            pair_id=await pipeline.find_pair(request.app[SESSIONS], new.candidate_id, new.posting_id),
            interviewer_ids=new.interviewer_ids,
            scheduled_start=new.start,
            duration_minutes=new.duration_minutes,
            opens_before_minutes=new.opens_before_minutes,
            created_by=admin.id,
        )
    except InvalidInput as exc:
        form = Form(values=values).show(exc, _)
        page = await _admin_page(request, form, chosen)
        return await render(request, "rooms/admin.html", page, status=exc.status)
    await flash(request, _("Interview room %(id)s is booked.", id=room.id))
    raise web.HTTPSeeOther("/admin/rooms")
