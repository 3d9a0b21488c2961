"""The resources every feature shares, one ``cleanup_ctx`` each: set up, yield, dispose.

The database, the pub/sub channel between nodes, and the transcription job queue. A feature's
own resources (the matching index, practice's recorder peers, the rooms' recorders) are added by
that feature's ``setup``, after these.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from aiohttp import web

from core.db import create_engine, session_factory
from core.pubsub import make_pubsub
from interview.transcribe.jobs import make_queue
from web.keys import ENGINE, PUBSUB, SESSIONS, SETTINGS, TRANSCRIPTION


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    engine = create_engine(app[SETTINGS])
    app[ENGINE] = engine
    app[SESSIONS] = session_factory(engine)
    yield
    await engine.dispose()


async def pubsub_ctx(app: web.Application) -> AsyncIterator[None]:
    app[PUBSUB] = make_pubsub(app[SETTINGS])
    yield
    await app[PUBSUB].close()


async def transcription_ctx(app: web.Application) -> AsyncIterator[None]:
    """The transcription job queue: an in-process pool, or arq on Redis with ``ALLWORK_REDIS_URL``.

    Jobs are rows first (``interview.transcribe.jobs.submit``); enqueue them after commit with
    ``app[TRANSCRIPTION].enqueue(job_id)``. Unfinished jobs are picked up again at start."""
    queue = make_queue(app[SETTINGS], app[SESSIONS])
    await queue.start()
    app[TRANSCRIPTION] = queue
    yield
    await queue.close()


CONTEXTS: list[Callable[[web.Application], AsyncIterator[None]]] = [
    database_ctx,
    pubsub_ctx,
    transcription_ctx,
]
