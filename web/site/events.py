"""Live events for the open page: server-sent events on ``/events`` for the logged-in user.

Services publish to the channel ``user:<id>`` (after commit); every node that holds an open
page of that user streams the event. The browser's EventSource reconnects by itself; what
must not be lost is also kept in the user's inbox. A ``notice`` event (``core.notices``) reaches the
page with its title translated into the page's language (:mod:`web.site.notices`).
"""

from __future__ import annotations

import json

from aiohttp import web
from aiohttp_sse import sse_response

from core.pubsub import user_channel
from web.keys import PUBSUB
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
    async with (
        request.app[PUBSUB].subscribe(user_channel(user.id)) as stream,
        sse_response(request, ping_interval=PING_SECONDS) as response,
    ):
        await response.send("ready", event="ready")
        async for event in stream:
            kind = str(event.get("kind", "message"))
            await response.send(json.dumps(event_for_page(event, gettext), ensure_ascii=False), event=kind)
    return response
