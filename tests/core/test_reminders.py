"""Reminders (core.reminders) on SQLite and PostgreSQL: schedule, move, cancel, deliver once."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from core.config import Settings
from core.db import Sessions, create_engine, session_factory, transaction
from core.reminders import (
    LEASE_OUT_ERROR,
    Handler,
    ReminderRunner,
    ReminderState,
    Scheduled,
    cancel,
    get_reminder,
    run_due,
    schedule,
)
from tests.waiting import wait_until
from web import app as app_module
from web.cli import main
from web.resources import add_reminder_handler

T0 = datetime(2026, 12, 3, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
KIND = "test.reminder"


def recorder() -> tuple[list[dict[str, Any]], Handler]:
    delivered: list[dict[str, Any]] = []

    async def handler(payload: dict[str, Any]) -> None:
        delivered.append(payload)

    return delivered, handler


async def put(
    sessions: Sessions, key: str, due_at: datetime, payload: dict[str, Any] | None = None
) -> Scheduled:
    async with transaction(sessions) as session:
        return await schedule(session, key=key, kind=KIND, due_at=due_at, payload=payload or {"key": key})


async def state_of(sessions: Sessions, key: str) -> ReminderState:
    reminder = await get_reminder(sessions, key)
    assert reminder is not None
    return reminder.state


async def test_schedule_move_and_cancel(sessions: Sessions) -> None:
    assert await put(sessions, "booking:1:day", T0, {"room": 1}) is Scheduled.CREATED
    assert await put(sessions, "booking:1:day", T0 + timedelta(hours=2), {"room": 2}) is Scheduled.MOVED
    reminder = await get_reminder(sessions, "booking:1:day")
    assert reminder is not None
    assert (reminder.due_at, reminder.payload, reminder.state) == (
        T0 + timedelta(hours=2),
        {"room": 2},
        ReminderState.PENDING,
    )

    await put(sessions, "booking:1:hour", T0)
    await put(sessions, "booking:10:hour", T0)  # "booking:1" is not its prefix with the colon
    async with transaction(sessions) as session:
        assert await cancel(session, prefix="booking:1:") == 2
    assert await state_of(sessions, "booking:1:day") is ReminderState.CANCELLED
    assert await state_of(sessions, "booking:10:hour") is ReminderState.PENDING

    delivered, handler = recorder()
    report = await run_due(sessions, now=T0 + timedelta(days=1), handlers={KIND: handler}, worker="w")
    assert [p["key"] for p in delivered] == ["booking:10:hour"]
    assert report.sent == 1

    # a cancelled key scheduled again is pending again; a sent one is never scheduled again
    assert await put(sessions, "booking:1:day", T0) is Scheduled.MOVED
    assert await state_of(sessions, "booking:1:day") is ReminderState.PENDING
    assert await put(sessions, "booking:10:hour", T0 + timedelta(days=5)) is Scheduled.ALREADY_SENT
    async with transaction(sessions) as session:
        assert await cancel(session, key="booking:10:hour") == 0
    assert await state_of(sessions, "booking:10:hour") is ReminderState.SENT


async def test_schedule_rolls_back_with_the_callers_transaction(sessions: Sessions) -> None:
    with pytest.raises(RuntimeError, match="booking failed"):
        async with transaction(sessions) as session:
            await schedule(session, key="booking:2:day", kind=KIND, due_at=T0, payload={})
            raise RuntimeError("booking failed")
    assert await get_reminder(sessions, "booking:2:day") is None


async def test_only_due_reminders_go_and_each_once(sessions: Sessions) -> None:
    await put(sessions, "a", T0)
    await put(sessions, "b", T0 + timedelta(hours=1))
    await put(sessions, "other-kind", T0)
    async with transaction(sessions) as session:
        await schedule(session, key="no-handler", kind="nobody.handles", due_at=T0, payload={})
    delivered, handler = recorder()
    handlers = {KIND: handler}

    early = await run_due(sessions, now=T0 - timedelta(seconds=1), handlers=handlers, worker="w")
    assert (early.claimed, delivered) == (0, [])

    at_t0 = await run_due(sessions, now=T0, handlers=handlers, worker="w")
    assert sorted(p["key"] for p in delivered) == ["a", "other-kind"]
    assert (at_t0.claimed, at_t0.sent) == (2, 2)
    sent = await get_reminder(sessions, "a")
    assert sent is not None and sent.sent_at == T0 and sent.attempts == 1

    later = await run_due(sessions, now=T0 + timedelta(hours=1), handlers=handlers, worker="w")
    again = await run_due(sessions, now=T0 + timedelta(days=9), handlers=handlers, worker="w")
    assert (later.sent, again.sent) == (1, 0)
    assert Counter(p["key"] for p in delivered) == {"a": 1, "b": 1, "other-kind": 1}
    # a kind no handler here knows stays pending for a process that has one
    assert await state_of(sessions, "no-handler") is ReminderState.PENDING


async def test_a_failing_handler_is_retried_with_backoff_then_failed(sessions: Sessions) -> None:
    await put(sessions, "flaky", T0)
    await put(sessions, "broken", T0)
    calls: Counter[str] = Counter()

    async def handler(payload: dict[str, Any]) -> None:
        calls[payload["key"]] += 1
        if payload["key"] == "broken" or calls["flaky"] < 2:
            raise ConnectionError("smtp refused")

    async def run(at: datetime) -> dict[str, int]:
        report = await run_due(
            sessions,
            now=at,
            handlers={KIND: handler},
            worker="w",
            max_attempts=3,
            retry_after=timedelta(minutes=1),
        )
        return {k: v for k, v in report.as_dict().items() if v}

    assert await run(T0) == {"claimed": 2, "retried": 2}
    broken = await get_reminder(sessions, "broken")
    assert broken is not None
    assert (broken.state, broken.due_at, broken.attempts) == (
        ReminderState.PENDING,
        T0 + timedelta(minutes=1),
        1,
    )
    assert broken.last_error == "ConnectionError: smtp refused"

    assert await run(T0 + timedelta(seconds=59)) == {}  # not yet: the first wait is a minute
    assert await run(T0 + timedelta(minutes=1)) == {"claimed": 2, "sent": 1, "retried": 1}  # then 2 minutes
    assert await run(T0 + timedelta(minutes=2)) == {}
    assert await run(T0 + timedelta(minutes=3)) == {"claimed": 1, "failed": 1}  # the third try was the last
    assert await run(T0 + timedelta(days=1)) == {}

    assert calls == {"flaky": 2, "broken": 3}
    assert await state_of(sessions, "flaky") is ReminderState.SENT
    broken = await get_reminder(sessions, "broken")
    assert broken is not None
    assert (broken.state, broken.attempts) == (ReminderState.FAILED, 3)
    assert broken.last_error is not None and "smtp refused" in broken.last_error


async def test_a_claim_whose_worker_died_is_failed_not_sent_again(sessions: Sessions) -> None:
    """At most once: the process died between claim and sent, so nobody knows whether it went out."""
    await put(sessions, "orphan", T0)
    started = asyncio.Event()
    calls = 0

    async def hangs(payload: dict[str, Any]) -> None:
        nonlocal calls
        calls += 1
        started.set()
        await asyncio.Event().wait()

    dying = asyncio.create_task(run_due(sessions, now=T0, handlers={KIND: hangs}, worker="dead"))
    await asyncio.wait_for(started.wait(), 10)
    dying.cancel()  # the process stops with the handler in flight
    await asyncio.gather(dying, return_exceptions=True)
    assert await state_of(sessions, "orphan") is ReminderState.DELIVERING

    delivered, handler = recorder()
    lease = timedelta(minutes=10)
    within = await run_due(sessions, now=T0 + lease, handlers={KIND: handler}, worker="w", lease=lease)
    assert within.expired == 0
    after = await run_due(
        sessions, now=T0 + lease + timedelta(seconds=1), handlers={KIND: handler}, worker="w"
    )
    assert (after.expired, delivered, calls) == (1, [], 1)
    orphan = await get_reminder(sessions, "orphan")
    assert orphan is not None
    assert (orphan.state, orphan.last_error, orphan.claimed_by) == (
        ReminderState.FAILED,
        LEASE_OUT_ERROR,
        "dead",
    )
    # an admin (or the feature) may schedule it again on purpose
    assert await put(sessions, "orphan", T0 + timedelta(hours=1)) is Scheduled.MOVED


async def test_a_handler_past_its_timeout_is_failed_not_retried(sessions: Sessions) -> None:
    await put(sessions, "slow", T0)

    async def slow(payload: dict[str, Any]) -> None:
        await asyncio.sleep(30)  # waits out handler_timeout

    report = await run_due(sessions, now=T0, handlers={KIND: slow}, worker="w", handler_timeout=0.05)
    assert report.failed == 1
    slow_one = await get_reminder(sessions, "slow")
    assert slow_one is not None and slow_one.state is ReminderState.FAILED
    assert slow_one.last_error is not None and "may have gone out" in slow_one.last_error


async def test_two_processes_deliver_each_reminder_exactly_once(database_url: str) -> None:
    """Two engines on one database, like two server processes, race over the same due reminders."""
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        first, second = (session_factory(engine) for engine in engines)
        calls: Counter[str] = Counter()

        async def handler(payload: dict[str, Any]) -> None:
            calls[payload["key"]] += 1
            await asyncio.sleep(0)  # let the other process's claim interleave with this delivery

        keys: list[str] = []
        for round_ in range(3):
            async with transaction(first) as session:
                for i in range(40):
                    key = f"booking:{round_}:{i}"
                    keys.append(key)
                    await schedule(
                        session,
                        key=key,
                        kind=KIND,
                        due_at=T0 + timedelta(minutes=round_),
                        payload={"key": key},
                    )
            now = T0 + timedelta(minutes=round_)
            while True:
                reports = await asyncio.gather(
                    *(
                        run_due(factory, now=now, handlers={KIND: handler}, worker=f"p{n}", limit=7)
                        for n, factory in enumerate((first, second, first, second))
                    )
                )
                if not any(report.claimed for report in reports):
                    break
        assert calls == Counter(keys), "a reminder was delivered twice or not at all"
        assert sum(calls.values()) == 120
        for key in keys[::17]:
            assert await state_of(second, key) is ReminderState.SENT
    finally:
        for engine in engines:
            await engine.dispose()


async def test_runner_runs_on_its_clock_until_closed(sessions: Sessions) -> None:
    await put(sessions, "tick", T0)
    now = T0 - timedelta(minutes=1)
    delivered, handler = recorder()
    runner = ReminderRunner(sessions, {KIND: handler}, interval=0.02, clock=lambda: now)
    await runner.start()
    try:
        assert (await runner.run_once()).claimed == 0
        now = T0  # the clock moves: the next run finds it due
        await wait_until(lambda: delivered, message="the runner never delivered the due reminder")
    finally:
        await runner.close()
    assert delivered == [{"key": "tick"}]


def test_cli_runs_due_reminders_once_at_the_given_time(
    database_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``allwork reminders run --now`` is the controllable clock: the features' handlers, the given time."""
    delivered, handler = recorder()

    def feature(app: web.Application, settings: Settings) -> None:
        add_reminder_handler(app, KIND, handler)

    monkeypatch.setattr(app_module, "FEATURES", (*app_module.FEATURES, feature))
    monkeypatch.setenv("ALLWORK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ALLWORK_DATABASE_URL", database_url)

    async def scheduled() -> None:
        engine = create_engine(database_url)
        try:
            await put(session_factory(engine), "booking:7:hour", T0, {"room": 7})
        finally:
            await engine.dispose()

    asyncio.run(scheduled())

    def run(now: str) -> dict[str, Any]:
        assert main(["reminders", "run", "--now", now, "--json"]) == 0
        out: dict[str, Any] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        return out

    assert run("2026-12-03T08:59+09:00")["sent"] == 0
    assert run("2026-12-03T09:00+09:00") == {
        "now": "2026-12-03T09:00:00+09:00",
        "claimed": 1,
        "sent": 1,
        "retried": 0,
        "failed": 0,
        "expired": 0,
    }
    assert run("2026-12-04T09:00+09:00")["sent"] == 0
    assert delivered == [{"room": 7}]

    with pytest.raises(SystemExit):
        main(["reminders", "run", "--now", "2026-12-03T09:00"])  # no offset: refused
    assert "no offset" in capsys.readouterr().err
