"""The server-side recorder of practice answers: one aiortc peer per open practice page.

The browser sends its microphone (and camera, when on) with a plain HTTP offer/answer
exchange (aiortc gathers its ICE candidates before answering). The peer always drains the
incoming tracks; between an answer's start and stop markers it keeps the audio, resampled to
16 kHz mono, and feeds it to a :class:`~interview.transcribe.streaming.StreamingTranscriber`
while the senior speaks, so only the last utterance is left to transcribe when the answer ends.
When the camera is on too, the answer's audio and pictures are written together to one WebM per
take (:mod:`interview.practice.takefile`), both starting at zero, so the transcript's word times
are the file's times.

When the answer ends, the WAV file is written and the feedback computed in worker threads;
the take moves ``recording -> processing -> done`` (or ``failed``). A connection that drops
or a tab that closes abandons only the answer being recorded (its row says so, its partial
files are removed); the session stays where it was and is resumed from the page.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import av
import numpy as np
from aiortc import MediaStreamTrack, RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from core.accounts import User
from core.db import Sessions
from core.i18n import N_
from interview.practice import service
from interview.practice.admission import Admission, Verdict
from interview.practice.errors import (
    BadOffer,
    NotConnected,
    TakeNotRecording,
    TooManyOwnRecordings,
    TooManyRecordings,
)
from interview.practice.models import PracticeTake, TakeState
from interview.practice.questions import Question
from interview.practice.storage import SAMPLE_RATE, Storage
from interview.practice.takefile import TakeWriter
from interview.transcribe.engine import Engine
from interview.transcribe.streaming import StreamingTranscriber

log = logging.getLogger(__name__)

MAX_SDP_BYTES = 20_000
#: audio kept after the stop marker: frames still on their way through the jitter buffer
SETTLE_SECONDS = 0.35
#: an answer keeps at most its time limit plus this much (a stop marker that never comes)
OVERRUN_SECONDS = 10
#: the streaming transcriber cuts an utterance at a pause this long (measured: 0.5 s left a whole
#: 15 s answer of read speech for the end, 2.7 s; 0.3 s cut it in two, 1.5-1.7 s; docs/practice.md)
UTTERANCE_PAUSE_S = 0.3
#: ... and at the next short silence once an utterance is this long
MAX_UTTERANCE_S = 12.0
#: a peer that has not connected this long after its offer is dropped (ICE usually takes < 2 s)
CONNECT_TIMEOUT_S = 15.0


@dataclass
class ActiveTake:
    take_id: int
    question: dict[str, Any]
    language: str | None
    limit_samples: int
    transcriber: StreamingTranscriber
    pcm: list[np.ndarray] = field(default_factory=list)
    samples: int = 0
    #: the answer's WebM (audio and video from zero) when the camera is on
    media: TakeWriter | None = None
    stopping: bool = False
    started: float = field(default_factory=time.monotonic)


@dataclass
class PracticePeer:
    session_id: int
    senior_id: int
    pc: RTCPeerConnection
    resampler: av.AudioResampler = field(
        default_factory=lambda: av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    )
    audio: bool = False
    video: bool = False
    active: ActiveTake | None = None
    pumps: list[asyncio.Task[None]] = field(default_factory=list)
    closed: bool = False
    #: drops the peer if it has not connected in time (see PracticeRecorder.connect_timeout)
    timer: asyncio.TimerHandle | None = None


def check_offer(sdp: object, kind: object) -> str:
    """The offer's SDP if it has the shape of a browser's audio offer; :class:`BadOffer` if not."""
    if kind != "offer" or not isinstance(sdp, str):
        raise BadOffer()
    if len(sdp.encode()) > MAX_SDP_BYTES or not sdp.startswith("v=0") or "m=audio" not in sdp:
        raise BadOffer()
    if "\x00" in sdp:
        raise BadOffer()
    return sdp


class PracticeRecorder:
    """The registry of practice peers (one per session) and what happens to each answer."""

    def __init__(
        self,
        sessions: Sessions,
        storage: Storage,
        engine: Callable[[], Awaitable[Engine]],
        *,
        ice_urls: list[str] | None = None,
        max_peers: int = 32,
        max_peers_per_senior: int = 2,
        connect_timeout: float = CONNECT_TIMEOUT_S,
        on_done: Callable[[PracticeTake], Awaitable[None]] | None = None,
        admission: Admission | None = None,
    ) -> None:
        self.sessions = sessions
        self.storage = storage
        self._engine = engine
        self._ice_urls = [u for u in (ice_urls or []) if u]
        self.max_peers = max_peers
        self.max_peers_per_senior = max_peers_per_senior
        self.connect_timeout = connect_timeout
        self.on_done = on_done
        #: how many sessions this node takes at once (None: only ``max_peers``)
        self.admission = admission
        self.peers: dict[int, PracticePeer] = {}
        self._work: set[asyncio.Task[None]] = set()

    # --- connection --------------------------------------------------------------------------
    async def connect(self, senior: User, session_id: int, sdp: object, kind: object) -> str:
        """Answer the browser's offer for its own session; an older peer of the session is closed."""
        offer = check_offer(sdp, kind)
        await service.owned_session(self.sessions, senior, session_id)
        old = self.peers.pop(session_id, None)
        if old is not None:
            await self._close(old, reason="replaced by a new connection")
        # one account cannot take every place: a few peers per senior, and peers that never
        # connect give their place back after connect_timeout
        if sum(1 for p in self.peers.values() if p.senior_id == senior.id) >= self.max_peers_per_senior:
            raise TooManyOwnRecordings()
        self.admit(session_id)
        if len(self.peers) >= self.max_peers:
            raise TooManyRecordings()
        config = RTCConfiguration([RTCIceServer(urls=self._ice_urls)] if self._ice_urls else None)
        pc = RTCPeerConnection(config)
        peer = PracticePeer(session_id, senior.id, pc)
        self.peers[session_id] = peer

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            if track.kind == "audio" and not peer.audio:
                peer.audio = True
                peer.pumps.append(asyncio.create_task(self._pump_audio(peer, track)))
            elif track.kind == "video" and not peer.video:
                peer.video = True
                peer.pumps.append(asyncio.create_task(self._pump_video(peer, track)))

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            log.info("practice session %s: peer %s", session_id, pc.connectionState)
            if pc.connectionState in ("failed", "closed") and self.peers.get(session_id) is peer:
                self.peers.pop(session_id, None)
                await self._close(peer, reason=f"connection {pc.connectionState}")

        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
            await pc.setLocalDescription(await pc.createAnswer())
        except Exception as exc:  # aiortc's SDP parser raises anything from AssertionError to ValueError
            log.info("practice session %s: bad offer: %r", session_id, exc)
            self.peers.pop(session_id, None)
            await self._close(peer, reason="bad offer")
            raise BadOffer() from None
        peer.timer = asyncio.get_running_loop().call_later(self.connect_timeout, self._expire, peer)
        warm = asyncio.ensure_future(self._engine())  # the model loads while the senior gets ready
        warm.add_done_callback(lambda t: t.cancelled() or t.exception())
        return str(pc.localDescription.sdp)

    def admit(self, session_id: int) -> Verdict | None:
        """The admission verdict for a session, the other sessions holding a place counted; raises
        :class:`~interview.practice.admission.PracticeFull` when this node is full."""
        if self.admission is None:
            return None
        return self.admission.check(sum(1 for sid in self.peers if sid != session_id))

    def verdict(self, session_id: int) -> Verdict | None:
        """Like :meth:`admit`, without raising (for the page and the answer's start)."""
        if self.admission is None:
            return None
        return self.admission.judge(sum(1 for sid in self.peers if sid != session_id))

    def _expire(self, peer: PracticePeer) -> None:
        """A peer still not connected ``connect_timeout`` after its offer gives its place back."""
        peer.timer = None
        if peer.closed or peer.pc.connectionState == "connected":
            return
        log.info("practice session %s: peer never connected, dropped", peer.session_id)
        if self.peers.get(peer.session_id) is peer:
            self.peers.pop(peer.session_id, None)
        self._spawn(self._close(peer, reason="never connected"))

    async def disconnect(self, senior: User, session_id: int) -> None:
        peer = self.peers.get(session_id)
        if peer is not None and peer.senior_id == senior.id:
            self.peers.pop(session_id, None)
            await self._close(peer, reason="page left")

    def connected(self, session_id: int) -> bool:
        peer = self.peers.get(session_id)
        return peer is not None and peer.audio and peer.pc.connectionState == "connected"

    # --- takes -------------------------------------------------------------------------------
    async def start_take(self, senior: User, session_id: int, index: int) -> PracticeTake:
        peer = self.peers.get(session_id)
        if peer is None or peer.senior_id != senior.id or not peer.audio or peer.closed:
            raise NotConnected()
        if peer.active is not None:
            await self._abandon(peer, "a new answer started")
        take, question, language = await service.begin_take(
            self.sessions, self.storage, senior, session_id, index, video=peer.video
        )
        engine = await self._engine()
        lang = None if language == "auto" else language
        limit = service.question_limit_seconds(question) + OVERRUN_SECONDS
        active = ActiveTake(
            take.id,
            question,
            lang,
            limit * SAMPLE_RATE,
            StreamingTranscriber(
                engine, language=lang, min_pause_s=UTTERANCE_PAUSE_S, max_utterance_s=MAX_UTTERANCE_S
            ),
        )
        if peer.video and take.video_file:
            active.media = TakeWriter(self.storage.path(take.video_file))
        peer.active = active
        return take

    async def stop_take(self, senior: User, session_id: int, take_id: int) -> None:
        """The senior pressed stop: keep the frames in flight, then analyse in the background."""
        peer = self.peers.get(session_id)
        active = peer.active if peer is not None and peer.senior_id == senior.id else None
        if active is None or active.take_id != take_id:
            row = await service.owned_session(self.sessions, senior, session_id)
            take = await service.get_take(self.sessions, row, take_id)
            if take.state in (TakeState.PROCESSING, TakeState.DONE):
                return  # a repeated stop
            raise TakeNotRecording()
        if active.stopping:
            return
        active.stopping = True
        self._spawn(self._finish(peer, active))  # type: ignore[arg-type]

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._work.add(task)
        task.add_done_callback(self._work.discard)

    async def _finish(self, peer: PracticePeer, active: ActiveTake) -> None:
        await asyncio.sleep(SETTLE_SECONDS)
        if peer.active is active:
            peer.active = None
        moved = await service.move_take(
            self.sessions, active.take_id, TakeState.PROCESSING, duration=active.samples / SAMPLE_RATE
        )
        if moved is None:  # deleted meanwhile, or abandoned by a dropped connection
            active.transcriber.abort()
            await self._discard_media(active)
            return
        try:
            pcm = np.concatenate(active.pcm) if active.pcm else np.zeros(0, np.int16)
            transcript, _path, video = await asyncio.gather(
                active.transcriber.finish(),
                asyncio.to_thread(self.storage.write_wav, moved.audio_file, pcm),
                self._close_media(active),
            )
            feedback = await asyncio.to_thread(_analyze, pcm, transcript, active.question, active.language)
        except Exception:
            log.exception("take %s: analysis failed", active.take_id)
            await service.move_take(
                self.sessions,
                active.take_id,
                TakeState.FAILED,
                error=N_("We could not analyse this answer. Please answer again."),
            )
            return
        extra = {} if video or moved.video_file is None else {"video_file": None}  # the WAV plays instead
        done = await service.move_take(
            self.sessions,
            active.take_id,
            TakeState.DONE,
            transcript=transcript.to_dict(),
            feedback=feedback,
            duration=len(pcm) / SAMPLE_RATE,
            **extra,
        )
        if done is None:  # deleted while it was analysed: leave no file behind
            await self.storage.aremove([moved.audio_file, moved.video_file])
        elif self.on_done is not None:
            await self.on_done(done)

    async def _close_media(self, active: ActiveTake) -> bool:
        """Finish the answer's WebM; False when there is none (no camera, or it could not be written)."""
        writer, active.media = active.media, None
        if writer is None:
            return False
        written = await writer.close()
        log.info(
            "take %s: video %s (%d frames, %d dropped)",
            active.take_id,
            "written" if written else "not written",
            writer.frames_written,
            writer.frames_dropped,
        )
        return written

    async def _discard_media(self, active: ActiveTake) -> None:
        writer, active.media = active.media, None
        if writer is not None:
            await writer.discard()

    async def _abandon(self, peer: PracticePeer, reason: str) -> None:
        active, peer.active = peer.active, None
        if active is None or active.stopping:
            return
        log.info("take %s abandoned: %s", active.take_id, reason)
        active.transcriber.abort()
        await self._discard_media(active)
        take = await service.move_take(self.sessions, active.take_id, TakeState.ABANDONED)
        if take is not None:
            await self.storage.aremove([take.audio_file, take.video_file])

    # --- media -------------------------------------------------------------------------------
    async def _pump_audio(self, peer: PracticePeer, track: MediaStreamTrack) -> None:
        try:
            while True:
                frame = await track.recv()
                active = peer.active
                if active is None or not isinstance(frame, av.AudioFrame):
                    continue
                for out in peer.resampler.resample(frame):
                    pcm = out.to_ndarray().reshape(-1).astype(np.int16, copy=False)
                    if active.samples + len(pcm) > active.limit_samples:
                        continue
                    active.pcm.append(pcm)
                    active.samples += len(pcm)
                    active.transcriber.feed(pcm)
                    if active.media is not None:
                        active.media.add_audio(pcm, time.monotonic())
        except MediaStreamError:
            pass
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("practice session %s: audio pump failed", peer.session_id)

    async def _pump_video(self, peer: PracticePeer, track: MediaStreamTrack) -> None:
        try:
            while True:
                frame = await track.recv()
                active = peer.active
                if (
                    active is not None
                    and active.media is not None
                    and isinstance(frame, av.VideoFrame)
                    and active.samples < active.limit_samples
                ):
                    active.media.add_video(frame, time.monotonic())
        except MediaStreamError:
            pass
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("practice session %s: video pump failed", peer.session_id)

    # --- closing -----------------------------------------------------------------------------
    async def _close(self, peer: PracticePeer, *, reason: str) -> None:
        if peer.closed:
            return
        peer.closed = True
        if peer.timer is not None:
            peer.timer.cancel()
            peer.timer = None
        await self._abandon(peer, reason)
        for task in peer.pumps:
            task.cancel()
        for task in peer.pumps:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await peer.pc.close()

    async def close_all(self) -> None:
        """On shutdown: every peer closes together; answers being analysed are awaited briefly."""
        peers, self.peers = list(self.peers.values()), {}
        await asyncio.gather(
            *(self._close(p, reason="server stopping") for p in peers), return_exceptions=True
        )
        if self._work:
            _done, pending = await asyncio.wait(set(self._work), timeout=20)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def wait_idle(self) -> None:
        """Wait for the answers being analysed (for tests and benchmarks)."""
        if self._work:
            await asyncio.wait(set(self._work))


def _analyze(
    pcm: np.ndarray, transcript: Any, question: dict[str, Any], language: str | None
) -> dict[str, Any]:
    """Feedback on one answer (worker thread): the other package's :func:`analyze`, stored as JSON."""
    from interview.practice.feedback import analyze

    q = Question(
        id=str(question.get("id", "")),
        category=str(question.get("category", "")),
        text_ko=str(question.get("text_ko", "")),
        text_en=str(question.get("text_en", "")),
        suggested_seconds=int(question.get("suggested_seconds") or 0),
        keywords_ko=tuple(question.get("keywords_ko") or ()),
        keywords_en=tuple(question.get("keywords_en") or ()),
        tip_ko=str(question.get("tip_ko", "")),
        tip_en=str(question.get("tip_en", "")),
        role=question.get("role"),
    )
    audio = pcm.astype(np.float32) / 32768.0
    feedback = analyze(audio, transcript, question=q, language=language)
    return {"ko": feedback.to_dict("ko"), "en": feedback.to_dict("en")}
