"""Coach review pages in-process on a real database: errors beside their fields on the same URL with
the typed text kept, the review sent and read beside the answer, replies, standing shares, the
admin's assignment, and the authorization matrix of docs/security.md (one test per role, a check
per resource)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select

from core.accounts import get_user
from core.config import Settings
from core.db import create_engine, session_factory
from core.notices import notices_for
from interview.practice import coach, reviews, service
from interview.practice.models import CoachComment, PracticeTake, TakeReview, TakeState
from interview.practice.storage import Storage
from tests.web.conftest import Client, csrf_of, log_in
from tests.web.test_practice import MakeUser

WORDS = ["Good", "morning", "I", "led", "a", "team", "of", "twelve", "inspectors"]
FEEDBACK: dict[str, dict[str, Any]] = {
    lang: {
        "language": "en",
        "pace": {"value": 120, "unit": "wpm", "band": "good", "count": 9},
        "filler_rate": {"count": 0, "per_minute": 0.0, "band": "fine"},
        "words": [{"text": w, "start": 1.0 + i, "end": 1.6 + i} for i, w in enumerate(WORDS)],
        "fillers": [],
        "repetitions": [],
        "pauses": [],
        "longest_pause": None,
        "length": {"seconds": 12, "suggested": 60, "band": "too_short"},
        "keywords": {"found": [], "missing": []},
        "structure": {},
        "tips": [],
    }
    for lang in ("en", "ko")
}


async def _answer(settings: Settings, senior_id: int, index: int = 0) -> tuple[int, int]:
    """A session with one finished 12-second answer (a real WAV file), as the recorder leaves it."""
    engine = create_engine(settings)
    sessions = session_factory(engine)
    storage = await asyncio.to_thread(Storage, settings.data_dir)
    try:
        senior = await get_user(sessions, senior_id)
        assert senior is not None
        row = await service.start_session(
            sessions, senior, service.SetSpec("general", count=3), language="en", title="연습 면접"
        )
        take, _q, _l = await service.begin_take(sessions, storage, senior, row.id, index, video=False)
        tone = (np.sin(np.arange(16000 * 12) / 5) * 3000).astype(np.int16)
        await asyncio.to_thread(storage.write_wav, take.audio_file, tone)
        await service.move_take(sessions, take.id, TakeState.PROCESSING)
        await service.move_take(sessions, take.id, TakeState.DONE, duration=12.0, feedback=FEEDBACK)
        return row.id, take.id
    finally:
        await engine.dispose()


async def _count(settings: Settings, model: type) -> int:
    engine = create_engine(settings)
    try:
        async with session_factory(engine)() as s:
            return int(await s.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        await engine.dispose()


async def _logout(client: Client) -> None:
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/account/settings")})


async def test_a_bad_moment_is_shown_beside_its_field_on_the_same_page_with_the_text_kept(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    senior_id = await make_user("kim@example.com", "senior")
    coach_id = await make_user("coach@example.com", "coach", name="이정숙 코치")
    sid, tid = await _answer(app_settings, senior_id)
    await log_in(client, "kim@example.com")
    token = await csrf_of(client, f"/practice/{sid}/result")
    await client.post(f"/practice/{sid}/share", data={"coach": str(coach_id), "csrf_token": token})
    await _logout(client)
    await log_in(client, "coach@example.com")
    url = f"/coach/practice/{sid}/review/{tid}"
    token = await csrf_of(client, url)
    typed = "여기서 목소리가 작아졌어요. 조금 더 크게 말씀해 보세요."
    response = await client.post(
        url,
        data={"action": "comment", "at": "7분", "body": typed, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 422 and response.url.path == url  # the same page, no redirect
    html = await response.text()
    at_error = re.search(r'id="e-at" role="alert">([^<]*)<', html)
    assert at_error and "녹음 밖" in at_error.group(1)
    assert 'id="f-at" name="at" type="text" value="7분"' in html
    assert typed in html and "2000자 이내" not in html
    for moment in ("1:05x", "다음에"):
        response = await client.post(
            url, data={"action": "comment", "at": moment, "body": typed, "csrf_token": token}
        )
        assert response.status == 422
        assert "1:05, 7분, 65초, 7분 5초처럼 적어 주세요." in await response.text()
    response = await client.post(
        url, data={"action": "comment", "at": "0:05", "body": "", "csrf_token": token}
    )
    assert re.search(r'id="e-body" role="alert">내용을 적어 주세요.<', await response.text())
    response = await client.post(
        url,
        data={"action": "send", "clarity": "9", "note": "좋아요", "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 422
    html = await response.text()
    assert "1부터 5 사이에서 골라 주세요." in html and "보내기 전에 이 항목의 점수를 골라 주세요." in html
    assert ">좋아요</textarea>" in html
    assert await _count(app_settings, CoachComment) == 0 and await _count(app_settings, TakeReview) == 0

    for moment in ("7초", "0:03"):
        response = await client.post(
            url,
            data={"action": "comment", "at": moment, "body": typed, "csrf_token": token},
            allow_redirects=False,
        )
        assert response.status == 303 and response.headers["Location"] == f"{url}#comments"
    html = await (await client.get(url)).text()
    assert 'data-seek="3.00"' in html and 'data-seek="7.00"' in html


async def test_the_senior_reads_the_sent_review_beside_the_answer_replies_and_records_again(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    senior_id = await make_user("kim@example.com", "senior")
    coach_id = await make_user("coach@example.com", "coach", name="이정숙 코치")
    sid, tid = await _answer(app_settings, senior_id)
    await log_in(client, "kim@example.com")
    token = await csrf_of(client, f"/practice/{sid}/result")
    await client.post(f"/practice/{sid}/share", data={"coach": str(coach_id), "csrf_token": token})
    await _logout(client)

    await log_in(client, "coach@example.com")
    assert "검토를 기다리는 답변: 1개" in await (await client.get("/coach")).text()
    queue = await (await client.get("/coach/practice")).text()
    assert f"/coach/practice/{sid}/review/{tid}" in queue and "1분에 120단어" in queue
    url = f"/coach/practice/{sid}/review/{tid}"
    token = await csrf_of(client, url)
    await client.post(
        url,
        data={
            "action": "comment",
            "at": "3초",
            "until": "0:06",
            "body": "팀 규모를 먼저",
            "csrf_token": token,
        },
    )
    ratings = {"clarity": "4", "structure": "3", "relevance": "5", "confidence": "2"}
    response = await client.post(
        url,
        data={"action": "send", **ratings, "note": "결론을 먼저 말씀하세요.", "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 303
    assert "검토를 기다리는 답변" not in await (await client.get("/coach")).text()
    await _logout(client)

    await log_in(client, "kim@example.com")
    html = await (await client.get(f"/practice/{sid}/result")).text()
    assert "코치의 검토" in html and "결론을 먼저 말씀하세요." in html and "4 · 좋음" in html
    assert 'data-seek="3.00"' in html and "0:03–0:06" in html
    assert '<q class="quote">I led a</q>' in html  # the words of the span
    comment = re.search(r'name="comment" value="(\d+)"', html)
    assert comment
    token = await csrf_of(client, f"/practice/{sid}/result")
    response = await client.post(
        f"/practice/{sid}/result", data={"comment": comment.group(1), "reply": "", "csrf_token": token}
    )
    assert response.status == 422 and "내용을 적어 주세요." in await response.text()
    response = await client.post(
        f"/practice/{sid}/result",
        data={"comment": comment.group(1), "reply": "네, 다시 해 보겠습니다.", "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 303
    assert "네, 다시 해 보겠습니다." in await (await client.get(f"/practice/{sid}/result")).text()
    response = await client.post(
        f"/practice/{sid}/again/0", data={"csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303 and response.headers["Location"] == f"/practice/{sid}"

    engine = create_engine(app_settings)
    try:
        sessions = session_factory(engine)
        assert [n.kind for n in await notices_for(sessions, senior_id)] == ["practice.review"]
        assert [n.kind for n in await notices_for(sessions, coach_id)] == ["practice.reply"]
    finally:
        await engine.dispose()


async def test_standing_shares_from_the_result_page_and_the_admin(
    client: Client, make_user: MakeUser, app_settings: Settings
) -> None:
    senior_id = await make_user("kim@example.com", "senior")
    coach_id = await make_user("coach@example.com", "coach", name="이정숙 코치")
    await make_user("admin@example.com", "admin", name="관리자")
    sid, _tid = await _answer(app_settings, senior_id)
    await log_in(client, "admin@example.com")
    token = await csrf_of(client, "/admin/coaches")
    response = await client.post(
        "/admin/coaches",
        data={"senior": str(senior_id), "coach": str(coach_id), "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 303
    assert "selected>이정숙 코치" in await (await client.get("/admin/coaches")).text()
    await _logout(client)

    await log_in(client, "kim@example.com")
    html = await (await client.get(f"/practice/{sid}/result")).text()
    assert "새로 시작하는 모든 연습이 이정숙 코치 코치에게 공유됩니다." in html
    token = await csrf_of(client, f"/practice/{sid}/result")
    response = await client.post(f"/practice/{sid}/share-future", data={"stop": "1", "csrf_token": token})
    assert response.status == 200
    response = await client.post(f"/practice/{sid}/share-future", data={"coach": "", "csrf_token": token})
    assert response.status == 422 and response.url.path == f"/practice/{sid}/share-future"
    assert re.search(r'id="e-future-coach" role="alert">[^<]+<', await response.text())
    response = await client.post(
        f"/practice/{sid}/share-future",
        data={"coach": str(coach_id), "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 303
    engine = create_engine(app_settings)
    try:
        sessions = session_factory(engine)
        coach_user = await get_user(sessions, coach_id)
        assert coach_user is not None
        assert (await service.visible_session(sessions, coach_user, sid)).id == sid
        assert (await service.standing_coach(sessions, senior_id)) is not None
    finally:
        await engine.dispose()


# --- the authorization matrix (docs/security.md) --------------------------------------------------
ROLES = (
    "owner",
    "shared_coach",
    "unshared_coach",
    "revoked_coach",
    "other_senior",
    "company",
    "scheduler",
    "admin",
    "visitor",
)
LOGIN = "login"  # a visitor is sent to the login page


@dataclass(frozen=True)
class Cell:
    name: str
    method: str
    path: str  # {sid}, {tid}, {cid} filled in
    data: tuple[tuple[str, str], ...] = ()


RESOURCES = (
    Cell("session page (senior)", "GET", "/practice/{sid}/result"),
    Cell("session page (coach)", "GET", "/coach/practice/{sid}"),
    Cell("take JSON", "GET", "/practice/{sid}/takes/{tid}.json"),
    Cell("transcript and feedback", "GET", "/practice/{sid}/takes/{tid}"),
    Cell("media file", "GET", "/practice/{sid}/media/{tid}/audio"),
    Cell("review page (comments, ratings)", "GET", "/coach/practice/{sid}/review/{tid}"),
    Cell(
        "write a comment",
        "POST",
        "/coach/practice/{sid}/review/{tid}",
        (("action", "comment"), ("at", "0:02"), ("body", "x")),
    ),
    Cell(
        "write ratings", "POST", "/coach/practice/{sid}/review/{tid}", (("action", "save"), ("clarity", "3"))
    ),
    Cell("write a tip", "POST", "/coach/practice/{sid}", (("body", "tip"),)),
    Cell("reply to a comment", "POST", "/practice/{sid}/result", (("comment", "{cid}"), ("reply", "네"))),
    Cell("delete the take", "POST", "/practice/{sid}/takes/{tid}/delete"),
)
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 303, 403, 404
# role -> expected status per resource, in the order of RESOURCES (docs/security.md, the same table)
MATRIX = {
    "owner": (OK, FORBIDDEN, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT),
    "shared_coach": (
        FORBIDDEN,
        OK,
        FORBIDDEN,
        FORBIDDEN,
        OK,
        OK,
        REDIRECT,
        REDIRECT,
        REDIRECT,
        FORBIDDEN,
        FORBIDDEN,
    ),
    "unshared_coach": (
        FORBIDDEN,
        NOT_FOUND,
        FORBIDDEN,
        FORBIDDEN,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        FORBIDDEN,
        FORBIDDEN,
    ),
    "revoked_coach": (
        FORBIDDEN,
        NOT_FOUND,
        FORBIDDEN,
        FORBIDDEN,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        FORBIDDEN,
        FORBIDDEN,
    ),
    "other_senior": (
        NOT_FOUND,
        FORBIDDEN,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
        NOT_FOUND,
        NOT_FOUND,
    ),
    "company": (FORBIDDEN,) * len(RESOURCES),
    "scheduler": (FORBIDDEN,) * len(RESOURCES),
    "admin": (FORBIDDEN,) * len(RESOURCES),
    "visitor": (LOGIN,) * len(RESOURCES),
}
EMAILS = {
    "owner": ("kim@example.com", "senior"),
    "shared_coach": ("coach@example.com", "coach"),
    "unshared_coach": ("coach2@example.com", "coach"),
    "revoked_coach": ("coach3@example.com", "coach"),
    "other_senior": ("lee@example.com", "senior"),
    "company": ("company@example.com", "company"),
    "scheduler": ("scheduler@example.com", "scheduler"),
    "admin": ("admin@example.com", "admin"),
}


@pytest.mark.parametrize("role", ROLES)
async def test_authorization_matrix(
    client: Client, make_user: MakeUser, app_settings: Settings, role: str
) -> None:
    ids = {name: await make_user(email, kind, name=name) for name, (email, kind) in EMAILS.items()}
    sid, tid = await _answer(app_settings, ids["owner"])
    engine = create_engine(app_settings)
    try:
        sessions = session_factory(engine)
        owner = await get_user(sessions, ids["owner"])
        shared = await get_user(sessions, ids["shared_coach"])
        assert owner and shared
        await service.share(sessions, owner, sid, ids["revoked_coach"])  # shared, then stopped:
        await service.share(sessions, owner, sid, ids["shared_coach"])  # now with another coach
        made = await coach.add_comment(
            sessions, shared, sid, kind="comment", body="좋아요", take_id=tid, at="0:01"
        )
        await reviews.save_review(sessions, shared, tid, dict.fromkeys(reviews.CRITERIA, "3"), "", send=True)
    finally:
        await engine.dispose()
    if role != "visitor":
        await log_in(client, EMAILS[role][0])
    token = await csrf_of(client, "/account/settings" if role != "visitor" else "/login")
    got = []
    for cell in RESOURCES:
        path = cell.path.format(sid=sid, tid=tid)
        if cell.method == "GET":
            response = await client.get(path, allow_redirects=False)
        else:
            data = {k: v.format(cid=made.id) for k, v in cell.data} | {"csrf_token": token}
            response = await client.post(path, data=data, allow_redirects=False)
        status: int | str = response.status
        if status == 303 and response.headers["Location"].startswith("/login"):
            status = LOGIN
        got.append((cell.name, status))
    assert got == list(zip([c.name for c in RESOURCES], MATRIX[role], strict=True))
    # what was refused changed nothing: the take is still there unless its owner deleted it
    engine = create_engine(app_settings)
    try:
        async with session_factory(engine)() as s:
            take = await s.get(PracticeTake, tid)
            assert (take is None) == (role == "owner")
    finally:
        await engine.dispose()
