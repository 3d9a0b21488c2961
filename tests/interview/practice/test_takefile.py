"""The answer's WebM writer on its own: frames made here, fed at the pace a peer would, read back with PyAV.

The recorder test (test_recorder.py) covers the same writer behind real aiortc peers; these pin the
edges a real connection rarely shows: a sender clock far from zero or jumping, a camera that sends
nothing, an abandoned answer.
"""

from __future__ import annotations

import fractions
from pathlib import Path

import av
import numpy as np

from interview.practice.takefile import SAMPLE_RATE, VIDEO_WAIT_S, TakeWriter, ensure_sound

VIDEO_TB = fractions.Fraction(1, 90000)


def _tone(i: int) -> np.ndarray:
    return (np.sin(np.arange(320) / 4 + i) * 4000).astype(np.int16)  # 20 ms at 16 kHz


def _frame(rtp_seconds: float, shade: int = 90) -> av.VideoFrame:
    frame = av.VideoFrame.from_ndarray(np.full((720, 1280, 3), shade, np.uint8), format="rgb24")
    frame.pts = round(rtp_seconds * 90000)
    frame.time_base = VIDEO_TB
    return frame


def _streams(path: Path) -> tuple[list[str], float, float, list[float], float]:
    with av.open(str(path)) as container:
        kinds = [str(s.type) for s in container.streams]
        start = (container.start_time or 0) / av.time_base
        length = (container.duration or 0) / av.time_base
        times = [float(f.time) for f in container.decode(video=0)] if "video" in kinds else []
    audio = 0.0
    if "audio" in kinds:
        with av.open(str(path)) as container:
            audio = float(sum(f.samples / f.sample_rate for f in container.decode(audio=0)))
    return kinds, start, length, times, audio


async def test_pictures_from_a_late_sender_clock_start_at_zero_beside_the_audio(tmp_path: Path) -> None:
    writer = TakeWriter(tmp_path / "a.webm")
    arrival = 500.0
    rtp0 = 141.0  # the sender's clock had run 141 s before the answer started (the reported bug)
    for i in range(150):  # 3 s of audio; a frame every 100 ms, 40 ms behind the first sample
        t = arrival + i * 0.02
        writer.add_audio(_tone(i), t)
        if i % 5 == 2:
            writer.add_video(_frame(rtp0 + i * 0.02), t)
    assert await writer.close()
    kinds, start, length, times, audio = _streams(tmp_path / "a.webm")
    assert kinds == ["video", "audio"]
    assert -0.05 <= start <= 0.05 and abs(length - 3.0) < 0.1 and abs(audio - 3.0) < 0.05
    assert len(times) == 30 and abs(times[0] - 0.04) < 0.002 and abs(times[-1] - 2.94) < 0.002
    with av.open(str(tmp_path / "a.webm")) as container:
        assert container.streams.video[0].width == 640  # 1280x720 scaled to 640x360
        assert container.streams.video[0].height == 360
    assert not (tmp_path / "a.webm.part").exists()


async def test_a_jump_in_the_sender_clock_follows_the_arrival_time(tmp_path: Path) -> None:
    writer = TakeWriter(tmp_path / "b.webm")
    for i in range(100):  # 2 s; the sender's clock jumps back by an hour after 1 s
        t = 10.0 + i * 0.02
        writer.add_audio(_tone(i), t)
        if i % 5 == 0:
            writer.add_video(_frame((3600.0 if i < 50 else 0.0) + i * 0.02), t)
    assert await writer.close()
    _kinds, _start, _length, times, _audio = _streams(tmp_path / "b.webm")
    assert len(times) == 20
    assert all(abs(got - i * 0.1) < 0.002 for i, got in enumerate(times)), times


async def test_a_camera_that_sends_nothing_gives_an_audio_only_file(tmp_path: Path) -> None:
    writer = TakeWriter(tmp_path / "c.webm")
    chunks = int((VIDEO_WAIT_S + 1) * 50)
    for i in range(chunks):
        writer.add_audio(_tone(i), i * 0.02)
    assert await writer.close()
    kinds, start, _length, _times, audio = _streams(tmp_path / "c.webm")
    assert kinds == ["audio"] and abs(start) < 0.05
    assert abs(audio - chunks * 320 / SAMPLE_RATE) < 0.05


async def test_an_abandoned_answer_leaves_no_file(tmp_path: Path) -> None:
    writer = TakeWriter(tmp_path / "sub" / "d.webm")
    for i in range(60):
        writer.add_audio(_tone(i), i * 0.02)
        writer.add_video(_frame(i * 0.02), i * 0.02)
    await writer.discard()
    assert writer.written is False
    assert list((tmp_path / "sub").glob("*")) == []


async def test_pictures_before_the_first_sound_are_not_kept(tmp_path: Path) -> None:
    writer = TakeWriter(tmp_path / "e.webm")
    writer.add_video(_frame(0.0), 0.0)  # the answer's time starts with its first kept sample
    for i in range(50):
        writer.add_audio(_tone(i), 0.5 + i * 0.02)
        if i % 10 == 0:
            writer.add_video(_frame(0.5 + i * 0.02), 0.5 + i * 0.02)
    assert await writer.close()
    _kinds, _start, _length, times, _audio = _streams(tmp_path / "e.webm")
    assert len(times) == 5 and times[0] < 0.002


def _legacy_file(path: Path, seconds: float) -> None:
    """What aiortc's MediaRecorder left: VP8 only, time-stamped from the connection's start (141 s)."""
    with av.open(str(path), mode="w", format="webm") as out:
        stream = out.add_stream("libvpx", rate=30)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for i in range(int(seconds * 30)):
            frame = av.VideoFrame.from_ndarray(np.full((240, 320, 3), i % 200, np.uint8), format="rgb24")
            frame.pts, frame.time_base = round((141.0 + i / 30) * 90000), VIDEO_TB
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def test_an_answer_recorded_before_gets_its_sound_and_starts_at_zero(tmp_path: Path) -> None:
    import wave

    webm, wav = tmp_path / "old.webm", tmp_path / "old.wav"
    _legacy_file(webm, 4.0)
    kinds, start, _length, _times, _audio = _streams(webm)
    assert kinds == ["video"] and start > 140  # the reported defect
    tone = np.concatenate([_tone(i) for i in range(200)])  # 4 s
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(tone.tobytes())
    assert ensure_sound(webm, wav) is True
    kinds, start, length, times, audio = _streams(webm)
    assert kinds == ["video", "audio"]
    assert -0.05 <= start <= 0.05 and abs(length - 4.0) < 0.1 and abs(audio - 4.0) < 0.05
    assert len(times) == 120 and times[0] == 0.0
    assert ensure_sound(webm, wav) is False  # already playable: left alone
    assert not list(tmp_path.glob("*.part"))
