"""Coach review on SQLite and PostgreSQL: moments as people write them, comments on spans, ratings,
sending (with the senior's notice), replies, the coach's queue, standing shares and revocation,
and deleting an answer with its comments and ratings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from core.accounts import User, create_user, validate_account
from core.db import Sessions
from core.notices import notices_for
from interview.practice import coach, reviews, service
from interview.practice.errors import InvalidReview, PracticeSessionNotFound, TakeNotFound
from interview.practice.models import CoachComment, CommentReply, PracticeTake, TakeReview, TakeState
from interview.practice.storage import Storage

FEEDBACK = {
    "en": {
        "language": "en",
        "pace": {"value": 128, "unit": "wpm", "band": "good", "count": 30},
        "filler_rate": {"count": 2, "per_minute": 1.5, "band": "fine"},
        "longest_pause": {"start": 4.0, "end": 6.5, "duration": 2.5},
        "words": [{"text": "Good", "start": 0.5, "end": 0.8}, {"text": "morning", "start": 0.9, "end": 1.4}],
    }
}


async def _user(sessions: Sessions, email: str, role: str = "senior", name: str = "김영수") -> User:
    return await create_user(sessions, validate_account(email, name, "password-123", role))


async def _done(
    sessions: Sessions, storage: Storage, senior: User, sid: int, index: int, duration: float = 84.0
) -> PracticeTake:
    take, _q, _lang = await service.begin_take(sessions, storage, senior, sid, index, video=False)
    storage.write_wav(take.audio_file, np.zeros(1600, np.int16))
    assert await service.move_take(sessions, take.id, TakeState.PROCESSING)
    done = await service.move_take(sessions, take.id, TakeState.DONE, feedback=FEEDBACK, duration=duration)
    assert done is not None
    return done


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1:05", 65.0),
        ("01:05", 65.0),
        ("7분", 420.0),
        ("7 분", 420.0),
        ("65초", 65.0),
        ("7분 5초", 425.0),
        ("7분5초", 425.0),
        ("1분 05초", 65.0),
        ("65", 65.0),
        ("2.5초", 2.5),
        ("1m5s", 65.0),
        ("", None),
        ("  ", None),
    ],
)
def test_moments_are_read_as_people_write_them(text: str, seconds: float | None) -> None:
    assert coach.parse_moment(text) == seconds


@pytest.mark.parametrize("text", ["soon", "1:99", "7분 후", "-5", "분", "1:05:07:09", "초"])
def test_a_moment_that_is_not_a_time_is_an_error_on_its_field(text: str) -> None:
    with pytest.raises(InvalidReview) as caught:
        coach.parse_moment(text)
    assert caught.value.fields == {"at": coach.BAD_MOMENT}


def test_a_moment_past_the_answer_is_refused() -> None:
    assert coach.parse_moment("1:24", 84.0) == 84.0
    with pytest.raises(InvalidReview) as caught:
        coach.parse_moment("7분", 84.0)
    assert caught.value.fields == {"at": coach.OUTSIDE}


async def _shared(sessions: Sessions, data_dir: Path) -> tuple[Storage, User, User, int, PracticeTake]:
    storage = Storage(data_dir)
    senior = await _user(sessions, "kim@example.com")
    coach_user = await _user(sessions, "coach@example.com", "coach", "이정숙 코치")
    row = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="en", title="연습"
    )
    take = await _done(sessions, storage, senior, row.id, 0)
    await service.share(sessions, senior, row.id, coach_user.id)
    return storage, senior, coach_user, row.id, take


async def test_a_review_is_a_draft_until_sent_then_the_senior_sees_it_and_can_reply(
    sessions: Sessions, data_dir: Path
) -> None:
    _storage, senior, coach_user, sid, take = await _shared(sessions, data_dir)
    await coach.add_comment(
        sessions,
        coach_user,
        sid,
        kind="comment",
        body="첫 문장이 좋습니다",
        take_id=take.id,
        at="0:01",
        until="2초",
    )
    assert await coach.comments_of(sessions, sid, for_senior=True) == []  # a draft
    assert [c.end_seconds for c in await coach.comments_of(sessions, sid)] == [2.0]
    draft = await reviews.save_review(sessions, coach_user, take.id, {"clarity": "4"}, "초안")
    assert draft.sent_at is None and draft.ratings["clarity"] == 4
    assert [i.take_id for i in await reviews.queue(sessions, coach_user)] == [take.id]
    assert await reviews.sent_reviews(sessions, sid) == {}

    with pytest.raises(InvalidReview) as caught:  # sending needs every criterion
        await reviews.save_review(sessions, coach_user, take.id, {"clarity": "4"}, "전체 의견", send=True)
    assert set(caught.value.fields) == {"rating_structure", "rating_relevance", "rating_confidence"}
    assert (await reviews.review_by(sessions, coach_user, take.id)).note == "초안"  # type: ignore[union-attr]

    sent = await reviews.save_review(
        sessions,
        coach_user,
        take.id,
        {"clarity": "4", "structure": "3", "relevance": "5", "confidence": "2"},
        "결론을 먼저 말씀하세요.",
        send=True,
    )
    assert sent.sent_at is not None
    assert await reviews.queue(sessions, coach_user) == []
    assert [r.note for r in (await reviews.sent_reviews(sessions, sid))[take.id]] == [
        "결론을 먼저 말씀하세요."
    ]
    notices = await notices_for(sessions, senior.id)
    assert [(n.kind, n.url, n.params) for n in notices] == [
        ("practice.review", f"/practice/{sid}/result#take-{take.id}", {"name": "이정숙 코치", "n": 1})
    ]
    visible = await coach.comments_of(sessions, sid, for_senior=True)
    assert [(c.at_seconds, c.end_seconds, c.body) for c in visible] == [(1.0, 2.0, "첫 문장이 좋습니다")]

    await coach.reply(sessions, senior, visible[0].id, "감사합니다. 다시 해 보겠습니다.")
    with pytest.raises(InvalidReview) as caught:
        await coach.reply(sessions, senior, visible[0].id, "   ")
    assert caught.value.fields == {"reply": coach.EMPTY_BODY}
    replies = (await coach.comments_of(sessions, sid, for_senior=True))[0].replies
    assert [(r.body, r.from_coach) for r in replies] == [("감사합니다. 다시 해 보겠습니다.", False)]
    assert [n.kind for n in await notices_for(sessions, coach_user.id)] == ["practice.reply"]


async def test_bad_input_stores_nothing(sessions: Sessions, data_dir: Path) -> None:
    storage, senior, coach_user, sid, take = await _shared(sessions, data_dir)
    bad_comments = [
        ({"at": "2:00"}, {"at": coach.OUTSIDE}),  # the answer is 84 s long
        ({"at": "0:10", "until": "0:05"}, {"until": coach.SPAN_ORDER}),
        ({"at": "soon", "body": ""}, {"at": coach.BAD_MOMENT, "body": coach.EMPTY_BODY}),
        ({"body": "x" * 2001}, {"body": coach.LONG_BODY}),
    ]
    for change, fields in bad_comments:
        values = {"at": "0:05", "until": "", "body": "좋습니다", **change}
        with pytest.raises(InvalidReview) as caught:
            await coach.add_comment(sessions, coach_user, sid, kind="comment", take_id=take.id, **values)
        assert caught.value.fields == fields
    for ratings, field in (({"clarity": "6"}, "rating_clarity"), ({"structure": "0"}, "rating_structure")):
        with pytest.raises(InvalidReview) as caught:
            await reviews.save_review(sessions, coach_user, take.id, ratings, "")
        assert set(caught.value.fields) == {field}
    with pytest.raises(InvalidReview):
        await reviews.save_review(sessions, coach_user, take.id, {}, "x" * 2001)
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(CoachComment)) == 0
        assert await s.scalar(select(func.count()).select_from(TakeReview)) == 0

    # an answer deleted meanwhile: not found, nothing stored
    await service.delete_take(sessions, storage, senior, sid, take.id)
    with pytest.raises(TakeNotFound):
        await coach.add_comment(
            sessions, coach_user, sid, kind="comment", take_id=take.id, body="x", at="0:01"
        )
    with pytest.raises(TakeNotFound):
        await reviews.save_review(sessions, coach_user, take.id, {"clarity": "3"}, "", send=True)
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(CoachComment)) == 0
        assert await s.scalar(select(func.count()).select_from(TakeReview)) == 0


async def test_deleting_an_answer_deletes_its_comments_replies_and_ratings(
    sessions: Sessions, data_dir: Path
) -> None:
    storage, senior, coach_user, sid, take = await _shared(sessions, data_dir)
    other = await _done(sessions, storage, senior, sid, 1)
    for t in (take, other):
        await coach.add_comment(sessions, coach_user, sid, kind="comment", take_id=t.id, body="x", at="0:01")
        await reviews.save_review(
            sessions, coach_user, t.id, dict.fromkeys(reviews.CRITERIA, "3"), "note", send=True
        )
    first = (await coach.comments_of(sessions, sid, for_senior=True))[0]
    await coach.reply(sessions, senior, first.id, "네")
    await service.delete_take(sessions, storage, senior, sid, take.id)
    async with sessions() as s:
        assert list(await s.scalars(select(CoachComment.take_id))) == [other.id]
        assert list(await s.scalars(select(TakeReview.take_id))) == [other.id]
        assert await s.scalar(select(func.count()).select_from(CommentReply)) == 0
    assert not storage.path(take.audio_file).exists()


async def test_only_the_shared_coach_may_review_and_stopping_ends_it_at_once(
    sessions: Sessions, data_dir: Path
) -> None:
    storage, senior, coach_user, sid, take = await _shared(sessions, data_dir)
    other_coach = await _user(sessions, "coach2@example.com", "coach", "박코치")
    other_senior = await _user(sessions, "lee@example.com", name="이순자")
    for who in (other_coach, other_senior, senior):
        with pytest.raises(TakeNotFound):
            await reviews.reviewable(sessions, who, take.id)
        with pytest.raises(TakeNotFound):
            await reviews.save_review(sessions, who, take.id, {}, "x")
    assert await reviews.queue(sessions, other_coach) == []
    await reviews.reviewable(sessions, coach_user, take.id)
    await service.share(sessions, senior, sid, None)
    with pytest.raises(TakeNotFound):
        await reviews.reviewable(sessions, coach_user, take.id)
    with pytest.raises(PracticeSessionNotFound):
        await coach.add_comment(sessions, coach_user, sid, kind="comment", take_id=take.id, body="x")
    assert await reviews.queue(sessions, coach_user) == []


async def test_a_standing_share_covers_future_sessions_until_the_senior_ends_it(
    sessions: Sessions, data_dir: Path
) -> None:
    storage = Storage(data_dir)
    senior = await _user(sessions, "kim@example.com")
    other_senior = await _user(sessions, "lee@example.com", name="이순자")
    coach_user = await _user(sessions, "coach@example.com", "coach", "이정숙 코치")
    admin = await _user(sessions, "admin@example.com", "admin", "관리자")
    with pytest.raises(PracticeSessionNotFound):  # another senior cannot set it
        await service.set_standing_coach(sessions, other_senior, senior.id, coach_user.id)
    await service.set_standing_coach(sessions, admin, senior.id, coach_user.id)  # the admin assigns
    assert (await service.standing_coach(sessions, senior.id)).id == coach_user.id  # type: ignore[union-attr]
    links = await service.coach_links(sessions, admin)
    assert [(s.name, c.name if c else None) for s, c in links] == [
        ("김영수", "이정숙 코치"),
        ("이순자", None),
    ]

    first = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="en", title="a"
    )
    second = await service.start_session(
        sessions, senior, service.SetSpec("senior", count=3), language="en", title="b"
    )
    take = await _done(sessions, storage, senior, second.id, 0)
    assert first.shared_coach_id == second.shared_coach_id == coach_user.id
    assert [i.take_id for i in await reviews.queue(sessions, coach_user)] == [take.id]

    await service.set_standing_coach(sessions, senior, senior.id, None)  # the senior ends it
    assert await service.standing_coach(sessions, senior.id) is None
    for sid in (first.id, second.id):
        with pytest.raises(PracticeSessionNotFound):
            await service.visible_session(sessions, coach_user, sid)
    third = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="en", title="c"
    )
    assert third.shared_coach_id is None
    await service.share(sessions, senior, third.id, coach_user.id, future=True)  # from the result page
    assert (await service.standing_coach(sessions, senior.id)).id == coach_user.id  # type: ignore[union-attr]
