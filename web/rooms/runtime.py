"""Live interview rooms on the main app: the signaling endpoint, its hooks, and the recorders.

``setup_runtime(app, settings)`` (called by :func:`web.rooms.setup`) mounts the
signaling WebSocket at ``/ws/signal`` with the rooms domain's hooks, picks the broker from
the settings (Redis with ``ALLWORK_REDIS_URL``, else in-process), and adds one
``cleanup_ctx`` that owns this node's recorders.

Recording with consent: when the last participant agrees on screen, the node that received
that answer starts a :class:`~interview.rooms.recorder.RoomRecorder` (a server-side aiortc
peer) that joins the room through this node's own endpoint. Each participant's file becomes
a ``Recording`` row and a transcription job. The recorder transcribes each participant while the
interview goes on (``ALLWORK_ROOM_STREAM_TRANSCRIPTS``, on by default), so the job is stored
``done`` moments after the participant leaves; when streaming is off, the model is not here, or
streaming failed, the job goes on the app's transcription queue instead (in-process, or arq on
Redis for ``allwork worker`` processes).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from aiohttp import web

from core.clock import utcnow
from core.config import Settings
from core.db import DbSession, Sessions
from core.errors import AllWorkError
from interview.rooms import recordings, service
from interview.rooms.hooks import signaling_hooks
from interview.rooms.recorder import RoomRecorder
from interview.signaling.options import SignalingOptions
from interview.signaling.server import SIGNALING, setup_signaling
from interview.transcribe.engine import Engine, load_engine
from interview.transcribe.scheduler import Priority
from interview.transcribe.streaming import StreamingTranscriber
from interview.transcribe.types import Transcript
from web.keys import SESSIONS, TRANSCRIPTION
from web.security import Handler

log = logging.getLogger(__name__)

SIGNAL_PATH = "/ws/signal"


@dataclass
class RoomsRuntime:
    """This node's part in live rooms: its own endpoint address and its running recorders."""

    settings: Settings
    #: ``ws://host:port/ws/signal`` of this process, learnt from the first request it serves
    local_ws_url: str | None = None
    recorders: dict[int, RoomRecorder] = field(default_factory=dict)
    tasks: dict[int, asyncio.Task[Any]] = field(default_factory=dict)
    #: rooms whose recorder is being started on this node (between the checks and the task)
    starting: set[int] = field(default_factory=set)
    #: the Whisper model for streaming room transcripts, loading in a thread (None: not started)
    engine_loading: asyncio.Task[Engine | None] | None = None

    @property
    def recordings_dir(self) -> Path:
        return self.settings.data_dir / "recordings"


ROOMS = web.AppKey("rooms_runtime", RoomsRuntime)


class _AppSessions:
    """The app's session factory, looked up when used (it exists only once the app has started)."""

    def __init__(self, app: web.Application) -> None:
        self._app = app

    def __call__(self) -> DbSession:
        return self._app[SESSIONS]()


def app_sessions(app: web.Application) -> Sessions:
    return cast(Sessions, _AppSessions(app))


def broker_prefix(settings: Settings) -> str:
    """Redis keys of one deployment: nodes sharing the secret key share rooms, others never collide."""
    return "allwork:sig:" + hashlib.sha256(b"allwork-signal:" + settings.secret()).hexdigest()[:10]


def remember_local_url(request: web.Request) -> None:
    """Learn this node's own address (the recorder joins through it) from a request it serves."""
    runtime = request.app[ROOMS]
    if runtime.local_ws_url is not None or request.transport is None:
        return
    sock = request.transport.get_extra_info("sockname")
    if not sock:
        return
    host, port = str(sock[0]), int(sock[1])
    if ":" in host:
        host = f"[{host}]"
    runtime.local_ws_url = f"ws://{host}:{port}{SIGNAL_PATH}"


async def _media_seconds(path: Path) -> float:
    def probe() -> float:
        import av

        try:
            with av.open(str(path)) as container:
                if container.duration:
                    return float(container.duration) / 1_000_000
                stream = container.streams[0]
                if stream.duration and stream.time_base:
                    return float(stream.duration * stream.time_base)
        except (av.FFmpegError, IndexError, OSError):
            return 0.0
        return 0.0

    return await asyncio.to_thread(probe)


async def _new_job(app: web.Application, path: Path, user_id: int) -> str:
    from interview.transcribe.jobs import submit

    return str(await submit(app_sessions(app), str(path), language=None, owner_id=user_id, kind="interview"))


async def _settle_job(app: web.Application, job_id: str, transcript: Transcript | None) -> None:
    """Store the streamed transcript as the job's result, or queue the job to transcribe the file."""
    from interview.transcribe.jobs import complete

    if transcript is not None:
        await complete(app_sessions(app), int(job_id), "streaming", transcript)
        return
    queue = app.get(TRANSCRIPTION)
    if queue is not None:
        await queue.enqueue(int(job_id))


def preload_transcription(app: web.Application) -> None:
    """Start loading the Whisper model for streaming room transcripts (once per process), so that it
    is ready when a room's participants agree to be recorded. Participants joining a room call it."""
    runtime = app[ROOMS]
    if runtime.engine_loading is None and runtime.settings.room_stream_transcripts:
        runtime.engine_loading = asyncio.create_task(_load_engine(runtime.settings), name="room-whisper")


async def _load_engine(settings: Settings) -> Engine | None:
    """The engine, or None when it cannot load (recordings are then queued, never lost)."""
    try:
        return await asyncio.to_thread(load_engine, settings)
    except AllWorkError as exc:
        log.warning("rooms: no streaming transcripts (%s); recordings are queued for transcription", exc)
    except Exception:
        log.exception("rooms: loading Whisper failed; recordings are queued for transcription")
    return None


def _loaded_engine(app: web.Application) -> Engine | None:
    """The streaming engine if it has loaded; None while it loads (recording never waits for it)."""
    task = app[ROOMS].engine_loading
    if task is None or not task.done() or task.cancelled():
        return None
    return task.result()


async def start_recorder(app: web.Application, room_id: int) -> bool:
    """Start recording ``room_id`` on this node unless a recorder is already in the room."""
    runtime, sig = app[ROOMS], app[SIGNALING]
    sessions = app_sessions(app)
    task = runtime.tasks.get(room_id)
    if task is not None and not task.done():
        return False
    if room_id in runtime.starting:
        return False  # a start for this room is under way on this node
    runtime.starting.add(room_id)
    try:
        if any(p.role == "recorder" for p in await sig.broker.peers(room_id)):
            return False  # another node records it already
        if runtime.local_ws_url is None:
            log.error("room %s: cannot record, this node's address is not known yet", room_id)
            return False
        token = await service.issue_recorder_token(sessions, runtime.settings, room_id)
    finally:
        runtime.starting.discard(room_id)

    preload_transcription(app)

    def transcriber_for(user_id: int) -> StreamingTranscriber | None:
        engine = _loaded_engine(app)
        return None if engine is None else StreamingTranscriber(engine, language=None, priority=Priority.ROOM)

    async def on_recording(user_id: int, audio: Path, transcript: Awaitable[Transcript | None]) -> None:
        # listed as soon as the file is closed; its transcript follows (unclear audio decodes slowly)
        closed_at = utcnow()
        job = await _new_job(app, audio, user_id)
        duration = await _media_seconds(audio)
        await recordings.add_recording(
            sessions,
            room_id,
            user_id,
            str(audio),
            duration=duration,
            transcript_job_id=job,
            # the file holds what was heard up to its closing: the speakers' lines merge by this
            started_at=closed_at - timedelta(seconds=duration),
        )
        video = audio.with_suffix(".webm")
        if await asyncio.to_thread(lambda: video.is_file() and video.stat().st_size > 0):
            await recordings.add_recording(
                sessions,
                room_id,
                user_id,
                str(video),
                kind="video",
                duration=await _media_seconds(video),
                started_at=closed_at - timedelta(seconds=duration),
            )
        await _settle_job(app, job, await transcript)

    recorder = RoomRecorder(
        runtime.local_ws_url,
        token,
        room_id,
        runtime.recordings_dir / f"room{room_id}",
        on_recording,
        transcriber_for=transcriber_for,
    )
    runtime.recorders[room_id] = recorder

    async def run() -> None:
        try:
            files = await recorder.run()
            log.info("room %s: recorder finished with %d file(s)", room_id, len(files))
        except Exception:
            log.exception("room %s: recorder failed", room_id)
        finally:
            runtime.recorders.pop(room_id, None)
            runtime.tasks.pop(room_id, None)

    runtime.tasks[room_id] = asyncio.create_task(run(), name=f"recorder-room-{room_id}")
    log.info("room %s: everyone agreed; recording", room_id)
    return True


async def _recorders_ctx(app: web.Application) -> AsyncIterator[None]:
    yield
    runtime = app[ROOMS]
    if runtime.engine_loading is not None and not runtime.engine_loading.done():
        runtime.engine_loading.cancel()  # the loading thread finishes on its own; nobody waits for it
    for recorder in list(runtime.recorders.values()):
        with contextlib.suppress(Exception):
            await recorder.stop()
    tasks = [t for t in runtime.tasks.values() if not t.done()]
    if tasks:
        _done, pending = await asyncio.wait(tasks, timeout=10)
        for t in pending:
            t.cancel()
        for t in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t


@web.middleware
async def local_url_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Learn this node's own address (the recorder joins through it) from the first request it serves."""
    remember_local_url(request)
    return await handler(request)


def setup_runtime(app: web.Application, settings: Settings) -> None:
    """Mount ``/ws/signal`` with the rooms hooks, and this node's recorders with their context."""
    app[ROOMS] = RoomsRuntime(settings)

    async def on_all_agreed(room_id: int) -> None:
        await start_recorder(app, room_id)

    hooks = signaling_hooks(app_sessions(app), on_all_agreed=on_all_agreed)
    options = SignalingOptions(redis_prefix=broker_prefix(settings))
    setup_signaling(app, settings, path=SIGNAL_PATH, options=options, hooks=hooks)
    app.cleanup_ctx.append(_recorders_ctx)
    app.middlewares.append(local_url_middleware)
