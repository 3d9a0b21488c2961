"""Live events for the open page: server-sent events on ``/events`` for the logged-in user.

Services publish to the channel ``user:<id>`` (after commit); every node that holds an open
page of that user streams the event. The browser's EventSource reconnects by itself; what
must not be lost is also kept in the user's inbox. A ``notice`` event (``core.notices``) reaches the
page with its title translated into the page's language (:mod:`web.site.notices`).

A stream outlives no login: before each event it checks that the page's login session has not been ended
(log out, log out everywhere, a new password, a switched-off account) and closes if it has.
"""

from __future__ import annotations

import json

from aiohttp import web
from aiohttp_session import get_session
from aiohttp_sse import sse_response

from core import login_sessions
from core.pubsub import user_channel
from web.keys import PUBSUB, SESSIONS, SETTINGS
from web.render import gettext_for
from web.security import require_user, requires
from web.site.notices import event_for_page

routes = web.RouteTableDef()
PING_SECONDS = 15


@routes.get("/events", name="events")
@requires()
async def events(request: web.Request) -> web.StreamResponse:
    user = require_user(request)
    gettext = gettext_for(request)  # notices are shown in the language of this page
    token = (await get_session(request)).get("sid")
    max_age = request.app[SETTINGS].session_max_age
    async with (
        request.app[PUBSUB].subscribe(user_channel(user.id)) as stream,
        sse_response(request, ping_interval=PING_SECONDS) as response,
    ):
        await response.send("ready", event="ready")
        async for event in stream:
            if (
                not isinstance(token, str)
                or await login_sessions.user_of(request.app[SESSIONS], token, max_age=max_age) is None
            ):
                break  # the login was ended meanwhile: this stream ends with it
            kind = str(event.get("kind", "message"))
            await response.send(json.dumps(event_for_page(event, gettext), ensure_ascii=False), event=kind)
    return response
