"""Practice sessions and takes on SQLite and PostgreSQL: sets, retakes, resuming, deleting, sharing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import event, func, select

from core.accounts import User, create_user, validate_account
from core.clock import utcnow
from core.db import Sessions
from core.errors import InvalidInput
from interview.practice import coach, service
from interview.practice.errors import (
    BadQuestionIndex,
    CoachNotFound,
    EmptyQuestionSet,
    InvalidComment,
    NoRetakesLeft,
    PracticeSessionNotFound,
    TakeInProgress,
)
from interview.practice.models import CoachComment, PracticeTake, TakeState
from interview.practice.postings import PostingChoice
from interview.practice.storage import Storage


async def _user(sessions: Sessions, email: str, role: str = "senior", name: str = "김영수") -> User:
    return await create_user(sessions, validate_account(email, name, "password-123", role))


async def _done(sessions: Sessions, storage: Storage, senior: User, sid: int, index: int) -> PracticeTake:
    take, _q, _lang = await service.begin_take(sessions, storage, senior, sid, index, video=False)
    storage.write_wav(take.audio_file, np.zeros(1600, np.int16))
    assert await service.move_take(sessions, take.id, TakeState.PROCESSING)
    done = await service.move_take(sessions, take.id, TakeState.DONE, feedback={"en": {"no_speech": True}})
    assert done is not None
    return done


async def test_a_set_picks_the_questions_practised_least(sessions: Sessions, data_dir: Path) -> None:
    storage = Storage(data_dir)
    senior = await _user(sessions, "kim@example.com")
    first = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="ko", title="1"
    )
    assert len(first.questions) == 3 and first.question_ids == [q["id"] for q in first.questions]
    for i in range(3):
        await _done(sessions, storage, senior, first.id, i)
    second = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="ko", title="2"
    )
    assert not set(second.question_ids) & set(first.question_ids)
    senior_set = await service.start_session(
        sessions, senior, service.SetSpec("senior", count=8), language="en", title="s"
    )
    assert {q["category"] for q in senior_set.questions} == {"senior"} and len(senior_set.questions) == 8
    role = await service.start_session(
        sessions, senior, service.SetSpec("role", role="logistics", count=3), language="en", title="r"
    )
    assert {q["role"] for q in role.questions} == {"logistics"}


async def test_a_posting_set_mixes_opening_senior_and_role_questions(sessions: Sessions) -> None:
    senior = await _user(sessions, "kim@example.com")
    posting = PostingChoice(7, "품질관리 검사원 (자동차 부품)", "한빛정밀", "quality_control")
    row = await service.start_session(
        sessions,
        senior,
        service.SetSpec("posting", posting=posting, count=5),
        language="ko",
        title=posting.title,
    )
    cats = [q["category"] for q in row.questions]
    assert cats[:2] == ["general", "senior"] and cats.count("role") == 3
    assert {q["role"] for q in row.questions if q["category"] == "role"} == {"quality_control"}
    assert row.posting_id == 7 and row.role == "quality_control"


async def test_bad_choices_are_refused(sessions: Sessions) -> None:
    senior = await _user(sessions, "kim@example.com")
    company = await _user(sessions, "co@example.com", "company")
    with pytest.raises(InvalidInput):
        await service.start_session(sessions, senior, service.SetSpec("astrology"), language="ko", title="x")
    with pytest.raises(InvalidInput):
        await service.start_session(sessions, senior, service.SetSpec("general"), language="fr", title="x")
    with pytest.raises(InvalidInput):
        await service.start_session(
            sessions, senior, service.SetSpec("general", count=99), language="ko", title="x"
        )
    with pytest.raises(InvalidInput):
        await service.start_session(
            sessions, senior, service.SetSpec("role", role="pilot"), language="ko", title="x"
        )
    with pytest.raises(PracticeSessionNotFound):
        await service.start_session(sessions, company, service.SetSpec("general"), language="ko", title="x")
    posting = PostingChoice(1, "바리스타", "카페", None)  # no job family: general and senior questions only
    row = await service.start_session(
        sessions, senior, service.SetSpec("posting", posting=posting, count=3), language="ko", title="x"
    )
    assert {q["category"] for q in row.questions} <= {"general", "senior"}


async def test_an_empty_set_is_refused(sessions: Sessions) -> None:
    from interview.practice import bank

    senior = await _user(sessions, "kim@example.com")
    admin = await _user(sessions, "admin@example.com", "admin")
    for q in await bank.active_questions(sessions, role="driving"):
        await bank.set_active(sessions, admin, q.id, False)
    with pytest.raises(EmptyQuestionSet):
        await service.start_session(
            sessions, senior, service.SetSpec("role", role="driving"), language="ko", title="x"
        )


async def test_retakes_are_limited_and_the_last_answer_counts(sessions: Sessions, data_dir: Path) -> None:
    storage = Storage(data_dir)
    senior = await _user(sessions, "kim@example.com")
    row = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="ko", title="x", max_retakes=1
    )
    take, question, language = await service.begin_take(sessions, storage, senior, row.id, 0, video=False)
    assert take.attempt == 1 and question["id"] == row.question_ids[0] and language == "ko"
    assert await service.move_take(sessions, take.id, TakeState.ABANDONED)  # the tab closed
    assert await service.move_take(sessions, take.id, TakeState.DONE) is None  # not allowed from abandoned
    # a take left recording (its connection gone) is abandoned when the senior starts another
    left, _q, _l = await service.begin_take(sessions, storage, senior, row.id, 1, video=False)
    storage.write_wav(left.audio_file, np.zeros(160, np.int16))
    other, _q, _l = await service.begin_take(sessions, storage, senior, row.id, 2, video=False)
    async with sessions() as s:
        assert (await s.get(PracticeTake, left.id)).state == TakeState.ABANDONED  # type: ignore[union-attr]
    assert not storage.path(left.audio_file).exists()
    assert await service.move_take(sessions, other.id, TakeState.ABANDONED)
    first = await _done(sessions, storage, senior, row.id, 0)
    second = await _done(sessions, storage, senior, row.id, 0)
    assert (first.attempt, second.attempt) == (2, 3)  # numbering goes on; the abandoned one is given back
    with pytest.raises(NoRetakesLeft):
        await service.begin_take(sessions, storage, senior, row.id, 0, video=False)
    with pytest.raises(BadQuestionIndex):
        await service.begin_take(sessions, storage, senior, row.id, 3, video=False)
    views = await service.question_views(sessions, await service.owned_session(sessions, senior, row.id))
    assert views[0].counting is not None and views[0].counting.id == second.id
    assert views[0].attempts_used == 2 and views[1].counting is None
    # resuming: the session remembers where the senior is, and finishing is a position too
    await service.set_position(sessions, senior, row.id, 2)
    assert (await service.owned_session(sessions, senior, row.id)).current_index == 2
    done = await service.set_position(sessions, senior, row.id, 3)
    assert done.state.value == "finished"
    with pytest.raises(BadQuestionIndex):
        await service.set_position(sessions, senior, row.id, 4)


async def _lease(sessions: Sessions, take_id: int, node: str, until: timedelta) -> None:
    """Hand the take's lease to ``node`` (another server process), running out ``until`` from now."""
    async with sessions() as s, s.begin():
        take = await s.get(PracticeTake, take_id)
        assert take is not None
        take.lease_node, take.lease_until = node, utcnow() + until


async def _state(sessions: Sessions, take_id: int) -> PracticeTake:
    async with sessions() as s:
        take = await s.get(PracticeTake, take_id)
    assert take is not None
    return take


async def test_interrupted_takes_are_repaired_when_their_lease_runs_out(
    sessions: Sessions, data_dir: Path
) -> None:
    storage = Storage(data_dir)
    senior = await _user(sessions, "kim@example.com")
    row = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="ko", title="x", max_retakes=0
    )
    recording, _q, _l = await service.begin_take(sessions, storage, senior, row.id, 0, video=False)
    stored = await _state(sessions, recording.id)
    assert stored.lease_node == service.NODE_ID and stored.lease_until is not None
    # this process's own takes are never repaired: its recorder finishes them
    assert await service.recover_interrupted(sessions, storage, now=utcnow() + timedelta(hours=1)) == 0
    assert await service.renew_leases(sessions) == 1
    # another live process holds the take: left alone, and it cannot be deleted meanwhile
    await _lease(sessions, recording.id, "node-b", timedelta(seconds=20))
    assert await service.recover_interrupted(sessions, storage) == 0
    with pytest.raises(TakeInProgress):
        await service.delete_take(sessions, storage, senior, row.id, recording.id)
    # that process stopped: however young the take, it is abandoned once the lease has run out
    await _lease(sessions, recording.id, "node-b", timedelta(seconds=-1))
    assert await service.recover_interrupted(sessions, storage) == 1
    assert (await _state(sessions, recording.id)).state == TakeState.ABANDONED
    assert await service.recover_interrupted(sessions, storage) == 0

    # a take whose analysis was cut off fails and gives its answer back
    analysed, _q, _l = await service.begin_take(sessions, storage, senior, row.id, 1, video=False)
    assert await service.move_take(sessions, analysed.id, TakeState.PROCESSING)
    await _lease(sessions, analysed.id, "node-b", timedelta(seconds=-1))
    assert await service.recover_interrupted(sessions, storage) == 1
    failed = await _state(sessions, analysed.id)
    assert failed.state == TakeState.FAILED and failed.error


async def test_a_stuck_take_can_be_deleted_or_answered_again(sessions: Sessions, data_dir: Path) -> None:
    storage = Storage(data_dir)
    senior = await _user(sessions, "kim@example.com")
    row = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="ko", title="x", max_retakes=0
    )
    stuck, _q, _l = await service.begin_take(sessions, storage, senior, row.id, 0, video=False)
    assert await service.move_take(sessions, stuck.id, TakeState.PROCESSING)
    await _lease(sessions, stuck.id, "crashed-node", timedelta(seconds=-1))
    # no retakes allowed, yet the answer the crash swallowed does not count: answering again works
    again, _q, _l = await service.begin_take(sessions, storage, senior, row.id, 0, video=False)
    assert (await _state(sessions, stuck.id)).state == TakeState.FAILED
    assert again.attempt == 2
    # and a take stuck while recording can be deleted, with its files
    await _lease(sessions, again.id, "crashed-node", timedelta(seconds=-1))
    storage.path(again.audio_file).parent.mkdir(parents=True, exist_ok=True)
    storage.path(again.audio_file).write_bytes(b"RIFF")
    await service.delete_take(sessions, storage, senior, row.id, again.id)
    assert not storage.path(again.audio_file).exists()
    async with sessions() as s:
        assert await s.get(PracticeTake, again.id) is None


async def test_only_the_owner_reaches_a_session(sessions: Sessions, data_dir: Path) -> None:
    storage = Storage(data_dir)
    owner = await _user(sessions, "kim@example.com")
    other = await _user(sessions, "lee@example.com", name="이순자")
    coach_user = await _user(sessions, "coach@example.com", "coach", "이정숙 코치")
    row = await service.start_session(
        sessions, owner, service.SetSpec("general", count=3), language="ko", title="x"
    )
    take = await _done(sessions, storage, owner, row.id, 0)
    for call in (
        service.owned_session(sessions, other, row.id),
        service.visible_session(sessions, other, row.id),
        service.visible_session(sessions, coach_user, row.id),
        service.begin_take(sessions, storage, other, row.id, 1, video=False),
        service.delete_take(sessions, storage, other, row.id, take.id),
        service.delete_session(sessions, storage, other, row.id),
        service.share(sessions, other, row.id, coach_user.id),
        service.set_position(sessions, other, row.id, 1),
    ):
        with pytest.raises(PracticeSessionNotFound):
            await call
    assert storage.path(take.audio_file).exists()
    with pytest.raises(PracticeSessionNotFound):
        await service.owned_session(sessions, owner, 999_999)


async def test_sharing_and_coach_comments(sessions: Sessions, data_dir: Path) -> None:
    storage = Storage(data_dir)
    senior = await _user(sessions, "kim@example.com")
    coach_user = await _user(sessions, "coach@example.com", "coach", "이정숙 코치")
    other_coach = await _user(sessions, "coach2@example.com", "coach", "박코치")
    row = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="ko", title="x"
    )
    take = await _done(sessions, storage, senior, row.id, 0)
    with pytest.raises(CoachNotFound):
        await service.share(sessions, senior, row.id, senior.id)  # not a coach
    await service.share(sessions, senior, row.id, coach_user.id)
    assert (await service.visible_session(sessions, coach_user, row.id)).id == row.id
    assert [r.id for r, _name in await service.shared_with(sessions, coach_user)] == [row.id]
    assert await service.shared_with(sessions, other_coach) == []
    await coach.add_comment(
        sessions, coach_user, row.id, kind="comment", body="좋습니다", take_id=take.id, at="0:05"
    )
    await coach.add_comment(sessions, coach_user, row.id, kind="tip", body="결론부터 말하세요")
    with pytest.raises(PracticeSessionNotFound):
        await coach.add_comment(sessions, other_coach, row.id, kind="tip", body="x")
    for bad in (
        {"kind": "tip", "body": ""},
        {"kind": "shout", "body": "x"},
        {"kind": "tip", "body": "x" * 2001},
    ):
        with pytest.raises(InvalidComment):
            await coach.add_comment(sessions, coach_user, row.id, **bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidComment):
        await coach.add_comment(
            sessions, coach_user, row.id, kind="comment", body="x", take_id=take.id, at="1:99"
        )
    comments = await coach.comments_of(sessions, row.id)
    assert [(c.kind, c.at_seconds, c.coach_name) for c in comments] == [
        ("comment", 5.0, "이정숙 코치"),
        ("tip", None, "이정숙 코치"),
    ]
    await service.share(sessions, senior, row.id, None)
    with pytest.raises(PracticeSessionNotFound):
        await service.visible_session(sessions, coach_user, row.id)


async def test_deleting_removes_rows_and_files(sessions: Sessions, data_dir: Path) -> None:
    storage = Storage(data_dir)
    senior = await _user(sessions, "kim@example.com")
    other = await _user(sessions, "lee@example.com", name="이순자")
    coach_user = await _user(sessions, "coach@example.com", "coach", "이정숙 코치")
    a = await service.start_session(
        sessions, senior, service.SetSpec("general", count=3), language="ko", title="a"
    )
    b = await service.start_session(
        sessions, senior, service.SetSpec("senior", count=3), language="ko", title="b"
    )
    keep = await service.start_session(
        sessions, other, service.SetSpec("general", count=3), language="ko", title="k"
    )
    ta1, ta2 = (
        await _done(sessions, storage, senior, a.id, 0),
        await _done(sessions, storage, senior, a.id, 1),
    )
    tb = await _done(sessions, storage, senior, b.id, 0)
    tk = await _done(sessions, storage, other, keep.id, 0)
    await service.share(sessions, senior, a.id, coach_user.id)
    await coach.add_comment(sessions, coach_user, a.id, kind="comment", body="x", take_id=ta1.id)

    await service.delete_take(sessions, storage, senior, a.id, ta1.id)
    assert not storage.path(ta1.audio_file).exists() and storage.path(ta2.audio_file).exists()
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(CoachComment)) == 0  # went with the take
    assert await service.delete_everything(sessions, storage, senior) == 2
    for t in (ta2, tb):
        assert not storage.path(t.audio_file).exists()
    assert not storage.senior_dir(senior.id).exists()
    assert storage.path(tk.audio_file).exists()  # another senior's files are untouched
    assert await service.list_sessions(sessions, senior.id) == []
    assert [r.id for r in await service.list_sessions(sessions, other.id)] == [keep.id]


def test_storage_refuses_paths_outside_the_recordings(data_dir: Path) -> None:
    storage = Storage(data_dir)
    audio, video = storage.new_take_files(3, 9, 0, 1)
    assert audio.startswith("recordings/3/practice/9/q01-try1-") and audio.endswith(".wav")
    assert video.endswith(".webm")
    for bad in ("../secret_key", "recordings/../allwork.db", "/etc/passwd"):
        with pytest.raises(ValueError):
            storage.path(bad)
    assert storage.remove(["../secret_key", None, "recordings/3/none.wav"]) == 0


async def test_takes_and_answered_counts_for_many_sessions_in_one_query(
    sessions: Sessions, data_dir: Path
) -> None:
    storage = Storage(data_dir)
    senior = await _user(sessions, "kim@example.com")
    spec = service.SetSpec("general", count=3)
    a, b, empty = [await service.start_session(sessions, senior, spec, language="ko", title=t) for t in "abc"]
    await _done(sessions, storage, senior, a.id, 1)
    await _done(sessions, storage, senior, a.id, 0)
    await _done(sessions, storage, senior, a.id, 0)  # a retake of the same question counts once
    await service.begin_take(sessions, storage, senior, b.id, 2, video=False)  # still recording
    ids = [a.id, b.id, empty.id, 99999]

    statements: list[str] = []
    engine = sessions.kw["bind"].sync_engine

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        takes = await service.takes_by_session(sessions, ids)
        assert len(statements) == 1
        answered = await service.answered_counts(sessions, ids)
        assert len(statements) == 2
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert list(takes) == ids
    for sid in (a.id, b.id, empty.id):
        assert [t.id for t in takes[sid]] == [t.id for t in await service.takes_of(sessions, sid)]
    assert [(t.question_index, t.attempt) for t in takes[a.id]] == [(0, 1), (0, 2), (1, 1)]
    assert [t.state for t in takes[b.id]] == [TakeState.RECORDING]
    assert takes[empty.id] == [] and takes[99999] == []
    assert answered == {a.id: 2, b.id: 0, empty.id: 0, 99999: 0}
    assert await service.takes_by_session(sessions, []) == {}
    assert await service.answered_counts(sessions, []) == {}
