"""A take's start and stop on whichever node receives them (see :mod:`interview.practice.nodes`).

With ``ALLWORK_REDIS_URL`` one :class:`~interview.practice.nodes.PeerRouter` per process registers
the peers this node answered and carries starts and stops to the node that holds the page's peer;
without it (one process) the recorder is called directly, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

from aiohttp import web

from core.accounts import User
from interview.practice.nodes import PeerRouter, StartedTake
from web.keys import SESSIONS, SETTINGS
from web.practice.runtime import RECORDER

PEER_ROUTER = web.AppKey("practice_peer_router", PeerRouter)


def routes_prefix(secret: bytes) -> str:
    """Redis keys of one deployment: nodes sharing the secret key share peers, others never collide."""
    return "allwork:practice:" + hashlib.sha256(b"allwork-practice:" + secret).hexdigest()[:10] + ":"


async def peer_routes_ctx(app: web.Application) -> AsyncIterator[None]:
    """The router with Redis configured (after :func:`web.practice.runtime.practice_ctx`); else nothing."""
    settings = app[SETTINGS]
    if not settings.redis_url:
        yield
        return
    router = PeerRouter(
        settings.redis_url, app[RECORDER], app[SESSIONS], prefix=routes_prefix(settings.secret())
    )
    await router.start()
    app[PEER_ROUTER] = router
    try:
        yield
    finally:
        await router.close()


async def answered_offer(app: web.Application, session_id: int) -> None:
    """This node answered the session's offer: later starts and stops come here, whoever receives them."""
    router = app.get(PEER_ROUTER)
    if router is not None:
        await router.claim(session_id)


async def start_take(app: web.Application, senior: User, session_id: int, index: int) -> StartedTake:
    router = app.get(PEER_ROUTER)
    if router is not None:
        return await router.start_take(senior, session_id, index)
    take = await app[RECORDER].start_take(senior, session_id, index)
    return StartedTake(take.id, take.attempt)


async def stop_take(app: web.Application, senior: User, session_id: int, take_id: int) -> None:
    router = app.get(PEER_ROUTER)
    if router is not None:
        await router.stop_take(senior, session_id, take_id)
    else:
        await app[RECORDER].stop_take(senior, session_id, take_id)
