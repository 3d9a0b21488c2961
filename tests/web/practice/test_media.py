"""An answer's video served in-process: byte ranges (206) so phones can seek, the whole file, the ends.

The WebM is a real one written by the recorder's writer (interview/practice/takefile.py) from a
tone and plain pictures; the browser test (tests/e2e/test_playback.py) plays one recorded live.
A video recorded before that writer (no sound, stamped from the connection's start) is given its
sound and moved to zero the first time it is asked for.
"""

from __future__ import annotations

import asyncio
import fractions
import io
import re
from pathlib import Path

import av
import numpy as np

from core.accounts import get_user
from core.config import Settings
from core.db import create_engine, session_factory
from interview.practice import service
from interview.practice.models import PracticeTake, TakeState
from interview.practice.storage import Storage
from interview.practice.takefile import TakeWriter
from tests.web.conftest import Client, csrf_of, log_in


async def _start(client: Client) -> int:
    form = {"set": "general", "language": "en", "count": "3", "think": "15", "retakes": "2"}
    form["csrf_token"] = await csrf_of(client, "/practice")
    response = await client.post("/practice", data=form, allow_redirects=False)
    assert response.status == 303, await response.text()
    match = re.fullmatch(r"/practice/(\d+)", response.headers["Location"])
    assert match
    return int(match.group(1))


async def _video_take(settings: Settings, senior_id: int, session_id: int) -> tuple[PracticeTake, bytes]:
    """A finished answer recorded with the camera on: its WAV and its WebM (two seconds)."""
    engine = create_engine(settings)
    sessions = session_factory(engine)
    storage = await asyncio.to_thread(Storage, settings.data_dir)
    try:
        user = await get_user(sessions, senior_id)
        assert user is not None
        take, _q, _lang = await service.begin_take(sessions, storage, user, session_id, 0, video=True)
        assert take.video_file is not None
        tone = (np.sin(np.arange(32000) / 5) * 3000).astype(np.int16)
        writer = TakeWriter(storage.path(take.video_file))
        for i in range(100):
            writer.add_audio(tone[i * 320 : (i + 1) * 320], i * 0.02)
            if i % 4 == 0:
                frame = av.VideoFrame.from_ndarray(np.full((240, 320, 3), i, np.uint8), format="rgb24")
                frame.pts, frame.time_base = i * 1800, fractions.Fraction(1, 90000)
                writer.add_video(frame, i * 0.02)
        assert await writer.close()
        await asyncio.to_thread(storage.write_wav, take.audio_file, tone)
        await service.move_take(sessions, take.id, TakeState.PROCESSING)
        done = await service.move_take(sessions, take.id, TakeState.DONE, duration=2.0)
        assert done is not None and done.video_file is not None
        body = await asyncio.to_thread(storage.path(done.video_file).read_bytes)
        return done, body
    finally:
        await engine.dispose()


async def test_an_answers_video_is_served_in_byte_ranges(
    client: Client, make_user: object, app_settings: Settings
) -> None:
    senior_id = await make_user("kim@example.com", "senior")  # type: ignore[operator]
    await make_user("lee@example.com", "senior")  # type: ignore[operator]
    await log_in(client, "kim@example.com")
    sid = await _start(client)
    take, body = await _video_take(app_settings, senior_id, sid)
    url = f"/practice/{sid}/media/{take.id}/video"
    size = len(body)
    assert size > 1000

    whole = await client.get(url)
    assert whole.status == 200 and await whole.read() == body
    assert whole.headers["Content-Type"] == "video/webm"
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["Cache-Control"] == "private, no-store"

    first = await client.get(url, headers={"Range": "bytes=0-99"})
    assert first.status == 206 and await first.read() == body[:100]
    assert first.headers["Content-Range"] == f"bytes 0-99/{size}"
    assert first.headers["Content-Type"] == "video/webm"

    middle = await client.get(url, headers={"Range": f"bytes={size // 2}-"})  # a seek into the answer
    assert middle.status == 206 and await middle.read() == body[size // 2 :]
    tail = await client.get(url, headers={"Range": "bytes=-64"})  # where WebM keeps its seek index
    assert tail.status == 206 and await tail.read() == body[-64:]

    beyond = await client.get(url, headers={"Range": f"bytes={size + 10}-"})
    assert beyond.status == 416

    # another senior gets "not found" for the same address, byte range or not
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/practice")})
    await log_in(client, "lee@example.com")
    assert (await client.get(url, headers={"Range": "bytes=0-99"})).status == 404


def _legacy_webm(path: Path) -> None:
    """An answer video as aiortc's MediaRecorder left it: pictures only, stamped from 141 s."""
    with av.open(str(path), mode="w", format="webm") as out:
        stream = out.add_stream("libvpx", rate=30)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for i in range(60):
            frame = av.VideoFrame.from_ndarray(np.full((240, 320, 3), i, np.uint8), format="rgb24")
            frame.pts, frame.time_base = round((141.0 + i / 30) * 90000), fractions.Fraction(1, 90000)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


async def test_an_answer_video_recorded_before_is_served_with_its_sound_from_zero(
    client: Client, make_user: object, app_settings: Settings
) -> None:
    senior_id = await make_user("kim@example.com", "senior")  # type: ignore[operator]
    await log_in(client, "kim@example.com")
    sid = await _start(client)
    engine = create_engine(app_settings)
    sessions = session_factory(engine)
    storage = await asyncio.to_thread(Storage, app_settings.data_dir)
    try:
        user = await get_user(sessions, senior_id)
        assert user is not None
        take, _q, _lang = await service.begin_take(sessions, storage, user, sid, 0, video=True)
        assert take.video_file is not None
        await asyncio.to_thread(storage.write_wav, take.audio_file, np.zeros(32000, np.int16) + 100)
        await asyncio.to_thread(_legacy_webm, storage.path(take.video_file))
        await service.move_take(sessions, take.id, TakeState.PROCESSING)
        assert await service.move_take(sessions, take.id, TakeState.DONE, duration=2.0)
    finally:
        await engine.dispose()
    response = await client.get(f"/practice/{sid}/media/{take.id}/video")
    assert response.status == 200
    with av.open(io.BytesIO(await response.read()), mode="r") as container:
        assert [str(s.type) for s in container.streams] == ["video", "audio"]
        assert abs((container.start_time or 0) / av.time_base) < 0.05
        assert abs((container.duration or 0) / av.time_base - 2.0) < 0.1
    ranged = await client.get(f"/practice/{sid}/media/{take.id}/video", headers={"Range": "bytes=0-9"})
    assert ranged.status == 206 and len(await ranged.read()) == 10
