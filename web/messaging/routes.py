"""The admin's outbox: every e-mail and text message the site sent (or kept), newest first.

The files live in ``<data dir>/outbox/`` (:mod:`core.outbox`); they are read in a thread, never on
the event loop. A message is opened by its file name, which :func:`core.outbox.read` checks.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import get_args

from aiohttp import web

from core import outbox
from core.accounts import Role
from core.errors import NotFound
from web.keys import SETTINGS
from web.render import render
from web.security import requires

routes = web.RouteTableDef()

#: the newest messages listed of each kind
LIMIT = 100


@dataclass
class OutboxPage:
    mail: list[outbox.Item] = field(default_factory=list)
    sms: list[outbox.Item] = field(default_factory=list)
    #: where mail goes besides the outbox: the SMTP host, or None when the outbox is all
    smtp_host: str | None = None


@dataclass
class MessagePage:
    content: outbox.Content


@routes.get("/admin/outbox", name="admin_outbox")
@requires(Role.ADMIN)
async def outbox_list(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    mail, sms = await asyncio.gather(
        asyncio.to_thread(outbox.items, settings.data_dir, "mail", LIMIT),
        asyncio.to_thread(outbox.items, settings.data_dir, "sms", LIMIT),
    )
    return await render(request, "messaging/outbox.html", OutboxPage(mail, sms, settings.smtp_host))


@routes.get(r"/admin/outbox/{kind:mail|sms}/{name}", name="admin_outbox_message")
@requires(Role.ADMIN)
async def outbox_message(request: web.Request) -> web.Response:
    kind = request.match_info["kind"]
    assert kind in get_args(outbox.Kind)
    content = await asyncio.to_thread(
        outbox.read,
        request.app[SETTINGS].data_dir,
        kind,  # type: ignore[arg-type]
        request.match_info["name"],
    )
    if content is None:
        raise NotFound()
    return await render(request, "messaging/message.html", MessagePage(content))
