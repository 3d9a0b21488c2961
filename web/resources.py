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
from core.reminders import Handler, ReminderRunner
from interview.transcribe.jobs import make_queue
from web.keys import (
    ENGINE,
    PUBSUB,
    REMINDER_HANDLERS,
    REMINDERS,
    SESSIONS,
    SETTINGS,
    TRANSCRIPTION,
)


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


def add_reminder_handler(app: web.Application, kind: str, handler: Handler) -> None:
    """Deliver reminders of ``kind`` (``core.reminders.schedule(..., kind=kind)``) with ``handler``.

    Call it from a feature's ``setup``; the handler receives the reminder's payload and may use
    the app's resources (they are up while reminders run). One handler per kind.
    """
    if REMINDER_HANDLERS not in app:
        app[REMINDER_HANDLERS] = {}
    if kind in app[REMINDER_HANDLERS]:
        raise ValueError(f"a reminder handler for {kind!r} is already registered")
    app[REMINDER_HANDLERS][kind] = handler


async def reminders_ctx(app: web.Application) -> AsyncIterator[None]:
    """Due reminders (``core.reminders``), run every ``ALLWORK_REMINDER_INTERVAL`` seconds (0: not here).

    Started after every feature's own contexts and stopped before them (``LAST_CONTEXTS``), so
    handlers find what they use. Each process may run it: reminders are claimed in the database."""
    if REMINDER_HANDLERS not in app:
        app[REMINDER_HANDLERS] = {}
    handlers: dict[str, Handler] = app[REMINDER_HANDLERS]
    runner = ReminderRunner(app[SESSIONS], handlers, interval=app[SETTINGS].reminder_interval)
    app[REMINDERS] = runner
    if runner.interval > 0:
        await runner.start()
    yield
    await runner.close()


#: contexts that create_app appends after the features' own
LAST_CONTEXTS: list[Callable[[web.Application], AsyncIterator[None]]] = [reminders_ctx]
