"""Live events for the open page: server-sent events on ``/events`` for the logged-in user.

Services publish to the channel ``user:<id>`` (after commit); every node that holds an open
page of that user streams the event. The browser's EventSource reconnects by itself; what
must not be lost is also kept in the user's inbox.
"""

from __future__ import annotations

import json

from aiohttp import web
from aiohttp_sse import sse_response

from core.pubsub import user_channel
from web.keys import PUBSUB
from web.security import require_user, requires

routes = web.RouteTableDef()
PING_SECONDS = 15


@routes.get("/events", name="events")
@requires()
async def events(request: web.Request) -> web.StreamResponse:
    user = require_user(request)
    async with (
        request.app[PUBSUB].subscribe(user_channel(user.id)) as stream,
        sse_response(request, ping_interval=PING_SECONDS) as response,
    ):
        await response.send("ready", event="ready")
        async for event in stream:
            kind = str(event.get("kind", "message"))
            await response.send(json.dumps(event, ensure_ascii=False), event=kind)
    return response
