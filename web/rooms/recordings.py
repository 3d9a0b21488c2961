"""A room's recordings page: each speaker's recording, both transcripts in one timeline (pressing a
line plays that speaker's recording from there), and sharing with a coach or a colleague.

Who may see what is decided in :mod:`interview.rooms.recordings`; anyone else gets "not found" on the
page and on the media URLs. Media is served with HTTP Range (``206 Partial Content``), so players seek.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from core.accounts import Role, User, names_of
from core.errors import AllWorkError, InvalidInput
from core.i18n import N_
from interview.rooms import recordings
from interview.rooms.errors import RoomNotFound
from interview.rooms.models import Recording, Room
from web.forms import Form, read_form
from web.keys import SESSIONS
from web.render import flash, gettext_for, render
from web.security import current_user, require_user, requires

routes = web.RouteTableDef()

#: who may open a recordings page at all (the service decides which rooms)
VIEWER_ROLES = (Role.SENIOR, Role.COMPANY, Role.COACH)
MAX_ID = 2**31 - 1


@dataclass
class SpeakerView:
    user_id: int
    name: str
    audio: Recording | None = None
    video: Recording | None = None


@dataclass
class LineView:
    line: recordings.TranscriptLine
    name: str
    #: the speaker's position among the speakers (a colour and a side per speaker)
    index: int


@dataclass
class ShareView:
    user_id: int
    name: str
    role: str


@dataclass
class RecordingsPage:
    room: Room
    is_participant: bool
    everyone_agreed: bool
    speakers: list[SpeakerView] = field(default_factory=list)
    lines: list[LineView] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    shares: list[ShareView] = field(default_factory=list)
    #: (user id, "name (role)") a participant may share with
    choices: list[tuple[int, str]] = field(default_factory=list)
    form: Form = field(default_factory=Form)


def _id(request: web.Request, name: str) -> int:
    """A path id, or not found (also for ids no column holds)."""
    raw = request.match_info[name]
    if not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
        raise RoomNotFound()
    return int(raw)


ROLE_LABELS = {Role.COACH: N_("coach"), Role.COMPANY: N_("interviewer")}


async def _page(request: web.Request, room_id: int, user: User, form: Form | None = None) -> RecordingsPage:
    sessions = request.app[SESSIONS]
    _ = gettext_for(request)
    data = await recordings.room_recordings(sessions, room_id, user)
    share_ids = [s.user_id for s in data.shares]
    names = await names_of(sessions, [*data.speakers.values(), *share_ids])
    page = RecordingsPage(data.room, data.is_participant, data.everyone_agreed, form=form or Form())
    by_user: dict[int, SpeakerView] = {}
    for part in data.room.participants:  # candidate first, then the interviewers, as booked
        by_user[part.user_id] = SpeakerView(part.user_id, names.get(part.user_id, ""))
    for rec in data.recordings:
        view = by_user.get(data.speakers.get(rec.participant_id, 0))
        if view is not None:
            if rec.kind == "video":
                view.video = rec
            else:
                view.audio = rec
    page.speakers = [v for v in by_user.values() if v.audio is not None or v.video is not None]
    order = {v.user_id: i for i, v in enumerate(page.speakers)}
    page.lines = [
        LineView(line, names.get(line.speaker_id, ""), order.get(line.speaker_id, 0)) for line in data.lines
    ]
    page.pending = [names.get(uid, "") for uid in data.pending]
    if data.is_participant:
        choices = await recordings.share_choices(sessions, room_id, user)
        page.choices = [(u.id, f"{u.name} ({_(ROLE_LABELS.get(u.role, u.role.value))})") for u in choices]
        roles = {u.id: u.role for u in choices}
        page.shares = [
            ShareView(
                s.user_id, names.get(s.user_id, ""), _(ROLE_LABELS.get(roles.get(s.user_id, Role.COACH), ""))
            )
            for s in data.shares
        ]
    return page


@routes.get(r"/rooms/{room_id:\d+}/recordings", name="room_recordings")
@requires(*VIEWER_ROLES)
async def recordings_page(request: web.Request) -> web.Response:
    user = require_user(request)
    page = await _page(request, _id(request, "room_id"), user)
    return await render(request, "rooms/recordings.html", page)


@routes.get(r"/rooms/{room_id:\d+}/recordings/{rec_id:\d+}", name="room_recording_file")
async def recording_file(request: web.Request) -> web.StreamResponse:
    """One speaker's file, for whoever may see the room's recordings; Range requests get 206."""
    user = current_user(request)
    if user is None or user.role not in VIEWER_ROLES:
        raise RoomNotFound()  # a visitor, or a role that never sees recordings: nothing to learn here
    room_id, rec_id = _id(request, "room_id"), _id(request, "rec_id")
    rec = await recordings.recording_file(request.app[SESSIONS], room_id, rec_id, user)
    path = Path(rec.path)
    if not await asyncio.to_thread(path.is_file):
        raise RoomNotFound()
    response = web.FileResponse(path, headers={"Cache-Control": "private, no-store"})
    response.content_type = "audio/ogg" if path.suffix == ".ogg" else "video/webm"
    return response


@routes.post(r"/rooms/{room_id:\d+}/recordings/share", name="room_recordings_share")
@requires(Role.SENIOR, Role.COMPANY)
async def share(request: web.Request) -> web.Response:
    user = require_user(request)
    room_id = _id(request, "room_id")
    data = await read_form(request, ("user",))
    _ = gettext_for(request)
    form = Form(values=data)
    try:
        if not data["user"].isdigit() or not 0 < int(data["user"]) <= MAX_ID:
            raise InvalidInput(fields={"user": N_("Please choose a person from the list.")})
        await recordings.share(request.app[SESSIONS], room_id, user, int(data["user"]))
    except RoomNotFound:
        raise
    except AllWorkError as exc:
        form.show(exc, _)
        if not form.errors:
            form.errors = {"user": form.message}
        page = await _page(request, room_id, user, form)
        return await render(request, "rooms/recordings.html", page, status=exc.status)
    await flash(request, _("Shared. That person can now see the recordings and transcripts."))
    raise web.HTTPSeeOther(f"/rooms/{room_id}/recordings")


@routes.post(r"/rooms/{room_id:\d+}/recordings/unshare/{user_id:\d+}", name="room_recordings_unshare")
@requires(Role.SENIOR, Role.COMPANY)
async def unshare(request: web.Request) -> web.Response:
    user = require_user(request)
    room_id = _id(request, "room_id")
    await recordings.unshare(request.app[SESSIONS], room_id, user, _id(request, "user_id"))
    _ = gettext_for(request)
    await flash(request, _("No longer shared. That person cannot see the recordings any more."))
    raise web.HTTPSeeOther(f"/rooms/{room_id}/recordings")
