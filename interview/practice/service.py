"""Practice sessions and takes: start a set, record takes, resume, delete, share with a coach.

Plain async functions over an ``async_sessionmaker``. Every function that takes a user checks
ownership first: another senior's session id is answered exactly like a missing one
(:class:`~interview.practice.errors.PracticeSessionNotFound`), so ids reveal nothing.
Take state changes follow :data:`~interview.practice.models.TAKE_TRANSITIONS` and are logged.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from core.accounts import Role, User
from core.clock import utcnow
from core.db import Sessions, transaction
from core.errors import InvalidInput
from core.i18n import N_
from interview.practice import bank
from interview.practice.errors import (
    BadQuestionIndex,
    EmptyQuestionSet,
    NoRetakesLeft,
    PracticeSessionNotFound,
    TakeInProgress,
    TakeNotFound,
)
from interview.practice.models import (
    FINAL_TAKE_STATES,
    TAKE_TRANSITIONS,
    CoachLink,
    PracticeSession,
    PracticeTake,
    SessionState,
    TakeState,
)
from interview.practice.postings import PostingChoice
from interview.practice.questions import ROLES, Question
from interview.practice.storage import Storage

log = logging.getLogger(__name__)

SET_KINDS = ("general", "senior", "role", "posting")
#: takes that use up one of the question's answers (interrupted and failed ones are given back)
COUNTED_TAKE_STATES = frozenset({TakeState.RECORDING, TakeState.PROCESSING, TakeState.DONE})
LANGUAGES = ("ko", "en", "auto")
QUESTION_COUNTS = (3, 5, 8)
MAX_RETAKES = 5
THINK_SECONDS = (15, 30, 60)


@dataclass(frozen=True, slots=True)
class SetSpec:
    """What the senior picked on the start page."""

    kind: str
    role: str | None = None
    posting: PostingChoice | None = None
    count: int = 5


@dataclass
class QuestionView:
    """One question of a session with its takes (oldest first) and the take that counts."""

    index: int
    question: dict[str, Any]
    takes: list[PracticeTake] = field(default_factory=list)

    @property
    def counting(self) -> PracticeTake | None:
        """The last finished take: it counts; earlier ones are kept until deleted."""
        done = [t for t in self.takes if t.state == TakeState.DONE]
        return done[-1] if done else None

    @property
    def attempts_used(self) -> int:
        """Answers that count against the retake limit (an interrupted or failed one does not)."""
        return sum(1 for t in self.takes if t.state in COUNTED_TAKE_STATES)


def question_limit_seconds(question: dict[str, Any]) -> int:
    """How long an answer may run: twice the suggested length, at least a minute, at most five."""
    return int(min(300, max(60, 2 * int(question.get("suggested_seconds") or 60))))


def _snapshot(q: Question) -> dict[str, Any]:
    return q.to_dict()


async def start_session(
    sessions: Sessions,
    senior: User,
    spec: SetSpec,
    *,
    language: str,
    title: str,
    max_retakes: int = 2,
    think_seconds: int = 30,
) -> PracticeSession:
    """Pick the questions of the set (the ones this senior practised least) and open a session."""
    if senior.role != Role.SENIOR:
        raise PracticeSessionNotFound()
    if spec.kind not in SET_KINDS:
        raise InvalidInput(fields={"set": N_("Please choose a question set.")})
    if language not in LANGUAGES:
        raise InvalidInput(fields={"language": N_("Please choose the language you will answer in.")})
    if spec.kind == "role" and spec.role not in ROLES:
        raise InvalidInput(fields={"set": N_("Please choose a question set.")})
    if spec.count not in QUESTION_COUNTS or not 0 <= max_retakes <= MAX_RETAKES:
        raise InvalidInput(fields={"count": N_("Please choose how many questions.")})
    if think_seconds not in THINK_SECONDS:
        raise InvalidInput(fields={"think": N_("Please choose the thinking time.")})
    counts = await _answer_counts(sessions, senior.id)
    chosen = await _choose(sessions, spec, counts)
    if not chosen:
        raise EmptyQuestionSet()
    async with transaction(sessions) as session:
        standing = await session.scalar(
            select(CoachLink.coach_id)
            .join(User, User.id == CoachLink.coach_id)
            .where(CoachLink.senior_id == senior.id, User.role == Role.COACH, User.is_active.is_(True))
        )
        row = PracticeSession(
            senior_id=senior.id,
            shared_coach_id=standing,
            set_kind=spec.kind,
            role=spec.role if spec.kind == "role" else (spec.posting.family if spec.posting else None),
            posting_id=spec.posting.id if spec.posting else None,
            title=title[:300],
            language=language,
            question_ids=[q.id for q in chosen],
            questions=[_snapshot(q) for q in chosen],
            max_retakes=max_retakes,
            think_seconds=think_seconds,
            current_index=0,
            state=SessionState.OPEN,
        )
        session.add(row)
    log.info(
        "practice session %s started by senior %s (%s, %d questions)",
        row.id,
        senior.id,
        spec.kind,
        len(chosen),
    )
    return row


async def _choose(sessions: Sessions, spec: SetSpec, counts: dict[str, int]) -> list[Question]:
    if spec.kind in ("general", "senior"):
        return bank.least_practised(
            await bank.active_questions(sessions, category=spec.kind), counts, spec.count
        )
    if spec.kind == "role":
        return bank.least_practised(await bank.active_questions(sessions, role=spec.role), counts, spec.count)
    # one posting: an opening question, a senior question, then the role questions of its family
    general = await bank.active_questions(sessions, category="general")
    senior_qs = await bank.active_questions(sessions, category="senior")
    family = spec.posting.family if spec.posting else None
    role_qs = await bank.active_questions(sessions, role=family) if family else []
    n_role = min(len(role_qs), max(0, spec.count - 2))
    picked = (
        bank.least_practised(general[:1], counts, 1)
        + bank.least_practised(senior_qs, counts, 1)
        + bank.least_practised(role_qs, counts, n_role)
    )
    rest = [q for q in general if q not in picked]
    picked += bank.least_practised(rest, counts, max(0, spec.count - len(picked)))
    return picked[: spec.count]


async def _answer_counts(sessions: Sessions, senior_id: int) -> dict[str, int]:
    async with sessions() as session:
        rows = await session.execute(
            select(PracticeTake.question_id, func.count())
            .join(PracticeSession, PracticeSession.id == PracticeTake.session_id)
            .where(PracticeSession.senior_id == senior_id, PracticeTake.state == TakeState.DONE)
            .group_by(PracticeTake.question_id)
        )
        return {qid: int(n) for qid, n in rows.all()}


# --- reading ------------------------------------------------------------------------------------
async def owned_session(sessions: Sessions, user: User, session_id: int) -> PracticeSession:
    """The senior's own session; anything else (missing, another senior's) is 'not found'."""
    async with sessions() as session:
        row = await session.get(PracticeSession, session_id)
    if row is None or row.senior_id != user.id:
        raise PracticeSessionNotFound()
    return row


async def visible_session(sessions: Sessions, user: User, session_id: int) -> PracticeSession:
    """The owner, or the coach the owner shared it with, may read a session."""
    async with sessions() as session:
        row = await session.get(PracticeSession, session_id)
    if row is None:
        raise PracticeSessionNotFound()
    if row.senior_id == user.id or (user.role == Role.COACH and row.shared_coach_id == user.id):
        return row
    raise PracticeSessionNotFound()


async def list_sessions(sessions: Sessions, senior_id: int) -> list[PracticeSession]:
    async with sessions() as session:
        rows = await session.scalars(
            select(PracticeSession)
            .where(PracticeSession.senior_id == senior_id)
            .order_by(PracticeSession.created_at.desc(), PracticeSession.id.desc())
        )
        return list(rows.all())


async def takes_of(sessions: Sessions, session_id: int) -> list[PracticeTake]:
    async with sessions() as session:
        rows = await session.scalars(
            select(PracticeTake)
            .where(PracticeTake.session_id == session_id)
            .order_by(PracticeTake.question_index, PracticeTake.attempt)
        )
        return list(rows.all())


async def takes_by_session(sessions: Sessions, session_ids: Iterable[int]) -> dict[int, list[PracticeTake]]:
    """Every take of these sessions in one query: session id -> takes by question and attempt.

    Each asked id is a key, with an empty list when the session has no takes.
    """
    ids = list(dict.fromkeys(session_ids))
    out: dict[int, list[PracticeTake]] = {sid: [] for sid in ids}
    if not ids:
        return out
    async with sessions() as session:
        rows = await session.scalars(
            select(PracticeTake)
            .where(PracticeTake.session_id.in_(ids))
            .order_by(PracticeTake.session_id, PracticeTake.question_index, PracticeTake.attempt)
        )
        for take in rows:
            out[take.session_id].append(take)
    return out


async def answered_counts(sessions: Sessions, session_ids: Iterable[int]) -> dict[int, int]:
    """Session id -> how many of its questions have a finished (``done``) take; 0 for none."""
    ids = list(dict.fromkeys(session_ids))
    out = dict.fromkeys(ids, 0)
    if not ids:
        return out
    async with sessions() as session:
        rows = await session.execute(
            select(PracticeTake.session_id, func.count(func.distinct(PracticeTake.question_index)))
            .where(PracticeTake.session_id.in_(ids), PracticeTake.state == TakeState.DONE)
            .group_by(PracticeTake.session_id)
        )
        out.update({sid: n for sid, n in rows.all()})
    return out


async def question_views(sessions: Sessions, row: PracticeSession) -> list[QuestionView]:
    views = [QuestionView(i, q) for i, q in enumerate(row.questions)]
    for take in await takes_of(sessions, row.id):
        if 0 <= take.question_index < len(views):
            views[take.question_index].takes.append(take)
    return views


async def get_take(sessions: Sessions, row: PracticeSession, take_id: int) -> PracticeTake:
    async with sessions() as session:
        take = await session.get(PracticeTake, take_id)
    if take is None or take.session_id != row.id:
        raise TakeNotFound()
    return take


# --- recording ----------------------------------------------------------------------------------
async def begin_take(
    sessions: Sessions, storage: Storage, senior: User, session_id: int, index: int, *, video: bool
) -> tuple[PracticeTake, dict[str, Any], str]:
    """Create the take row (state ``recording``) before any audio is kept.

    Returns the take, its question and the language to transcribe in. Refuses a retake beyond
    the session's limit. A take of this session still marked ``recording`` is abandoned: its
    connection is gone (a reload, a restarted server, another node), and the senior is starting
    over (the recorder abandons its own active take before it calls this).
    """
    stale_files: list[str | None] = []
    async with transaction(sessions) as session:
        row = await session.get(PracticeSession, session_id, with_for_update=True)
        if row is None or row.senior_id != senior.id:
            raise PracticeSessionNotFound()
        if not 0 <= index < len(row.questions):
            raise BadQuestionIndex()
        takes = list(
            (
                await session.scalars(
                    select(PracticeTake).where(PracticeTake.session_id == row.id).with_for_update()
                )
            ).all()
        )
        now = utcnow()
        for t in takes:
            if t.state == TakeState.RECORDING:
                log.info("take %s: %s -> %s (a new answer started)", t.id, t.state, TakeState.ABANDONED)
                t.state = TakeState.ABANDONED
                t.ended_at = now
                stale_files += [t.audio_file, t.video_file]
            elif t.state == TakeState.PROCESSING and _lease_lapsed(t, now):
                _repair(t)  # its server stopped while analysing it: the answer is given back
        mine = [t for t in takes if t.question_index == index]
        if sum(1 for t in mine if t.state in COUNTED_TAKE_STATES) >= 1 + row.max_retakes:
            raise NoRetakesLeft()
        used = max((t.attempt for t in mine), default=0)
        audio, video_file = storage.new_take_files(senior.id, row.id, index, used + 1)
        take = PracticeTake(
            session_id=row.id,
            question_index=index,
            question_id=str(row.questions[index]["id"]),
            attempt=used + 1,
            state=TakeState.RECORDING,
            audio_file=audio,
            video_file=video_file if video else None,
            lease_node=NODE_ID,
            lease_until=now + LEASE,
        )
        session.add(take)
        row.current_index = index
        if row.state == SessionState.FINISHED:
            row.state = SessionState.OPEN
            row.finished_at = None
        question, language = dict(row.questions[index]), row.language
    if stale_files:
        await storage.aremove(stale_files)
    log.info("take %s: question %d of session %s, try %d", take.id, index, session_id, take.attempt)
    return take, question, language


async def move_take(sessions: Sessions, take_id: int, new: TakeState, **values: Any) -> PracticeTake | None:
    """Change a take's state if the transition is allowed; returns None when it is not
    (the take was deleted, or another path finished it first)."""
    async with transaction(sessions) as session:
        take = await session.get(PracticeTake, take_id, with_for_update=True)
        if take is None:
            return None
        old = take.state
        if new not in TAKE_TRANSITIONS[old]:
            log.info("take %s: %s -> %s refused", take_id, old, new)
            return None
        take.state = new
        for key, value in values.items():
            setattr(take, key, value)
        if new in (TakeState.PROCESSING, TakeState.ABANDONED) and take.ended_at is None:
            take.ended_at = utcnow()
        if new == TakeState.PROCESSING:
            take.lease_node, take.lease_until = NODE_ID, utcnow() + LEASE
        if new == TakeState.DONE:
            take.feedback_at = utcnow()
    log.info("take %s: %s -> %s", take_id, old, new)
    return take


#: this server process, as named in the leases of the takes it records and analyses
NODE_ID = f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
#: how long a take's lease lasts; the process renews its leases every third of it
#: (:func:`renew_leases`), so a take whose lease ran out belongs to a process that stopped
LEASE = timedelta(seconds=30)
_UNFINISHED = (TakeState.RECORDING, TakeState.PROCESSING)


def _lease_lapsed(take: PracticeTake, now: datetime) -> bool:
    return take.lease_node != NODE_ID and (take.lease_until is None or take.lease_until < now)


def _repair(take: PracticeTake) -> None:
    """An interrupted take: a recording one is abandoned, one being analysed failed."""
    if take.state == TakeState.RECORDING:
        take.state = TakeState.ABANDONED
    else:
        take.state = TakeState.FAILED
        take.error = N_("The server stopped while this answer was being analysed. Please answer again.")
    take.ended_at = take.ended_at or utcnow()
    take.lease_until = None
    log.info("take %s: interrupted (its lease ran out), now %s", take.id, take.state)


async def renew_leases(sessions: Sessions, *, node: str = NODE_ID) -> int:
    """Extend the leases of the unfinished takes this process is working on; returns their number."""
    async with transaction(sessions) as session:
        result = await session.execute(
            update(PracticeTake)
            .where(PracticeTake.lease_node == node, PracticeTake.state.in_(_UNFINISHED))
            .values(lease_until=utcnow() + LEASE)
            .execution_options(synchronize_session=False)
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def recover_interrupted(sessions: Sessions, storage: Storage, *, now: datetime | None = None) -> int:
    """Takes left recording or processing by a server process that stopped are abandoned or failed.

    Run at start-up and then every few seconds: a take whose lease ran out is repaired whatever
    its age; a take whose lease another live process keeps renewing is left alone, and this
    process never repairs its own takes (its recorder finishes them).
    """
    at = now or utcnow()
    async with transaction(sessions) as session:
        stale = list(
            (
                await session.scalars(
                    select(PracticeTake)
                    .where(
                        PracticeTake.state.in_(_UNFINISHED),
                        or_(PracticeTake.lease_until.is_(None), PracticeTake.lease_until < at),
                        or_(PracticeTake.lease_node.is_(None), PracticeTake.lease_node != NODE_ID),
                    )
                    .with_for_update(skip_locked=True)
                )
            ).all()
        )
        for take in stale:
            _repair(take)
    if stale:
        await storage.aremove(
            f for t in stale if t.state == TakeState.ABANDONED for f in (t.audio_file, t.video_file)
        )
        log.warning("marked %d interrupted practice takes", len(stale))
    return len(stale)


async def set_position(sessions: Sessions, senior: User, session_id: int, index: int) -> PracticeSession:
    """Remember where the senior is (``index == len(questions)`` finishes the session)."""
    async with transaction(sessions) as session:
        row = await session.get(PracticeSession, session_id)
        if row is None or row.senior_id != senior.id:
            raise PracticeSessionNotFound()
        if not 0 <= index <= len(row.questions):
            raise BadQuestionIndex()
        if index == len(row.questions):
            row.state = SessionState.FINISHED
            row.finished_at = utcnow()
            row.current_index = len(row.questions) - 1
        else:
            row.current_index = index
    return row


# --- deleting -----------------------------------------------------------------------------------
async def delete_take(
    sessions: Sessions, storage: Storage, senior: User, session_id: int, take_id: int
) -> None:
    async with transaction(sessions) as session:
        row = await session.get(PracticeSession, session_id)
        if row is None or row.senior_id != senior.id:
            raise PracticeSessionNotFound()
        take = await session.get(PracticeTake, take_id)
        if take is None or take.session_id != session_id:
            raise TakeNotFound()
        if take.state not in FINAL_TAKE_STATES and not _lease_lapsed(take, utcnow()):
            raise TakeInProgress()  # still being recorded or analysed by a live server process
        files = (take.audio_file, take.video_file)
        await session.delete(take)
    await storage.aremove(files)
    log.info("take %s of session %s deleted with its files", take_id, session_id)


async def delete_session(sessions: Sessions, storage: Storage, senior: User, session_id: int) -> None:
    row = await owned_session(sessions, senior, session_id)
    takes = await takes_of(sessions, row.id)
    async with transaction(sessions) as session:
        await session.execute(delete(PracticeSession).where(PracticeSession.id == row.id))
    await storage.aremove(
        (f for t in takes for f in (t.audio_file, t.video_file)), storage.session_dir(senior.id, row.id)
    )
    log.info("practice session %s deleted with its files", row.id)


async def delete_everything(sessions: Sessions, storage: Storage, senior: User) -> int:
    """Every session, take, comment and file of this senior; returns the number of sessions."""
    rows = await list_sessions(sessions, senior.id)
    files: list[str | None] = []
    for row in rows:
        files += [f for t in await takes_of(sessions, row.id) for f in (t.audio_file, t.video_file)]
    async with transaction(sessions) as session:
        await session.execute(delete(PracticeSession).where(PracticeSession.senior_id == senior.id))
    await storage.aremove(files, storage.senior_dir(senior.id))
    log.info("senior %s deleted all practice (%d sessions)", senior.id, len(rows))
    return len(rows)


# --- sharing ------------------------------------------------------------------------------------
async def coaches(sessions: Sessions) -> list[User]:
    async with sessions() as session:
        rows = await session.scalars(
            select(User).where(User.role == Role.COACH, User.is_active.is_(True)).order_by(User.name)
        )
        return list(rows.all())


async def share(
    sessions: Sessions, senior: User, session_id: int, coach_id: int | None, *, future: bool = False
) -> None:
    """Share the session with one coach, or stop sharing (``coach_id`` None): the coach's access to
    its pages, answers and recordings ends with this commit. ``future``: every session this senior
    starts from now on is shared with the same coach too (a standing share, see
    :func:`set_standing_coach`)."""
    from interview.practice.errors import CoachNotFound

    if coach_id is not None and coach_id not in {c.id for c in await coaches(sessions)}:
        raise CoachNotFound()
    async with transaction(sessions) as session:
        result = await session.execute(
            update(PracticeSession)
            .where(PracticeSession.id == session_id, PracticeSession.senior_id == senior.id)
            .values(shared_coach_id=coach_id)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise PracticeSessionNotFound()
    if future and coach_id is not None:
        await set_standing_coach(sessions, senior, senior.id, coach_id)
    log.info("practice session %s shared with coach %s by its senior", session_id, coach_id)


async def standing_coach(sessions: Sessions, senior_id: int) -> User | None:
    """The coach every new session of this senior is shared with, if any."""
    async with sessions() as session:
        return await session.scalar(
            select(User)
            .join(CoachLink, CoachLink.coach_id == User.id)
            .where(CoachLink.senior_id == senior_id)
        )


async def set_standing_coach(sessions: Sessions, actor: User, senior_id: int, coach_id: int | None) -> None:
    """Share every future session of the senior with ``coach_id``, or end the standing share (None).

    The senior does it for themselves; an admin assigns (or unassigns) a coach for any senior.
    Ending it also stops sharing every session that is shared with that coach, at once.
    """
    from interview.practice.errors import CoachNotFound

    if actor.id != senior_id and actor.role != Role.ADMIN:
        raise PracticeSessionNotFound()
    if coach_id is not None and coach_id not in {c.id for c in await coaches(sessions)}:
        raise CoachNotFound()
    async with transaction(sessions) as session:
        senior = await session.get(User, senior_id)
        if senior is None or senior.role != Role.SENIOR:
            raise PracticeSessionNotFound()
        link = await session.scalar(select(CoachLink).where(CoachLink.senior_id == senior_id))
        if coach_id is None:
            if link is not None:
                await session.execute(
                    update(PracticeSession)
                    .where(
                        PracticeSession.senior_id == senior_id,
                        PracticeSession.shared_coach_id == link.coach_id,
                    )
                    .values(shared_coach_id=None)
                )
                await session.delete(link)
        elif link is None:
            session.add(CoachLink(senior_id=senior_id, coach_id=coach_id, assigned_by=actor.id))
        else:
            link.coach_id, link.assigned_by = coach_id, actor.id
    log.info("standing coach of senior %s set to %s by user %s", senior_id, coach_id, actor.id)


async def coach_links(sessions: Sessions, admin: User) -> list[tuple[User, User | None]]:
    """For the admin: every active senior with their standing coach (or None), by name."""
    if admin.role != Role.ADMIN:
        raise PracticeSessionNotFound()
    async with sessions() as session:
        seniors = list(
            await session.scalars(
                select(User)
                .where(User.role == Role.SENIOR, User.is_active.is_(True))
                .order_by(User.name, User.id)
            )
        )
        links = {link.senior_id: link.coach_id for link in await session.scalars(select(CoachLink))}
        wanted = set(links.values())
        by_id = (
            {u.id: u for u in await session.scalars(select(User).where(User.id.in_(wanted)))}
            if wanted
            else {}
        )
    return [(s, by_id.get(links[s.id]) if s.id in links else None) for s in seniors]


async def shared_with(sessions: Sessions, coach: User) -> list[tuple[PracticeSession, str]]:
    """Sessions shared with this coach, newest first, with the senior's name."""
    async with sessions() as session:
        rows = await session.execute(
            select(PracticeSession, User.name)
            .join(User, User.id == PracticeSession.senior_id)
            .where(PracticeSession.shared_coach_id == coach.id)
            .order_by(PracticeSession.updated_at.desc())
        )
        return [(r, name) for r, name in rows.all()]


def counting_feedback(views: Sequence[QuestionView]) -> list[dict[str, Any]]:
    """The feedback of each question's counting take (questions not answered are left out)."""
    return [v.counting.feedback for v in views if v.counting is not None and v.counting.feedback]
