"""A room's recordings page in-process: both speakers' lines with their seek points, media with Range
(206), sharing through the form, and 404 on the page and the media URL for everyone without access
(another company, a coach never shared with, a coach after the share was taken back, a visitor)."""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import Awaitable, Callable
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest

from core.accounts import get_user
from core.clock import utcnow
from core.config import Settings
from core.db import create_engine, session_factory
from interview.rooms import recordings, service
from interview.transcribe import jobs
from interview.transcribe.types import Segment, Transcript
from tests.matching.factory import make_pair
from tests.web.conftest import Client, csrf_of, log_in

pytestmark = pytest.mark.asyncio


async def _log_out(client: Client) -> None:
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/rooms/1/recordings/0")})


async def _setup(
    app_settings: Settings, make_user: Callable[..., Awaitable[int]], tmp_path: Path
) -> dict[str, int]:
    ids = {
        "senior": await make_user("senior@example.com", "senior", name="김영수"),
        "boss": await make_user("boss@example.com", "company", name="박사장"),
        "other_company": await make_user("else@example.com", "company", name="정대표"),
        "coach": await make_user("coach@example.com", "coach", name="한코치"),
        "stranger_coach": await make_user("coach2@example.com", "coach", name="오코치"),
    }
    audio = tmp_path / "voice.ogg"
    sox = ["sox", "-n", "-r", "48000", "-c", "1", str(audio), "synth", "3", "sine", "300"]
    await asyncio.to_thread(subprocess.run, sox, check=True)
    engine = create_engine(app_settings)
    sessions = session_factory(engine)
    try:
        senior, boss = await get_user(sessions, ids["senior"]), await get_user(sessions, ids["boss"])
        assert senior is not None and boss is not None
        pair = await make_pair(sessions, senior, boss)
        room = await service.create_room(
            sessions,
            candidate_id=senior.id,
            pair_id=pair.id,
            interviewer_ids=[boss.id],
            scheduled_start=utcnow() + timedelta(minutes=5),
        )
        for uid in (senior.id, boss.id):
            await service.set_consent(sessions, room.id, uid, True)
        t0 = utcnow() - timedelta(minutes=1)
        for uid, shift, said in (
            (boss.id, 0, "자기소개를 부탁드립니다."),
            (senior.id, 2, "품질 관리를 했습니다."),
        ):
            job = await jobs.submit(sessions, str(audio), language=None, owner_id=uid, kind="interview")
            await jobs.complete(
                sessions,
                job,
                "test",
                Transcript("ko", 3.0, "test", (Segment(0.5 + shift, 2.5 + shift, said),)),
            )
            rec = await recordings.add_recording(
                sessions, room.id, uid, str(audio), started_at=t0 + timedelta(seconds=shift),
                transcript_job_id=str(job), duration=3.0,
            )  # fmt: skip
            ids[f"rec_{uid}"] = rec.id
    finally:
        await engine.dispose()
    ids["room"] = room.id
    return ids


async def _status(client: Client, path: str) -> int:
    return (await client.get(path, allow_redirects=False)).status


async def test_recordings_page_transcripts_range_and_sharing(
    client: Client, app_settings: Settings, make_user: Callable[..., Awaitable[int]], tmp_path: Path
) -> None:
    ids = await _setup(app_settings, make_user, tmp_path)
    room = ids["room"]
    page_url = f"/rooms/{room}/recordings"
    media_url = f"/rooms/{room}/recordings/{ids['rec_' + str(ids['senior'])]}"

    # a visitor: the page asks to log in (as every page does), the media URL is not found
    assert await _status(client, page_url) == 303
    assert await _status(client, media_url) == 404

    await log_in(client, "boss@example.com")
    html = await (await client.get(page_url)).text()
    # both speakers' lines, in the order spoken, each with its speaker, time and file to seek in
    lines = re.findall(
        r'data-seek="([\d.]+)" data-recording="(\d+)" data-speaker="(\d+)">'
        r'\s*<span class="line-time">([\d:]+)</span>'
        r'\s*<strong class="line-speaker">([^<]+)</strong>\s*<span class="line-text">([^<]+)</span>',
        html,
    )
    assert [(float(s), int(r), int(u), t, unescape(n), unescape(x)) for s, r, u, t, n, x in lines] == [
        (0.5, ids[f"rec_{ids['boss']}"], ids["boss"], "0:00", "박사장", "자기소개를 부탁드립니다."),
        (2.5, ids[f"rec_{ids['senior']}"], ids["senior"], "0:04", "김영수", "품질 관리를 했습니다."),
    ]
    assert f'data-recording-id="{ids["rec_" + str(ids["senior"])]}"' in html
    assert "녹화 공유하기" in html and "한코치 (코치)" in html and "정대표" not in html

    # the media: whole, and a Range of it (what players use to seek)
    whole = await client.get(media_url)
    body = await whole.read()
    assert whole.status == 200 and whole.content_type == "audio/ogg" and len(body) > 1000
    part = await client.get(media_url, headers={"Range": "bytes=100-199"})
    assert part.status == 206 and part.headers["Content-Range"] == f"bytes 100-199/{len(body)}"
    assert await part.read() == body[100:200]

    # a bad choice: the error beside the field, in Korean, nothing shared
    csrf = await csrf_of(client, page_url)
    bad = await client.post(f"{page_url}/share", data={"csrf_token": csrf, "user": str(ids["other_company"])})
    text = await bad.text()
    assert bad.status == 422 and 'id="e-user" role="alert">목록에서 한 분을 골라 주세요.' in text
    assert "data-share=" not in text
    shared = await client.post(
        f"{page_url}/share", data={"csrf_token": csrf, "user": str(ids["coach"])}, allow_redirects=False
    )
    assert shared.status == 303
    assert f'data-share="{ids["coach"]}"' in await (await client.get(page_url)).text()
    await _log_out(client)

    # another company, and a coach nobody shared with: not found, on the page and the media
    for email in ("else@example.com", "coach2@example.com"):
        await log_in(client, email)
        assert await _status(client, page_url) == 404, email
        assert await _status(client, media_url) == 404, email
        await _log_out(client)

    # the coach it was shared with sees the lines and plays the media (with Range), but cannot share on
    await log_in(client, "coach@example.com")
    html = await (await client.get(page_url)).text()
    assert "품질 관리를 했습니다." in html and "공유해 주셨습니다" in html and "녹화 공유하기" not in html
    assert (await client.get(media_url, headers={"Range": "bytes=0-9"})).status == 206
    csrf = await csrf_of(client, page_url)
    refused = await client.post(f"{page_url}/share", data={"csrf_token": csrf, "user": str(ids["coach"])})
    assert refused.status == 403  # coaches never share (the role guard)
    await _log_out(client)

    # the candidate takes it back: the coach loses access at once, page and media
    await log_in(client, "senior@example.com")
    csrf = await csrf_of(client, page_url)
    taken = await client.post(
        f"{page_url}/unshare/{ids['coach']}", data={"csrf_token": csrf}, allow_redirects=False
    )
    assert taken.status == 303
    await _log_out(client)
    await log_in(client, "coach@example.com")
    assert await _status(client, page_url) == 404
    assert await _status(client, media_url) == 404
