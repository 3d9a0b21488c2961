"""The recorder peer: real aiortc participants send real speech; one playable file per participant."""

from __future__ import annotations

import asyncio
import fractions
import json
import re
import subprocess
from collections.abc import Awaitable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import av
import numpy as np
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
from aiortc.contrib.media import MediaPlayer, MediaRecorder
from aiortc.mediastreams import MediaStreamError

from core.clock import utcnow
from core.config import Settings, load_settings
from core.db import Sessions
from interview.rooms import recordings, service
from interview.rooms.recorder import RoomRecorder, SteadyAudio, TranscriberFor
from interview.signaling.server import setup_signaling
from interview.signaling.tokens import RoomRole, issue_room_token
from interview.transcribe import jobs
from interview.transcribe.engine import Engine, load_engine
from interview.transcribe.streaming import StreamingTranscriber
from interview.transcribe.types import Transcript
from tests.waiting import wait_until

from .conftest import People

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
        raw, path = folder / f"user{user}-raw.wav", folder / f"user{user}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), str(path), "pad", "0", "1.0"], check=True)  # a pause between loops
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
                assert player.audio is not None  # the WAV has an audio stream
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


def _audio_facts(path: Path) -> tuple[float, float]:
    """(duration in seconds, RMS level) decoded with PyAV."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        samples = [frame.to_ndarray().astype(np.float32).ravel() for frame in container.decode(stream)]
    pcm = np.concatenate(samples)
    rate = stream.rate or 48000
    channels = stream.channels or 1
    return len(pcm) / rate / channels, float(np.sqrt(np.mean(np.square(pcm))))


Handed = list[tuple[int, Path, Transcript | None]]


async def _received_audio(recorder: RoomRecorder, packets: int) -> bool:
    """Every peer of the recorder has received at least ``packets`` audio packets (20 ms each)."""
    for peer in recorder.peers.values():
        stats = await peer.pc.getStats()
        got = sum(
            getattr(s, "packetsReceived", 0) or 0
            for s in stats.values()
            if s.type == "inbound-rtp" and getattr(s, "kind", "") == "audio"
        )
        if got < packets:
            return False
    return True


async def _record_room(
    settings: Settings, speech: dict[int, Path], tmp_path: Path, transcriber_for: TranscriberFor | None = None
) -> tuple[list[tuple[int, Path]], Handed]:
    """Interviewer (Korean, with video) and candidate (English) in room 1 with the recorder; the
    candidate leaves first, then the interviewer."""
    app = web.Application()
    setup_signaling(app, settings)
    server = TestServer(app)
    await server.start_server()
    url = str(server.make_url("/ws/signal"))
    handed: Handed = []

    async def on_recording(user_id: int, path: Path, transcript: Awaitable[Transcript | None]) -> None:
        handed.append((user_id, path, await transcript))

    def tok(uid: int, role: RoomRole) -> str:
        return issue_room_token(settings, user_id=uid, room_id=1, role=role, name=f"user{uid}")

    interviewer = Participant(url, tok(1, RoomRole.INTERVIEWER), speech[1], video=True)
    candidate = Participant(url, tok(2, RoomRole.CANDIDATE), speech[2], video=False)
    recorder = RoomRecorder(
        url, tok(0, RoomRole.RECORDER), 1, tmp_path / "rec", on_recording, transcriber_for=transcriber_for
    )
    try:
        async with aiohttp.ClientSession() as http:
            await interviewer.start(http)
            await candidate.start(http)
            await interviewer.send({"type": "admit", "peer": candidate.peer_id})
            run = asyncio.create_task(recorder.run())
            await asyncio.wait_for(recorder.joined.wait(), 10)
            await wait_until(
                lambda: len(recorder.peers) == 2 and all(p.started for p in recorder.peers.values()),
                within=20,
                message="the recorder did not start both peers",
            )
            # audio arriving at the recorder (its Ogg files are written out when closed, not as they grow)
            await wait_until(
                lambda: _received_audio(recorder, 100), within=30, message="no audio reached the recorder"
            )
            # record this much more speech (a duration, not a condition): more words for the transcript
            await asyncio.sleep(1.0 if transcriber_for is None else 6.0)
            await candidate.leave()
            await wait_until(lambda: len(handed) == 1, within=60, message="the files were not handed over")
            assert handed[0][0] == 2
            await interviewer.leave()
            files = await asyncio.wait_for(run, 60)  # the last transcript is awaited too
    finally:
        await recorder.stop()
        await interviewer.leave()
        await candidate.leave()
        await server.close()
    return files, handed


async def test_recorder_writes_one_playable_file_per_participant(
    settings: Settings, speech: dict[int, Path], tmp_path: Path
) -> None:
    files, handed = await _record_room(settings, speech, tmp_path)
    assert sorted(uid for uid, _ in files) == [1, 2]
    assert sorted((uid, path) for uid, path, _ in handed) == sorted(files)
    assert all(transcript is None for _, _, transcript in handed)  # no transcriber: queued later
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


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w']+", " ", text.lower()).split())


@pytest.fixture(scope="module")
def tiny_en(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The bundled English tiny model (fast enough to follow two speakers on two cores)."""
    settings = load_settings(data_dir=tmp_path_factory.mktemp("rooms_model"), whisper_threads=2)
    return load_engine(settings, "tiny.en")


async def test_recorder_transcribes_while_the_interview_goes_on(
    settings: Settings, speech: dict[int, Path], tmp_path: Path, tiny_en: Engine
) -> None:
    """The candidate's words arrive with the file when the candidate leaves; a participant without
    a transcriber (here the interviewer) gets None, which the app turns into a queued job."""
    made: dict[int, StreamingTranscriber] = {}

    def transcriber_for(user_id: int) -> StreamingTranscriber | None:
        if user_id == 1:
            return None
        made[user_id] = StreamingTranscriber(tiny_en, language="en")
        return made[user_id]

    files, handed = await _record_room(settings, speech, tmp_path, transcriber_for)
    by_user = {uid: (path, transcript) for uid, path, transcript in handed}
    assert sorted(by_user) == [1, 2] and by_user[1][1] is None
    transcript = by_user[2][1]
    assert transcript is not None and transcript.language == "en"
    # the espeak text, looped every ~5 s ("Good morning. I worked as a plant manager for twenty five
    # years."); tiny.en hears robotic speech through Opus imperfectly ("I work Tana plan to manage a
    # fort 25 years"), and as badly when it transcribes the file whole, so the test counts the loops
    text = _plain(transcript.text)
    assert {"morning", "years"} <= set(text.split()), transcript.text
    loops = text.count("good morning")
    assert transcript.duration / 10 <= loops <= transcript.duration / 2, transcript.text  # all heard, no loop
    assert transcript.words[-1].end > transcript.duration - 8  # transcribed up to the end
    duration, _ = _audio_facts(by_user[2][0])
    assert abs(transcript.duration - duration) < 1.5  # the transcriber heard what the file holds
    assert made[2].utterances >= 1


@pytest.fixture(scope="module")
def question(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interviewer's question in English (tiny.en follows both speakers)."""
    folder = tmp_path_factory.mktemp("question")
    raw, path = folder / "question-raw.wav", folder / "question.wav"
    text = "Good afternoon. Please tell me about the factory where you worked."
    subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), str(path), "pad", "0", "1.0"], check=True)
    return path


async def test_a_recorded_interview_has_both_speakers_lines(
    settings: Settings,
    speech: dict[int, Path],
    tmp_path: Path,
    tiny_en: Engine,
    sessions: Sessions,
    people: People,
    question: Path,
) -> None:
    """Both participants transcribed while they speak; listed as the app lists them, the room's
    recordings show each speaker's own words in one timeline, each line seeking in its speaker's file."""

    def transcriber_for(user_id: int) -> StreamingTranscriber:
        return StreamingTranscriber(tiny_en, language="en")

    _files, handed = await _record_room(settings, {1: question, 2: speech[2]}, tmp_path, transcriber_for)
    room = await service.create_room(
        sessions,
        candidate_id=people.senior.id,
        interviewer_ids=[people.boss.id],
        scheduled_start=utcnow(),
    )
    for user in (people.senior, people.boss):
        await service.set_consent(sessions, room.id, user.id, True)
    as_user = {1: people.boss, 2: people.senior}  # the signaling ids of _record_room
    for uid, path, transcript in handed:
        assert transcript is not None, uid
        job = await jobs.submit(
            sessions, str(path), language="en", owner_id=as_user[uid].id, kind="interview"
        )
        await jobs.complete(sessions, job, "streaming", transcript)
        duration, _ = _audio_facts(path)
        await recordings.add_recording(
            sessions,
            room.id,
            as_user[uid].id,
            str(path),
            duration=duration,
            transcript_job_id=str(job),
            started_at=utcnow() - timedelta(seconds=duration),
        )
    data = await recordings.room_recordings(sessions, room.id, people.senior)
    assert data.pending == []
    by_speaker = {
        user.id: _plain(" ".join(line.text for line in data.lines if line.speaker_id == user.id))
        for user in (people.boss, people.senior)
    }
    assert {"afternoon", "factory"} <= set(by_speaker[people.boss.id].split()), by_speaker
    assert {"good", "morning"} <= set(by_speaker[people.senior.id].split()), (
        by_speaker
    )  # tiny.en hears robotic speech imperfectly
    assert "afternoon" not in by_speaker[people.senior.id] and "morning" not in by_speaker[people.boss.id]
    files = {r.id: r for r in data.recordings}
    for line in data.lines:  # each line seeks inside its own speaker's file
        rec = files[line.recording_id]
        assert data.speakers[rec.participant_id] == line.speaker_id
        assert 0 <= line.start < rec.duration_seconds + 0.5
    assert [line.at for line in data.lines] == sorted(line.at for line in data.lines)


class WrappingVoice(MediaStreamTrack):
    """Two seconds of a 440 Hz tone in 20 ms stereo frames whose timestamps do what aiortc's do when an
    RTP packet arrives out of order: from frame 50 on they are 2**32 samples later (a 'wrap')."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    async def recv(self) -> av.AudioFrame:
        if self.sent >= 100:
            self.stop()
            raise MediaStreamError
        t = (np.arange(960) + 960 * self.sent) / 48000
        tone = (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(np.repeat(tone, 2).reshape(1, -1), format="s16", layout="stereo")
        frame.sample_rate = 48000
        frame.pts = 960 * self.sent + (2**32 if self.sent >= 50 else 0)
        frame.time_base = fractions.Fraction(1, 48000)
        self.sent += 1
        await asyncio.sleep(0)
        return frame


async def _write(track: MediaStreamTrack, source: WrappingVoice, path: Path) -> float:
    recorder = MediaRecorder(str(path))
    recorder.addTrack(track)
    await recorder.start()
    await wait_until(lambda: source.sent >= 100, within=10, message="the frames were not all read")
    await recorder.stop()
    with av.open(str(path)) as container:
        return float(container.duration or 0) / 1_000_000


async def test_the_file_keeps_its_own_clock_when_timestamps_jump(tmp_path: Path) -> None:
    """What the room's Ogg files held of Chrome's audio: without SteadyAudio a 'wrapped' timestamp makes
    the file a day long; with it the file holds the two seconds heard, from 0."""
    broken = WrappingVoice()
    assert await _write(broken, broken, tmp_path / "raw.ogg") > 80_000
    voice = WrappingVoice()
    steady = await _write(SteadyAudio(voice), voice, tmp_path / "steady.ogg")
    assert abs(steady - 2.0) < 0.1, steady
    duration, rms = _audio_facts(tmp_path / "steady.ogg")
    assert abs(duration - 2.0) < 0.1 and rms > 0.01
    with av.open(str(tmp_path / "steady.ogg")) as container:
        assert (container.start_time or 0) / 1_000_000 < 0.05
