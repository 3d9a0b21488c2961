"""Practice pages in-process: starting a set, ownership, bad input, deleting, sharing, the question bank.

These run the real app on a real SQLite database; recordings are real files on disk. The
recording path itself (aiortc and Whisper) is in test_practice_rtc.py and the browser test.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.accounts import get_user
from core.config import Settings
from core.db import create_engine, session_factory
from interview.practice import bank, service
from interview.practice.models import PracticeSession, PracticeTake, TakeState
from interview.practice.storage import Storage
from tests.web.conftest import Client, csrf_of, log_in

MakeUser = Callable[..., Awaitable[int]]


async def _start(client: Client, data: dict[str, str] | None = None) -> int:
    token = await csrf_of(client, "/practice")
    form = {
        "set": "general",
        "language": "en",
        "count": "3",
        "think": "15",
        "retakes": "2",
        "csrf_token": token,
    }
    response = await client.post("/practice", data={**form, **(data or {})}, allow_redirects=False)
    assert response.status == 303, await response.text()
    match = re.fullmatch(r"/practice/(\d+)", response.headers["Location"])
    assert match
    return int(match.group(1))


async def _db(settings: Settings) -> tuple[object, object]:
    engine = create_engine(settings)
    return engine, session_factory(engine)


async def _finished_take(settings: Settings, senior_id: int, session_id: int, index: int = 0) -> PracticeTake:
    """A take as the recorder leaves it: row, real WAV file, state done."""
    engine, sessions = await _db(settings)
    storage = await asyncio.to_thread(Storage, settings.data_dir)
    try:
        user = await get_user(sessions, senior_id)  # type: ignore[arg-type]
        assert user is not None
        take, _q, _lang = await service.begin_take(sessions, storage, user, session_id, index, video=False)  # type: ignore[arg-type]
        import numpy as np

        tone = (np.sin(np.arange(16000) / 5) * 3000).astype(np.int16)
        await asyncio.to_thread(storage.write_wav, take.audio_file, tone)
        await service.move_take(sessions, take.id, TakeState.PROCESSING)  # type: ignore[arg-type]
        done = await service.move_take(sessions, take.id, TakeState.DONE, duration=1.0)  # type: ignore[arg-type]
        assert done is not None
        return done
    finally:
        await engine.dispose()  # type: ignore[attr-defined]


async def test_a_senior_starts_a_set_and_sees_the_answer_page(client: Client, make_user: MakeUser) -> None:
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    body = await (await client.get("/practice")).text()
    assert "모의 면접 연습" in body and "일반 질문" in body
    sid = await _start(client)
    page = await (await client.get(f"/practice/{sid}")).text()
    assert 'id="step-check"' in page and "practice.js" in page
    state = re.search(r'<script type="application/json" id="practice-state">(.*?)</script>', page, re.S)
    assert state and '"speechLang": "en-US"' in state.group(1)
    assert len(re.findall(r'"index":', state.group(1))) == 3


async def test_another_seniors_session_is_not_found(client: Client, make_user: MakeUser) -> None:
    await make_user("a@example.com", "senior")
    await make_user("b@example.com", "senior")
    await log_in(client, "a@example.com")
    sid = await _start(client)
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/practice")})
    await log_in(client, "b@example.com")
    token = await csrf_of(client, "/practice")
    for path in (f"/practice/{sid}", f"/practice/{sid}/result", f"/practice/{sid}/media/1/audio"):
        response = await client.get(path)
        assert response.status == 404, path
        assert "연습 기록을 찾을 수 없습니다" in await response.text()
    headers = {"X-CSRF-Token": token, "Accept": "application/json"}
    response = await client.post(f"/practice/{sid}/takes", json={"index": 0}, headers=headers)
    assert response.status in (404, 409)
    response = await client.post(f"/practice/{sid}/delete", data={"csrf_token": token}, allow_redirects=False)
    assert response.status == 404
    response = await client.post(
        f"/practice/{sid}/rtc",
        json={"type": "offer", "sdp": "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"},
        headers=headers,
    )
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "practice_session_not_found"


async def test_bad_offers_and_markers_are_refused_and_change_nothing(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    sid = await _start(client)
    headers = {"X-CSRF-Token": await csrf_of(client, "/practice"), "Accept": "application/json"}
    for body in (
        {"type": "answer", "sdp": "v=0\r\nm=audio 9 RTP 0\r\n"},
        {"type": "offer", "sdp": "hello"},
        {"type": "offer", "sdp": "v=0\r\n" + "a=x\r\n" * 6000 + "m=audio 9 RTP 0\r\n"},
        {"type": "offer"},
        {"type": "offer", "sdp": "v=0\r\nm=audio not really sdp\r\n"},
    ):
        response = await client.post(f"/practice/{sid}/rtc", json=body, headers=headers)
        assert response.status == 422, body
        assert (await response.json())["error"]["code"] == "bad_offer"
    response = await client.post(f"/practice/{sid}/rtc", data="not json", headers=headers)
    assert response.status == 422
    # no connection: an answer cannot start, and no take row is made
    response = await client.post(f"/practice/{sid}/takes", json={"index": 0}, headers=headers)
    assert response.status == 409 and (await response.json())["error"]["code"] == "not_connected"
    for index in ("0", None, True):
        response = await client.post(f"/practice/{sid}/takes", json={"index": index}, headers=headers)
        assert response.status == 422
    response = await client.post(f"/practice/{sid}/position", json={"index": 99}, headers=headers)
    assert response.status == 422
    engine, sessions = await _db(app_settings)
    try:
        async with sessions() as s:  # type: ignore[operator]
            assert await s.scalar(select(func.count()).select_from(PracticeTake)) == 0
    finally:
        await engine.dispose()  # type: ignore[attr-defined]


async def test_an_empty_set_says_so_and_starts_nothing(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    admin_id = await make_user("admin@example.com", "admin")
    await make_user("kim@example.com", "senior")
    engine, sessions = await _db(app_settings)
    try:
        admin = await get_user(sessions, admin_id)  # type: ignore[arg-type]
        assert admin is not None
        for q in await bank.active_questions(sessions, role="care"):  # type: ignore[arg-type]
            await bank.set_active(sessions, admin, q.id, False)  # type: ignore[arg-type]
        await log_in(client, "kim@example.com")
        token = await csrf_of(client, "/practice")
        form = {"set": "role:care", "language": "ko", "count": "5", "think": "30", "csrf_token": token}
        response = await client.post("/practice", data=form)
        assert response.status == 422
        assert "이 묶음에는 아직 질문이 없습니다" in await response.text()
        form["set"] = "role:astronaut"
        response = await client.post("/practice", data=form)
        assert response.status == 422
        async with sessions() as s:  # type: ignore[operator]
            assert await s.scalar(select(func.count()).select_from(PracticeSession)) == 0
    finally:
        await engine.dispose()  # type: ignore[attr-defined]


async def test_deleting_a_take_a_session_and_everything_removes_the_files(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    senior_id = await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    sid = await _start(client)
    first = await _finished_take(app_settings, senior_id, sid, 0)
    second = await _finished_take(app_settings, senior_id, sid, 0)
    storage = await asyncio.to_thread(Storage, app_settings.data_dir)
    path1, path2 = storage.path(first.audio_file), storage.path(second.audio_file)
    assert path1.is_file() and path2.is_file()
    assert str(senior_id) in path1.parts
    # the recording is served to its owner, with Range support so the player can seek
    response = await client.get(f"/practice/{sid}/media/{second.id}/audio", headers={"Range": "bytes=0-99"})
    assert response.status == 206 and len(await response.read()) == 100
    result = await (await client.get(f"/practice/{sid}/result")).text()
    assert "답변 1 삭제" in result and "답변 2 삭제" in result
    token = await csrf_of(client, f"/practice/{sid}/result")
    response = await client.post(
        f"/practice/{sid}/takes/{first.id}/delete", data={"csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303
    assert not path1.exists() and path2.exists()
    # deleting the whole session removes the rest
    response = await client.post(f"/practice/{sid}/delete", data={"csrf_token": token}, allow_redirects=False)
    assert response.status == 303
    assert not path2.exists()
    assert (await client.get(f"/practice/{sid}")).status == 404
    # everything: two more sessions with files
    sid2, sid3 = await _start(client), await _start(client, {"set": "senior"})
    t2, t3 = (
        await _finished_take(app_settings, senior_id, sid2),
        await _finished_take(app_settings, senior_id, sid3),
    )
    assert storage.path(t2.audio_file).exists() and storage.path(t3.audio_file).exists()
    assert "모두 삭제" in await (await client.get("/practice/delete-all")).text()
    response = await client.post("/practice/delete-all", data={"csrf_token": token}, allow_redirects=False)
    assert response.status == 303
    assert not storage.path(t2.audio_file).exists() and not storage.path(t3.audio_file).exists()
    assert not (Path(app_settings.data_dir) / "recordings" / str(senior_id) / "practice").exists()
    assert "아직 연습 기록이 없습니다" in await (await client.get("/practice")).text()


async def test_sharing_with_a_coach_lets_only_that_coach_see_and_comment(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    senior_id = await make_user("kim@example.com", "senior")
    coach_id = await make_user("coach@example.com", "coach", name="이정숙 코치")
    await make_user("other-coach@example.com", "coach", name="박코치")
    await log_in(client, "kim@example.com")
    sid = await _start(client)
    take = await _finished_take(app_settings, senior_id, sid)
    token = await csrf_of(client, "/practice")
    response = await client.post(
        f"/practice/{sid}/share", data={"coach": str(coach_id), "csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303
    response = await client.post(f"/practice/{sid}/share", data={"coach": "999", "csrf_token": token})
    assert response.status == 422
    await client.post("/logout", data={"csrf_token": token})

    await log_in(client, "other-coach@example.com")
    assert (await client.get(f"/coach/practice/{sid}")).status == 404
    assert (await client.get(f"/practice/{sid}/media/{take.id}/audio")).status == 404
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/coach/practice")})

    await log_in(client, "coach@example.com")
    assert "김영수" in await (await client.get("/coach/practice")).text()
    assert (await client.get(f"/practice/{sid}/media/{take.id}/audio")).status == 200
    review = f"/coach/practice/{sid}/review/{take.id}"
    token = await csrf_of(client, review)
    response = await client.post(
        review,
        data={"action": "comment", "at": "0:01", "body": "첫 문장이 좋습니다.", "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 303
    response = await client.post(
        review, data={"action": "comment", "at": "soon", "body": "x", "csrf_token": token}
    )
    assert response.status == 422  # on the same page (tests/web/test_coach_review.py has the rest)
    await client.post(
        f"/coach/practice/{sid}",
        data={"body": "결론부터 말씀하세요.", "csrf_token": token},
        allow_redirects=False,
    )
    await client.post("/logout", data={"csrf_token": token})

    await log_in(client, "kim@example.com")
    result = await (await client.get(f"/practice/{sid}/result")).text()
    assert "결론부터 말씀하세요." in result
    # stop sharing: the coach loses access at once
    token = await csrf_of(client, "/practice")
    await client.post(f"/practice/{sid}/share", data={"coach": "", "csrf_token": token})
    await client.post("/logout", data={"csrf_token": token})
    await log_in(client, "coach@example.com")
    assert (await client.get(f"/coach/practice/{sid}")).status == 404


async def test_admins_keep_the_question_bank(client: Client, make_user: MakeUser) -> None:
    await make_user("admin@example.com", "admin")
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    assert (await client.get("/admin/questions")).status == 403
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/practice")})
    await log_in(client, "admin@example.com")
    body = await (await client.get("/admin/questions")).text()
    assert body.count("/active") >= 40
    token = await csrf_of(client, "/admin/questions/new")
    form = {
        "id": "Bad Id",
        "category": "general",
        "role": "",
        "suggested_seconds": "60",
        "text_ko": "가장 보람 있었던 일은 무엇인가요?",
        "text_en": "What was your most rewarding work?",
        "keywords_ko": "보람, 성과",
        "keywords_en": "rewarding, result",
        "tip_ko": "구체적인 사례 하나를 말씀해 보세요.",
        "tip_en": "Tell one concrete example.",
        "csrf_token": token,
    }
    response = await client.post("/admin/questions", data=form)
    assert response.status == 422 and "my-question" in await response.text()
    form["id"] = "most-rewarding-work"
    response = await client.post("/admin/questions", data=form, allow_redirects=False)
    assert response.status == 303
    edit = await (await client.get("/admin/questions/most-rewarding-work")).text()
    assert "가장 보람 있었던 일은 무엇인가요?" in edit
    form["text_ko"] = "가장 보람 있었던 일을 말씀해 주세요."
    response = await client.post("/admin/questions/most-rewarding-work", data=form, allow_redirects=False)
    assert response.status == 303
    response = await client.post(
        "/admin/questions/most-rewarding-work/active",
        data={"active": "0", "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 303
    body = await (await client.get("/admin/questions")).text()
    assert "가장 보람 있었던 일을 말씀해 주세요." in body


@pytest.mark.parametrize("path", ["/practice", "/practice/progress", "/practice/delete-all"])
async def test_practice_pages_need_a_senior(client: Client, make_user: MakeUser, path: str) -> None:
    assert (await client.get(path, allow_redirects=False)).status == 303
    await make_user("company@example.com", "company")
    await log_in(client, "company@example.com")
    assert (await client.get(path)).status == 403


def test_page_state_cannot_close_its_script_element() -> None:
    from web.practice.pages import script_json

    text = script_json({"text": "질문 </script><script>alert(1)</script>"})
    assert "</script>" not in text and "<script>" not in text
    import json

    assert json.loads(text) == {"text": "질문 </script><script>alert(1)</script>"}
