"""The matching service in the app, and live notification of new matches.

One :class:`~matching.service.MatchingService` per server process holds the in-memory match
index. After a change commits (a profile saved, a posting saved, a company approved):

1. the service stores the new matches in each recipient's inbox (``notify_change``);
2. each new match is published to ``user:<id>``, so an open page shows it at once (``/events``);
3. the change is published to the ``matching`` channel, so every other server process reloads
   that profile or posting into its own index.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from core.pubsub import user_channel
from matching.service import Affected, MatchingService
from web.keys import PUBSUB, SESSIONS

log = logging.getLogger(__name__)

MATCHING = web.AppKey("matching", MatchingService)
NODE = web.AppKey("node_id", str)
CHANGES_CHANNEL = "matching"


async def matching_ctx(app: web.Application) -> AsyncIterator[None]:
    service = MatchingService(app[SESSIONS])
    app[MATCHING] = service
    app[NODE] = uuid.uuid4().hex
    listener = asyncio.create_task(_follow_other_nodes(app), name="matching-changes")
    yield
    listener.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await listener


async def _follow_other_nodes(app: web.Application) -> None:
    service = app[MATCHING]
    async with app[PUBSUB].subscribe(CHANGES_CHANNEL) as changes:
        async for change in changes:
            if change.get("node") == app[NODE]:
                continue
            try:
                if "posting" in change:
                    await service.refresh_posting(int(change["posting"]))
                if "senior" in change:
                    await service.refresh_senior(int(change["senior"]))
                if "company" in change:
                    await service.refresh_company(int(change["company"]))
            except Exception:  # one bad change must not stop the follower
                log.exception("could not apply a matching change from another node: %s", change)


async def announce_change(
    app: web.Application,
    *,
    posting_ids: list[int] | None = None,
    senior_id: int | None = None,
    company_id: int | None = None,
) -> list[Affected]:
    """Tell other nodes about a committed change, and the people it gives new matches to."""
    change: dict[str, Any] = {"node": app[NODE]}
    if company_id is not None:
        change["company"] = company_id
    if senior_id is not None:
        change["senior"] = senior_id
    changes = [change | {"posting": p} for p in posting_ids] if posting_ids else [change]
    for message in changes:
        await app[PUBSUB].publish(CHANGES_CHANNEL, message)
    service = app[MATCHING]
    new: list[Affected] = []
    if senior_id is not None:
        new += await service.notify_change(senior_id=senior_id)
    for posting_id in posting_ids or []:
        new += await service.notify_change(posting_id=posting_id)
    for affected in new:
        await app[PUBSUB].publish(
            user_channel(affected.user_id),
            {
                "kind": "match",
                "for": affected.kind.value,
                "posting_id": affected.posting_id,
                "senior_id": affected.senior_id,
                "score": round(affected.score * 100),
            },
        )
    return new
