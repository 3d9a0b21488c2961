"""Practice's resources in the app: the recorder registry, the recordings' storage, the question labels.

One ``cleanup_ctx`` (:func:`practice_ctx`) sets them up and closes every recorder peer at shutdown;
the Whisper engine is loaded on the first connection and shared by every session of the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from core.config import Settings
from core.db import Sessions
from interview.practice import bank, service
from interview.practice.admission import Admission
from interview.practice.questions import bank_labels
from interview.practice.recorder import PracticeRecorder
from interview.practice.storage import Storage
from interview.practice.takefile import OldVideos
from interview.transcribe.engine import Engine, load_engine
from interview.transcribe.scheduler import scheduler_for
from web.keys import SESSIONS, SETTINGS

log = logging.getLogger(__name__)

RECORDER = web.AppKey("practice_recorder", PracticeRecorder)
STORAGE = web.AppKey("practice_storage", Storage)
#: answer videos recorded before takefile.py get their sound when first served
OLD_VIDEOS = web.AppKey("practice_old_videos", OldVideos)


@functools.cache
def labels() -> dict[str, Any]:
    """Category and job-family names in both languages (read once per process)."""
    return bank_labels()


async def _keep_leases(sessions: Sessions, storage: Storage) -> None:
    """Renew this process's take leases and repair takes whose process stopped (see service.LEASE)."""
    period = service.LEASE.total_seconds() / 3
    while True:
        await asyncio.sleep(period)
        try:
            await service.renew_leases(sessions)
            await service.recover_interrupted(sessions, storage)
        except Exception:  # the database may be away for a moment: try again next round
            log.exception("practice: renewing take leases failed")


def admission(settings: Settings, loading: list[asyncio.Task[Engine]]) -> Admission:
    """This node's admission of practice sessions (ALLWORK_PRACTICE_CAPACITY); its feedback estimate
    counts the decoding already waiting in the engine's shared scheduler once the engine is loaded."""

    def backlog() -> float:
        task = loading[0] if loading else None
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return 0.0
        return scheduler_for(task.result()).backlog_seconds()

    return Admission(settings.practice_capacity, backlog=backlog)


async def practice_ctx(app: web.Application) -> AsyncIterator[None]:
    """The recorder registry and the shared Whisper engine (loaded in the background at start)."""
    settings = app[SETTINGS]
    storage = Storage(settings.data_dir)
    app[STORAGE] = storage
    app[OLD_VIDEOS] = OldVideos()
    sessions = app[SESSIONS]
    labels()  # read once, here, where start-up may read files
    with contextlib.suppress(Exception):  # the bank is seeded on first use otherwise
        await bank.ensure_seeded(sessions)
    await service.recover_interrupted(sessions, storage)
    leases = asyncio.create_task(_keep_leases(sessions, storage), name="practice-leases")
    loading: list[asyncio.Task[Engine]] = []

    async def engine() -> Engine:
        # loaded on first use (the first connection), then shared by every session of the process
        if not loading:
            loading.append(asyncio.create_task(asyncio.to_thread(load_engine, settings)))
        return await asyncio.shield(loading[0])

    ice = [u.strip() for u in settings.stun_urls.split(",") if u.strip()]
    app[RECORDER] = PracticeRecorder(
        sessions,
        storage,
        engine,
        ice_urls=ice,
        max_peers=max(32, settings.practice_capacity),
        admission=admission(settings, loading),
    )
    yield
    await app[RECORDER].close_all()
    leases.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await leases
    for task in loading:
        with contextlib.suppress(BaseException):
            await task
