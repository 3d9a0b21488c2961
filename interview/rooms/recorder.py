"""The server-side recorder: an aiortc peer that joins a room like a browser and records it.

It joins only with a recorder token, which the rooms service issues once every participant
has agreed on screen (:func:`interview.rooms.service.issue_recorder_token`). It signals through
the same WebSocket endpoint as the browsers, offers each participant a receive-only
connection, and writes each participant's audio to its own Ogg/Opus file (and video, when
sent, to its own WebM/VP8 file). When a participant leaves, the room ends or the recorder
is stopped, each audio file is handed to ``on_recording(user_id, path, transcript)`` as soon as it
is closed — the transcription package transcribes each speaker separately, so no diarization is needed.

With ``transcriber_for``, each participant's audio is also fed, while the interview goes on,
to a :class:`~interview.transcribe.streaming.StreamingTranscriber` (through aiortc's
``MediaRelay``, so the file and the transcriber read the same frames). ``transcript`` is an
awaitable the caller awaits after it has listed the file: the streamed transcript, ready moments
after the participant leaves (longer on unclear audio), or ``None`` without a transcriber or when
streaming failed; the caller queues a transcription of the file instead.

Browsers never offer to a peer whose role is ``recorder``; they answer its offer and add
their microphone and camera tracks (see docs/signaling.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import av
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.contrib.media import MediaRecorder, MediaRelay
from aiortc.mediastreams import MediaStreamError
from aiortc.sdp import candidate_from_sdp

from interview.transcribe.streaming import StreamingTranscriber
from interview.transcribe.types import Transcript

log = logging.getLogger(__name__)

OnRecording = Callable[[int, Path, Awaitable[Transcript | None]], Awaitable[None]]
#: a streaming transcriber for a participant (by user id), or None to transcribe the file later
TranscriberFor = Callable[[int], StreamingTranscriber | None]


@dataclass
class RecordedPeer:
    peer_id: str
    user_id: int
    pc: RTCPeerConnection
    audio_path: Path
    video_path: Path
    recorders: list[MediaRecorder] = field(default_factory=list)
    tracks: list[MediaStreamTrack] = field(default_factory=list)
    started: bool = False
    done: bool = False
    transcriber: StreamingTranscriber | None = None
    pump: asyncio.Task[None] | None = None


class SteadyAudio(MediaStreamTrack):
    """A participant's audio for the file, on its own clock: each frame is a copy whose ``pts`` counts the
    samples written before it, so the file starts at 0 and runs without jumps.

    The received frames' ``pts`` come from RTP timestamps, and aiortc takes a timestamp that arrives out
    of order for a 32-bit wrap (``+2**32`` samples, 89 478 s at 48 kHz); the Ogg file then held half a
    second of Chrome's audio and a day-long gap. Counted samples also keep the file's seconds equal to
    the transcriber's (which hears the same frames end to end), so a transcript line seeks to its words.
    The frames are copied, never changed: a ``MediaRelay`` hands the same frame to the transcriber.
    """

    kind = "audio"

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self._source = source
        self._next = 0

    async def recv(self) -> av.AudioFrame:
        frame = await self._source.recv()
        assert isinstance(frame, av.AudioFrame)
        copy = av.AudioFrame.from_ndarray(
            frame.to_ndarray(), format=frame.format.name, layout=frame.layout.name
        )
        copy.sample_rate = frame.sample_rate
        copy.pts = self._next
        copy.time_base = fractions.Fraction(1, frame.sample_rate)
        self._next += frame.samples
        return copy


def _rtc_config(servers: list[dict[str, Any]]) -> RTCConfiguration:
    ice = [
        RTCIceServer(urls=s["urls"], username=s.get("username"), credential=s.get("credential"))
        for s in servers
        if s.get("urls")
    ]
    return RTCConfiguration(iceServers=ice or None)


class RoomRecorder:
    """Record one room until it ends, everyone leaves, or :meth:`stop` is called."""

    def __init__(
        self,
        ws_url: str,
        token: str,
        room_id: int,
        out_dir: Path,
        on_recording: OnRecording,
        *,
        record_video: bool = True,
        ice_servers: list[dict[str, Any]] | None = None,
        transcriber_for: TranscriberFor | None = None,
    ) -> None:
        self.transcriber_for = transcriber_for
        self._relay = MediaRelay()
        self.ws_url = ws_url
        self.token = token
        self.room_id = room_id
        self.out_dir = Path(out_dir)
        self.on_recording = on_recording
        self.record_video = record_video
        self._ice_override = ice_servers
        self._config = RTCConfiguration()
        self.peers: dict[str, RecordedPeer] = {}
        self.files: list[tuple[int, Path]] = []
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._stop = asyncio.Event()
        self.joined = asyncio.Event()

    async def stop(self) -> None:
        self._stop.set()
        if self._ws is not None and not self._ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self._ws.send_str(json.dumps({"type": "leave"}))

    async def run(self) -> list[tuple[int, Path]]:
        """Join, record, hand over the files; returns ``(user_id, audio path)`` per participant."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        try:
            async with aiohttp.ClientSession() as http, http.ws_connect(self.ws_url, heartbeat=20) as ws:
                self._ws = ws
                await ws.send_str(json.dumps({"type": "join", "token": self.token, "room": self.room_id}))
                stopper = asyncio.create_task(self._stop.wait())
                try:
                    while not self._stop.is_set():
                        reader = asyncio.create_task(ws.receive())
                        await asyncio.wait({reader, stopper}, return_when=asyncio.FIRST_COMPLETED)
                        if not reader.done():
                            reader.cancel()
                            break
                        frame = reader.result()
                        if frame.type != aiohttp.WSMsgType.TEXT:
                            break
                        if not await self._on_message(json.loads(frame.data)):
                            break
                finally:
                    stopper.cancel()
        finally:
            for peer in list(self.peers.values()):
                await self._finish(peer)
        return self.files

    async def _on_message(self, msg: dict[str, Any]) -> bool:
        kind = msg.get("type")
        if kind == "welcome":
            self._config = _rtc_config(
                self._ice_override if self._ice_override is not None else msg["ice_servers"]
            )
            self.joined.set()
            for p in msg["peers"]:
                await self._call(p)
        elif kind == "peer_joined" and msg.get("role") != "recorder":
            old = self.peers.get(msg["peer"])
            if old is not None and not old.done:
                # the same browser after a signaling reconnection (media goes on), or a peer announced
                # twice: listed in the welcome and then by its admission relayed from another node.
                # A second offer would make the browser answer twice (#17).
                return True
            if old is not None:
                await self._finish(old)
            await self._call(msg)
        elif kind == "answer" and msg.get("from") in self.peers:
            peer = self.peers[msg["from"]]
            if peer.pc.signalingState != "have-local-offer":
                log.warning("room %s recorder: stray answer from %s ignored", self.room_id, peer.peer_id)
                return True
            await peer.pc.setRemoteDescription(RTCSessionDescription(sdp=msg["sdp"], type="answer"))
            await self._start(peer)
        elif kind == "candidate" and msg.get("from") in self.peers and msg.get("candidate"):
            cand = msg["candidate"]
            if cand.get("candidate"):
                ice = candidate_from_sdp(cand["candidate"].removeprefix("a=").removeprefix("candidate:"))
                ice.sdpMid, ice.sdpMLineIndex = cand.get("sdpMid"), cand.get("sdpMLineIndex")
                await self.peers[msg["from"]].pc.addIceCandidate(ice)
        elif kind == "peer_left" and msg.get("peer") in self.peers:
            await self._finish(self.peers[msg["peer"]])
            if all(p.done for p in self.peers.values()):
                return False  # nobody left to record
        elif kind in ("room_ended", "denied"):
            return False
        elif kind == "consent" and msg.get("agree") is False:
            log.info("room %s recorder: a participant withdrew consent; stopping", self.room_id)
            return False  # recording needs everyone's consent, all the time
        elif kind == "error":
            log.warning("room %s recorder: %s", self.room_id, msg)
            if msg.get("ref") == "join":
                return False
        return True

    async def _call(self, info: dict[str, Any]) -> None:
        if info.get("role") == "recorder":
            return
        peer_id, user_id = str(info["peer"]), int(info["user_id"])
        stem = self.out_dir / f"room{self.room_id}-user{user_id}-{peer_id}"
        pc = RTCPeerConnection(self._config)
        peer = RecordedPeer(peer_id, user_id, pc, stem.with_suffix(".ogg"), stem.with_suffix(".webm"))
        self.peers[peer_id] = peer

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            peer.tracks.append(track)

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            log.info("room %s recorder: %s is %s", self.room_id, peer_id, pc.connectionState)
            if pc.connectionState == "failed":
                await self._finish(peer)

        pc.addTransceiver("audio", direction="recvonly")
        if self.record_video:
            pc.addTransceiver("video", direction="recvonly")
        await pc.setLocalDescription(await pc.createOffer())
        await self._send({"type": "offer", "to": peer_id, "sdp": pc.localDescription.sdp})

    async def _start(self, peer: RecordedPeer) -> None:
        if peer.started:
            return
        peer.started = True
        for track in peer.tracks:
            path = peer.audio_path if track.kind == "audio" else peer.video_path
            rec = MediaRecorder(str(path))
            if track.kind == "audio" and self.transcriber_for is not None and peer.transcriber is None:
                peer.transcriber = self.transcriber_for(peer.user_id)
            if peer.transcriber is not None and track.kind == "audio":
                rec.addTrack(SteadyAudio(self._relay.subscribe(track)))
                peer.pump = asyncio.create_task(
                    _pump(self._relay.subscribe(track), peer.transcriber), name=f"transcribe-{peer.peer_id}"
                )
            else:
                rec.addTrack(SteadyAudio(track) if track.kind == "audio" else track)
            await rec.start()
            peer.recorders.append(rec)

    async def _finish(self, peer: RecordedPeer) -> None:
        if peer.done:
            return
        peer.done = True
        for rec in peer.recorders:
            with contextlib.suppress(Exception):
                await rec.stop()
        await peer.pc.close()
        # the transcript finishes in its own task; on_recording lists the file first, then awaits it
        transcript = asyncio.ensure_future(self._transcript(peer))
        try:
            if peer.recorders and peer.audio_path.exists() and peer.audio_path.stat().st_size > 0:
                self.files.append((peer.user_id, peer.audio_path))
                try:
                    await self.on_recording(peer.user_id, peer.audio_path, transcript)
                except Exception:
                    log.exception(
                        "room %s recorder: on_recording failed for user %s", self.room_id, peer.user_id
                    )
        finally:
            await transcript  # the transcriber is finished in any case (it never raises)

    async def _transcript(self, peer: RecordedPeer) -> Transcript | None:
        """The participant's streamed transcript, or None (no transcriber, or it failed)."""
        if peer.transcriber is None:
            return None
        if peer.pump is not None:
            peer.pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await peer.pump
        try:
            return await peer.transcriber.finish()
        except Exception:
            log.exception("room %s recorder: streaming transcript of %s failed", self.room_id, peer.peer_id)
            return None

    async def _send(self, msg: dict[str, Any]) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.send_str(json.dumps(msg))


async def _pump(track: MediaStreamTrack, transcriber: StreamingTranscriber) -> None:
    """Feed a participant's audio frames, as 16 kHz mono, to the streaming transcriber."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=16000)
    while True:
        try:
            frame = await track.recv()
        except MediaStreamError:
            return
        for out in resampler.resample(frame):  # type: ignore[arg-type]
            transcriber.feed(out.to_ndarray().reshape(-1))
