"""The recorder peer: real aiortc participants send real speech; one playable file per participant."""

from __future__ import annotations

import asyncio
import fractions
import json
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
import av
import numpy as np
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from aiortc import RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
from aiortc.contrib.media import MediaPlayer

from core.config import Settings
from interview.rooms.recorder import RoomRecorder
from interview.signaling.server import setup_signaling
from interview.signaling.tokens import RoomRole, issue_room_token

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Two voices made once per session with espeak-ng."""
    folder = tmp_path_factory.mktemp("speech")
    out = {}
    for user, (voice, text) in {
        1: ("ko", "안녕하세요. 지원해 주셔서 감사합니다. 자기소개를 부탁드립니다."),
        2: ("en", "Good morning. I worked as a plant manager for twenty five years."),
    }.items():
        path = folder / f"user{user}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True)
        out[user] = path
    return out


class SmallVideo(VideoStreamTrack):
    """A real moving 160x120 picture (cheap to encode on a shared 2-core machine)."""

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        img = np.zeros((120, 160, 3), np.uint8)
        img[:, (pts // 3000) % 160] = 255
        frame = av.VideoFrame.from_ndarray(img, format="rgb24")
        frame.pts, frame.time_base = pts, time_base or fractions.Fraction(1, 90000)
        return frame


class Participant:
    """What a browser does for the recorder: answer its offer with microphone (and camera) tracks."""

    def __init__(self, url: str, token: str, wav: Path, video: bool) -> None:
        self.url, self.token, self.wav, self.video = url, token, wav, video
        self.pcs: list[RTCPeerConnection] = []
        self.players: list[MediaPlayer] = []
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.peer_id = ""
        self.task: asyncio.Task[None] | None = None

    async def start(self, http: aiohttp.ClientSession) -> dict[str, Any]:
        self.ws = await http.ws_connect(self.url)
        await self.ws.send_str(json.dumps({"type": "join", "token": self.token, "room": 1}))
        welcome = json.loads((await self.ws.receive(timeout=5)).data)
        self.peer_id = welcome["peer"]
        self.task = asyncio.create_task(self._loop())
        return welcome

    async def send(self, msg: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send_str(json.dumps(msg))

    async def _loop(self) -> None:
        assert self.ws is not None
        async for frame in self.ws:
            msg = json.loads(frame.data)
            if msg["type"] == "offer":
                pc = RTCPeerConnection()
                self.pcs.append(pc)
                player = MediaPlayer(str(self.wav), loop=True)
                self.players.append(player)
                pc.addTrack(player.audio)
                if self.video:
                    pc.addTrack(SmallVideo())
                await pc.setRemoteDescription(RTCSessionDescription(msg["sdp"], "offer"))
                await pc.setLocalDescription(await pc.createAnswer())
                await self.send({"type": "answer", "to": msg["from"], "sdp": pc.localDescription.sdp})

    async def leave(self) -> None:
        if self.ws is not None and not self.ws.closed:
            await self.send({"type": "leave"})
            await self.ws.close()
        if self.task is not None:
            self.task.cancel()
            with __import__("contextlib").suppress(asyncio.CancelledError):
                await self.task
        for pc in self.pcs:
            await pc.close()


async def _until(cond: Any, within: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not cond():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def _audio_facts(path: Path) -> tuple[float, float]:
    """(duration in seconds, RMS level) decoded with PyAV."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        samples = [frame.to_ndarray().astype(np.float32).ravel() for frame in container.decode(stream)]
    pcm = np.concatenate(samples)
    rate = stream.rate or 48000
    channels = stream.channels or 1
    return len(pcm) / rate / channels, float(np.sqrt(np.mean(np.square(pcm))))


async def test_recorder_writes_one_playable_file_per_participant(
    settings: Settings, speech: dict[int, Path], tmp_path: Path
) -> None:
    app = web.Application()
    setup_signaling(app, settings)
    server = TestServer(app)
    await server.start_server()
    url = str(server.make_url("/ws/signal"))
    handed: list[tuple[int, Path]] = []

    async def on_recording(user_id: int, path: Path) -> None:
        handed.append((user_id, path))

    def tok(uid: int, role: RoomRole) -> str:
        return issue_room_token(settings, user_id=uid, room_id=1, role=role, name=f"user{uid}")

    interviewer = Participant(url, tok(1, RoomRole.INTERVIEWER), speech[1], video=True)
    candidate = Participant(url, tok(2, RoomRole.CANDIDATE), speech[2], video=False)
    recorder = RoomRecorder(url, tok(0, RoomRole.RECORDER), 1, tmp_path / "rec", on_recording)
    try:
        async with aiohttp.ClientSession() as http:
            await interviewer.start(http)
            await candidate.start(http)
            await interviewer.send({"type": "admit", "peer": candidate.peer_id})
            run = asyncio.create_task(recorder.run())
            await asyncio.wait_for(recorder.joined.wait(), 10)
            await _until(
                lambda: len(recorder.peers) == 2 and all(p.started for p in recorder.peers.values()), 20
            )
            await _until(
                lambda: all(
                    p.audio_path.exists() and p.audio_path.stat().st_size > 8000
                    for p in recorder.peers.values()
                ),
                30,
            )
            await asyncio.sleep(1.0)  # a little more speech in the files
            await candidate.leave()
            await _until(lambda: len(handed) == 1, 15)
            assert handed[0][0] == 2
            await interviewer.leave()
            files = await asyncio.wait_for(run, 15)
    finally:
        await recorder.stop()
        await interviewer.leave()
        await candidate.leave()
        await server.close()

    assert sorted(uid for uid, _ in files) == [1, 2] and sorted(handed) == sorted(files)
    paths = {uid: path for uid, path in files}
    assert paths[1] != paths[2] and all(p.suffix == ".ogg" for p in paths.values())
    for path in paths.values():
        duration, rms = _audio_facts(path)
        assert duration >= 1.0, (path, duration)
        assert rms > 0.005, (path, rms)  # speech, not silence
    # the interviewer also sent video: its own WebM with decodable frames
    video = paths[1].with_suffix(".webm")
    with av.open(str(video)) as container:
        frames = [f for _, f in zip(range(5), container.decode(video=0), strict=False)]
    assert len(frames) >= 1 and frames[0].width == 160
