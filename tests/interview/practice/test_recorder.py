"""The practice recorder with real aiortc peers, real speech and the real Whisper base model.

A simulated senior (an aiortc client) connects, the answer is marked started, real espeak-ng
speech is sent in real time, the answer is marked stopped, and the take must end ``done`` with
the spoken words in its transcript, a WAV file of the right length and the feedback stored.
"""

from __future__ import annotations

import asyncio
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
from aiortc import RTCSessionDescription
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import User, create_user, validate_account
from core.db import create_engine, session_factory
from interview.practice import service
from interview.practice.errors import NotConnected, PracticeSessionNotFound
from interview.practice.models import PracticeTake, TakeState
from interview.practice.recorder import PracticeRecorder
from interview.practice.storage import Storage
from interview.transcribe.engine import Engine
from testkit.simclient import SpeechTrack, load_pcm48, offer_with
from tests.interview.practice.conftest import say
from tests.waiting import wait_until

pytestmark = pytest.mark.slow

ANSWER = "I worked twenty years in quality control at a car parts factory, and I trained new inspectors."


@pytest.fixture(scope="module")
def answer_pcm(audio_dir: Path) -> np.ndarray:
    return load_pcm48(say(audio_dir, "recorder_answer", ANSWER))


@pytest.fixture
async def db(sqlite_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(sqlite_url)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def seniors(db: async_sessionmaker[AsyncSession]) -> tuple[User, User]:
    a = await create_user(db, validate_account("kim@example.com", "김영수", "password-123", "senior"))
    b = await create_user(db, validate_account("lee@example.com", "이순자", "password-123", "senior"))
    return a, b


@pytest.fixture
async def recorder(
    db: async_sessionmaker[AsyncSession], data_dir: Path, engine: Engine
) -> AsyncIterator[PracticeRecorder]:
    async def get_engine() -> Engine:
        return engine

    rec = PracticeRecorder(db, Storage(data_dir), get_engine)
    yield rec
    await rec.close_all()


async def _session(db: async_sessionmaker[AsyncSession], senior: User, retakes: int = 2) -> int:
    row = await service.start_session(
        db, senior, service.SetSpec("general", count=3), language="en", title="t", max_retakes=retakes
    )
    return row.id


async def _connect(rec: PracticeRecorder, senior: User, sid: int) -> tuple[object, SpeechTrack]:
    track = SpeechTrack()
    pc, offer = await offer_with(track)
    answer = await rec.connect(senior, sid, offer, "offer")
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    await wait_until(lambda: rec.connected(sid), within=20, message="the peer never connected")
    return pc, track


async def _take(db: async_sessionmaker[AsyncSession], take_id: int) -> PracticeTake:
    async with db() as s:
        take = await s.get(PracticeTake, take_id)
    assert take is not None
    return take


async def test_an_answer_is_recorded_transcribed_and_analysed(
    db: async_sessionmaker[AsyncSession],
    recorder: PracticeRecorder,
    seniors: tuple[User, User],
    data_dir: Path,
    answer_pcm: np.ndarray,
) -> None:
    senior = seniors[0]
    sid = await _session(db, senior)
    pc, track = await _connect(recorder, senior, sid)
    try:
        take = await recorder.start_take(senior, sid, 0)
        assert (await _take(db, take.id)).state == TakeState.RECORDING  # the row exists before audio
        track.say(answer_pcm)
        await track.wait_spoken()
        await recorder.stop_take(senior, sid, take.id)
        await recorder.stop_take(senior, sid, take.id)  # a repeated stop is harmless
        await recorder.wait_idle()
        done = await _take(db, take.id)
        assert done.state == TakeState.DONE, done.error
        text = " ".join(s["text"] for s in done.transcript["segments"]).lower()  # type: ignore[index]
        for word in ("years", "quality", "control", "factory", "inspectors"):
            assert word in text, text
        feedback = done.feedback["en"]  # type: ignore[index]
        assert feedback["no_speech"] is False and feedback["pace"]["unit"] == "wpm"
        assert "quality" in feedback["text"].lower() and len(feedback["tips"]) >= 1
        assert feedback["keywords"]["found"] or feedback["keywords"]["missing"]
        # the WAV on disk holds the answer: the speech, plus less than a second of lead-in and settling
        path = Storage(data_dir).path(done.audio_file)
        with wave.open(str(path)) as w:
            seconds = w.getnframes() / w.getframerate()
            assert w.getframerate() == 16000 and w.getnchannels() == 1
        spoken = len(answer_pcm) / 48000
        assert spoken - 0.2 <= seconds <= spoken + 1.5, (seconds, spoken)
        assert str(senior.id) in path.parts
    finally:
        await pc.close()  # type: ignore[attr-defined]


async def test_a_silent_answer_reports_no_speech(
    db: async_sessionmaker[AsyncSession], recorder: PracticeRecorder, seniors: tuple[User, User]
) -> None:
    senior = seniors[0]
    sid = await _session(db, senior)
    pc, track = await _connect(recorder, senior, sid)
    try:
        take = await recorder.start_take(senior, sid, 1)
        rng = np.random.default_rng(1)
        track.say((rng.normal(0, 30, 48000 * 3)).astype(np.int16))  # a quiet room for three seconds
        await track.wait_spoken()
        await recorder.stop_take(senior, sid, take.id)
        await recorder.wait_idle()
        done = await _take(db, take.id)
        assert done.state == TakeState.DONE
        assert done.feedback["en"]["no_speech"] is True  # type: ignore[index]
        assert done.feedback["en"]["text"] == ""  # type: ignore[index]
    finally:
        await pc.close()  # type: ignore[attr-defined]


async def test_a_dropped_connection_loses_only_the_answer_being_recorded(
    db: async_sessionmaker[AsyncSession],
    recorder: PracticeRecorder,
    seniors: tuple[User, User],
    data_dir: Path,
    answer_pcm: np.ndarray,
) -> None:
    senior = seniors[0]
    sid = await _session(db, senior, retakes=0)
    pc, track = await _connect(recorder, senior, sid)
    take = await recorder.start_take(senior, sid, 0)
    track.say(answer_pcm[: 48000 * 2])
    await asyncio.sleep(1.0)  # half of the 2 s answer is spoken: the tab must close mid-answer
    await pc.close()  # type: ignore[attr-defined]  # the tab closes mid-answer

    async def abandoned() -> bool:
        return (await _take(db, take.id)).state == TakeState.ABANDONED

    await wait_until(abandoned, within=60, message="the server never noticed the closed tab")
    assert not Storage(data_dir).path(take.audio_file).exists()
    with pytest.raises(NotConnected):
        await recorder.start_take(senior, sid, 0)
    # the senior comes back: same question, and the lost answer did not use up the only try
    pc2, track2 = await _connect(recorder, senior, sid)
    try:
        again = await recorder.start_take(senior, sid, 0)
        assert again.attempt == 2
        track2.say(answer_pcm[: 48000 * 2])
        await track2.wait_spoken()
        await recorder.stop_take(senior, sid, again.id)
        await recorder.wait_idle()
        assert (await _take(db, again.id)).state == TakeState.DONE
        row = await service.owned_session(db, senior, sid)
        views = await service.question_views(db, row)
        assert views[0].counting is not None and views[0].counting.id == again.id
    finally:
        await pc2.close()  # type: ignore[attr-defined]


async def test_another_seniors_session_cannot_be_recorded(
    db: async_sessionmaker[AsyncSession], recorder: PracticeRecorder, seniors: tuple[User, User]
) -> None:
    owner, other = seniors
    sid = await _session(db, owner)
    track = SpeechTrack()
    pc, offer = await offer_with(track)
    try:
        with pytest.raises(PracticeSessionNotFound):
            await recorder.connect(other, sid, offer, "offer")
        assert recorder.peers == {}
    finally:
        await pc.close()


def _onset(samples: np.ndarray, rate: int, first: float = 0.0) -> float:
    """When speech starts: the first 20 ms window louder than a quiet room."""
    window = rate // 50
    n = len(samples) // window
    rms = np.sqrt((samples[: n * window].astype(np.float64).reshape(n, window) ** 2).mean(axis=1))
    loud = np.flatnonzero(rms > 0.05 * rms.max())
    assert len(loud), "no sound at all"
    return first + float(loud[0]) * window / rate


async def test_each_answer_with_the_camera_on_is_one_file_with_sound_from_zero(
    db: async_sessionmaker[AsyncSession],
    recorder: PracticeRecorder,
    seniors: tuple[User, User],
    data_dir: Path,
    answer_pcm: np.ndarray,
) -> None:
    """The WebM of an answer (here the second of the connection, where aiortc's MediaRecorder
    started at the connection's clock) holds the audio and the pictures, both from zero, as long
    as the answer, with the speech at the same moment as in the WAV the transcript was made from."""
    import av
    from aiortc import RTCPeerConnection
    from aiortc.mediastreams import VideoStreamTrack

    senior = seniors[0]
    sid = await _session(db, senior)
    track = SpeechTrack()
    pc = RTCPeerConnection()
    pc.addTrack(track)
    pc.addTrack(VideoStreamTrack())  # a camera showing a plain picture
    await pc.setLocalDescription(await pc.createOffer())
    answer = await recorder.connect(senior, sid, pc.localDescription.sdp, "offer")
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    storage = Storage(data_dir)
    try:
        await wait_until(
            lambda: recorder.connected(sid) and recorder.peers[sid].video,
            within=20,
            message="no video from the peer",
        )
        for index in (2, 1):  # two answers on one connection: the second starts seconds into it
            take = await recorder.start_take(senior, sid, index)
            assert take.video_file is not None
            track.say(answer_pcm[: 48000 * 3])
            await track.wait_spoken()
            await recorder.stop_take(senior, sid, take.id)
            await recorder.wait_idle()
        done = await _take(db, take.id)
        assert done.state == TakeState.DONE, done.error
        assert done.video_file is not None and done.duration is not None
        video = storage.path(done.video_file)
        with av.open(str(video)) as container:
            assert [s.type for s in container.streams] == ["video", "audio"]
            start = container.start_time / av.time_base
            length = container.duration / av.time_base  # type: ignore[operator]
            assert -0.05 <= start <= 0.1, start  # not ~141 s
            assert abs(length - done.duration) < 0.3, (length, done.duration)
            times = [float(f.time) for f in container.decode(video=0) if f.time is not None]
        assert len(times) >= 30, len(times)
        assert times[0] < 0.5 and times[-1] > done.duration - 1.0, (times[0], times[-1], done.duration)
        with av.open(str(video)) as container:
            frames = list(container.decode(audio=0))
            rate = frames[0].sample_rate
            sound = np.concatenate([f.to_ndarray().reshape(-1) for f in frames])
            first = float(frames[0].time or 0.0)
        assert len(sound) / rate == pytest.approx(done.duration, abs=0.3)
        with wave.open(str(storage.path(done.audio_file))) as w:
            wav = np.frombuffer(w.readframes(w.getnframes()), np.int16)
        assert (
            abs(_onset(sound, rate, first) - _onset(wav, 16000)) < 0.1
        )  # the words are where the WAV has them
        await service.delete_take(db, storage, senior, sid, take.id)
        assert not video.exists() and not storage.path(done.audio_file).exists()
        assert not list(video.parent.glob("*.part"))
    finally:
        await pc.close()


async def test_a_korean_answer_gets_korean_feedback(
    db: async_sessionmaker[AsyncSession],
    recorder: PracticeRecorder,
    seniors: tuple[User, User],
    audio_dir: Path,
) -> None:
    senior = seniors[0]
    row = await service.start_session(
        db, senior, service.SetSpec("general", count=3), language="ko", title="t"
    )
    speech = load_pcm48(
        say(audio_dir, "recorder_ko", "저는 이십 년 동안 품질 관리 일을 했습니다.", voice="ko")
    )
    pc, track = await _connect(recorder, senior, row.id)
    try:
        take = await recorder.start_take(senior, row.id, 0)
        track.say(speech)
        await track.wait_spoken()
        await recorder.stop_take(senior, row.id, take.id)
        await recorder.wait_idle()
        done = await _take(db, take.id)
        assert done.state == TakeState.DONE, done.error
        ko = done.feedback["ko"]  # type: ignore[index]
        assert ko["language"] == "ko" and ko["pace"]["unit"] == "spm" and not ko["no_speech"]
        assert any("\uac00" <= ch <= "\ud7a3" for ch in ko["text"])  # Hangul transcribed
        assert any("\uac00" <= ch <= "\ud7a3" for t in ko["tips"] for ch in t["text"])  # tips in Korean
    finally:
        await pc.close()  # type: ignore[attr-defined]
