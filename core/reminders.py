"""Messages due at a time (interview reminders a day and an hour before …): a row per message.

A feature *schedules* a reminder under a key of its own (``booking:12:day``) inside its own
transaction, moves it by scheduling the same key again, and cancels it; every server process
runs :func:`run_due` now and then (:class:`ReminderRunner`), which delivers what is due through
the handler registered for the reminder's ``kind``.

Delivery is **at most once**: a reminder is claimed by one conditional ``UPDATE`` (``pending ->
delivering``, rows locked by another process are skipped on PostgreSQL, SQLite serialises
writers), so two processes running at the same moment never both deliver it; it is marked sent
after its handler returns. A handler raises only when nothing went out (the SMTP server refused
the message …): the reminder is then tried again later, with a growing wait, up to
``max_attempts`` times, then ``failed``. What cannot be known is never tried again: a handler
that outlived its timeout, or a process that died between claim and ``sent`` (its claim runs out
after ``lease``), leaves the reminder ``failed`` with a reason an admin can read, not sent a
second time. If that process did deliver and comes back before anyone moved the reminder, it
still records ``failed -> sent``.

A sent reminder is never sent again: scheduling its key again changes nothing and says so
(:attr:`Scheduled.ALREADY_SENT`). A feature that wants a new reminder after a change that
happened once the first went out (an interview moved after its day-before reminder) names the
change in the key (``booking:12:seq3:day``).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Enum, Index, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.db import Base, DbSession, Sessions, UTCDateTime, transaction

log = logging.getLogger(__name__)

#: delivers one reminder's payload; raise only when nothing was sent (it is then tried again)
Handler = Callable[[dict[str, Any]], Awaitable[None]]


class ReminderState(enum.StrEnum):
    PENDING = "pending"
    DELIVERING = "delivering"  # claimed by one worker, its handler running
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: allowed transitions. delivering -> pending is a retry after a handler error; failed and
#: cancelled -> pending a reminder scheduled again; failed -> sent the late word of a worker whose
#: claim ran out while it delivered
TRANSITIONS: dict[ReminderState, frozenset[ReminderState]] = {
    ReminderState.PENDING: frozenset({ReminderState.DELIVERING, ReminderState.CANCELLED}),
    ReminderState.DELIVERING: frozenset({ReminderState.SENT, ReminderState.PENDING, ReminderState.FAILED}),
    ReminderState.FAILED: frozenset({ReminderState.PENDING, ReminderState.SENT}),
    ReminderState.CANCELLED: frozenset({ReminderState.PENDING}),
    ReminderState.SENT: frozenset(),
}


class Reminder(Base):
    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[ReminderState] = mapped_column(
        Enum(
            ReminderState,
            name="reminder_state",
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_reminders_state_due_at", "state", "due_at"),)


class InvalidTransition(RuntimeError):
    def __init__(self, key: str, old: ReminderState, new: ReminderState) -> None:
        super().__init__(f"reminder {key}: {old} -> {new} is not allowed")


def _changed(key: str, old: ReminderState, new: ReminderState, detail: str = "") -> None:
    if new not in TRANSITIONS[old]:
        raise InvalidTransition(key, old, new)
    log.info("reminder %s: %s -> %s%s", key, old, new, f" ({detail})" if detail else "")


# --- scheduling (inside the caller's transaction) ------------------------------------------------
class Scheduled(enum.StrEnum):
    """What :func:`schedule` did."""

    CREATED = "created"
    MOVED = "moved"  # the key existed (pending, failed or cancelled): new time and payload, pending
    ALREADY_SENT = "already_sent"  # nothing scheduled: this key went out already
    IN_FLIGHT = "in_flight"  # nothing scheduled: this key is being delivered right now


async def schedule(
    session: DbSession, *, key: str, kind: str, due_at: datetime, payload: Mapping[str, Any]
) -> Scheduled:
    """Have ``payload`` delivered to ``kind``'s handler at ``due_at``, once, under ``key``.

    Call it inside the caller's unit of work (``async with transaction(sessions) as session``):
    the reminder exists if and only if that transaction commits. Scheduling a key again moves
    it (new time and payload, pending again) unless it was sent or is being sent.
    """
    if due_at.tzinfo is None:
        raise ValueError("schedule(): due_at must be timezone-aware")
    if not 0 < len(key) <= 200 or not 0 < len(kind) <= 100:
        raise ValueError("schedule(): key (1-200 characters) and kind (1-100) are required")
    values = {"key": key, "kind": kind, "payload": dict(payload), "due_at": due_at}
    insert = _dialect_insert(session)
    created = await session.execute(
        insert(Reminder)
        .values(**values, state=ReminderState.PENDING, attempts=0, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["key"])
    )
    if created.rowcount:  # type: ignore[attr-defined]
        log.info("reminder %s: new -> pending (due %s)", key, due_at.isoformat())
        return Scheduled.CREATED
    for _ in range(5):  # the row's state may change under us (claimed, retried): read it again
        old = await session.scalar(select(Reminder.state).where(Reminder.key == key))
        if old is None:
            raise RuntimeError(f"reminder {key}: neither inserted nor found")
        if old is ReminderState.SENT:
            log.info("reminder %s: sent already; not scheduled again", key)
            return Scheduled.ALREADY_SENT
        if old is ReminderState.DELIVERING:
            log.info("reminder %s: being delivered; not scheduled again", key)
            return Scheduled.IN_FLIGHT
        moved = await session.execute(
            update(Reminder)
            .where(Reminder.key == key, Reminder.state == old)
            .values(
                **values,
                state=ReminderState.PENDING,
                attempts=0,
                last_error=None,
                claimed_by=None,
                claimed_until=None,
                sent_at=None,
            )
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount:  # type: ignore[attr-defined]
            if old is ReminderState.PENDING:
                log.info("reminder %s: pending, moved to %s", key, due_at.isoformat())
            else:
                _changed(key, old, ReminderState.PENDING, f"scheduled again for {due_at.isoformat()}")
            return Scheduled.MOVED
    raise RuntimeError(f"reminder {key}: its state kept changing while it was scheduled")


async def cancel(session: DbSession, *, key: str | None = None, prefix: str | None = None) -> int:
    """Cancel the pending reminder ``key``, or every pending one whose key starts with ``prefix``.

    Inside the caller's transaction; returns how many were cancelled. One being delivered right
    now cannot be stopped; sent and failed ones stay as they are.
    """
    if (key is None) == (prefix is None) or not (key or prefix):
        raise ValueError("cancel(): give key or prefix, not both")
    which = Reminder.key == key if key is not None else Reminder.key.startswith(prefix or "", autoescape=True)
    keys = await session.scalars(
        update(Reminder)
        .where(which, Reminder.state == ReminderState.PENDING)
        .values(state=ReminderState.CANCELLED)
        .returning(Reminder.key)
        .execution_options(synchronize_session=False)
    )
    cancelled = list(keys)
    for k in cancelled:
        _changed(k, ReminderState.PENDING, ReminderState.CANCELLED)
    return len(cancelled)


async def get_reminder(sessions: Sessions, key: str) -> Reminder | None:
    """The reminder under ``key`` as it is now (for admin pages and tests)."""
    async with sessions() as session:
        return await session.scalar(select(Reminder).where(Reminder.key == key))


def _dialect_insert(session: DbSession) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` is spelled alike on both, but lives in each dialect."""
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


# --- delivery ----------------------------------------------------------------------------------
@dataclass
class RunReport:
    """What one :func:`run_due` did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0  # a handler raised: pending again, for a later try
    failed: int = 0  # out of attempts, or a handler that outlived its timeout
    expired: int = 0  # claims that ran out (a worker died while delivering): failed, not retried

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


NOT_AGAIN = "not tried again because it may have gone out"
LEASE_OUT_ERROR = (
    f"the worker that claimed it stopped before recording it as sent (its claim ran out); {NOT_AGAIN}"
)


def worker_name(role: str = "server") -> str:
    """A name no other process uses at the same time: role, host, process id and a random tag."""
    return f"{role}:{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"[:200]


async def run_due(
    sessions: Sessions,
    *,
    now: datetime,
    handlers: Mapping[str, Handler],
    worker: str,
    limit: int = 50,
    lease: timedelta = timedelta(minutes=10),
    handler_timeout: float = 60.0,
    max_attempts: int = 5,
    retry_after: timedelta = timedelta(minutes=1),
    concurrency: int = 10,
) -> RunReport:
    """Deliver, once, up to ``limit`` reminders due at ``now`` whose kind has a handler.

    ``now`` is the one clock of the run: what is due, when claims run out, when to retry
    (the server passes ``core.clock.utcnow()``; tests and ``allwork reminders run --now`` pass
    another). Claims of dead workers that ran out by ``now`` become ``failed`` first. Reminders
    of a kind with no handler here stay pending. A handler gets ``handler_timeout`` seconds; a handler
    error is retried after ``retry_after`` × 2^(attempt−1) (at most an hour), ``max_attempts``
    tries in all.
    """
    if now.tzinfo is None:
        raise ValueError("run_due(): now must be timezone-aware")
    report = RunReport(expired=await _expire_claims(sessions, now))
    if not handlers or limit < 1:
        return report
    claimed = await _claim(sessions, now=now, kinds=list(handlers), worker=worker, limit=limit, lease=lease)
    report.claimed = len(claimed)
    gate = asyncio.Semaphore(concurrency)

    async def deliver(row: _Claimed) -> None:
        async with gate:
            outcome = await _deliver(
                sessions,
                row,
                handlers[row.kind],
                now=now,
                worker=worker,
                handler_timeout=handler_timeout,
                max_attempts=max_attempts,
                retry_after=retry_after,
            )
        setattr(report, outcome, getattr(report, outcome) + 1)

    await asyncio.gather(*(deliver(row) for row in claimed))
    if report.claimed or report.expired:
        log.info("reminders due by %s (%s): %s", now.isoformat(), worker, report.as_dict())
    return report


@dataclass(frozen=True)
class _Claimed:
    id: int
    key: str
    kind: str
    payload: dict[str, Any]
    attempts: int


async def _expire_claims(sessions: Sessions, now: datetime) -> int:
    r = Reminder
    async with transaction(sessions) as session:
        keys = list(
            await session.scalars(
                update(r)
                .where(r.state == ReminderState.DELIVERING, r.claimed_until < now)
                .values(state=ReminderState.FAILED, last_error=LEASE_OUT_ERROR)
                .returning(r.key)
                .execution_options(synchronize_session=False)
            )
        )
    for key in keys:
        _changed(key, ReminderState.DELIVERING, ReminderState.FAILED, "its claim ran out")
    return len(keys)


async def _claim(
    sessions: Sessions, *, now: datetime, kinds: list[str], worker: str, limit: int, lease: timedelta
) -> list[_Claimed]:
    """One statement: pending and due -> delivering for this worker. ``FOR UPDATE SKIP LOCKED``
    lets PostgreSQL workers pass over rows another worker is claiming (SQLite drops the clause
    and runs one writer at a time); ``state = 'pending'`` in the UPDATE itself makes the claim
    safe either way."""
    r = Reminder
    due = (
        select(r.id)
        .where(r.state == ReminderState.PENDING, r.due_at <= now, r.kind.in_(kinds))
        .order_by(r.due_at, r.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    async with transaction(sessions) as session:
        rows = (
            await session.execute(
                update(r)
                .where(r.id.in_(due.scalar_subquery()), r.state == ReminderState.PENDING)
                .values(
                    state=ReminderState.DELIVERING,
                    claimed_by=worker,
                    claimed_until=now + lease,
                    attempts=r.attempts + 1,
                )
                .returning(r.id, r.key, r.kind, r.payload, r.attempts)
                .execution_options(synchronize_session=False)
            )
        ).all()
    claimed = [_Claimed(row.id, row.key, row.kind, dict(row.payload or {}), row.attempts) for row in rows]
    for c in sorted(claimed, key=lambda c: c.id):
        _changed(c.key, ReminderState.PENDING, ReminderState.DELIVERING, f"{worker}, attempt {c.attempts}")
    return claimed


async def _deliver(
    sessions: Sessions,
    row: _Claimed,
    handler: Handler,
    *,
    now: datetime,
    worker: str,
    handler_timeout: float,
    max_attempts: int,
    retry_after: timedelta,
) -> str:
    """Run the handler and record the outcome; returns the :class:`RunReport` field to count."""
    try:
        async with asyncio.timeout(handler_timeout) as deadline:
            await handler(dict(row.payload))
    except TimeoutError as exc:
        if deadline.expired():
            error = f"the handler took longer than {handler_timeout:g} s; {NOT_AGAIN}"
            await _settle(sessions, row, worker, ReminderState.FAILED, last_error=error)
            return "failed"
        return await _retry(sessions, row, worker, exc, now=now, max_attempts=max_attempts, after=retry_after)
    except Exception as exc:
        return await _retry(sessions, row, worker, exc, now=now, max_attempts=max_attempts, after=retry_after)
    if await _settle(sessions, row, worker, ReminderState.SENT, sent_at=now):
        return "sent"
    if await _settle(sessions, row, worker, ReminderState.SENT, old=ReminderState.FAILED, sent_at=now):
        return "sent"  # our claim had run out and another worker marked it failed: it did go out
    log.warning("reminder %s: delivered by %s, but it was scheduled again meanwhile", row.key, worker)
    return "sent"


async def _retry(
    sessions: Sessions,
    row: _Claimed,
    worker: str,
    exc: BaseException,
    *,
    now: datetime,
    max_attempts: int,
    after: timedelta,
) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    log.warning("reminder %s: attempt %d failed: %s", row.key, row.attempts, error)
    if row.attempts >= max_attempts:
        await _settle(
            sessions, row, worker, ReminderState.FAILED, last_error=f"{error} (attempt {row.attempts})"
        )
        return "failed"
    wait = min(after * 2 ** (row.attempts - 1), timedelta(hours=1))
    await _settle(
        sessions, row, worker, ReminderState.PENDING, last_error=error, due_at=now + wait, claimed_by=None
    )
    return "retried"


async def _settle(
    sessions: Sessions,
    row: _Claimed,
    worker: str,
    new: ReminderState,
    *,
    old: ReminderState = ReminderState.DELIVERING,
    **values: Any,
) -> bool:
    """``old -> new`` if the claim is still this worker's (same worker, same attempt)."""
    r = Reminder
    async with transaction(sessions) as session:
        res = await session.execute(
            update(r)
            .where(r.id == row.id, r.state == old, r.claimed_by == worker, r.attempts == row.attempts)
            .values(state=new, claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )
    if not res.rowcount:  # type: ignore[attr-defined]
        return False
    _changed(row.key, old, new, str(values.get("last_error") or ""))
    return True


# --- the loop each server process runs -----------------------------------------------------------
class ReminderRunner:
    """Runs :func:`run_due` every ``interval`` seconds with ``clock()`` until closed.

    At once again when a run took a full batch. ``close()`` lets a run in progress finish
    (``grace`` seconds) before cancelling it.
    """

    def __init__(
        self,
        sessions: Sessions,
        handlers: Mapping[str, Handler],
        *,
        interval: float,
        worker: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        limit: int = 50,
        grace: float = 5.0,
    ) -> None:
        self.sessions = sessions
        self.handlers = handlers
        self.interval = interval
        self.worker = worker or worker_name()
        self.clock = clock
        self.limit = limit
        self.grace = grace
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> RunReport:
        return await run_due(
            self.sessions, now=self.clock(), handlers=self.handlers, worker=self.worker, limit=self.limit
        )

    async def start(self) -> None:
        if self._task is None:
            self._stop.clear()
            self._task = asyncio.create_task(self._loop(), name="reminders")

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._stop.set()
        done, _ = await asyncio.wait({task}, timeout=self.grace)
        if not done:
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def _loop(self) -> None:
        while not self._stop.is_set():
            full = False
            try:
                report = await self.run_once()
                full = report.claimed >= self.limit
            except Exception:
                log.exception("reminders: the run failed; trying again in %g s", self.interval)
            if full:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.interval)
