"""The login throttle under concurrency and as a weapon (issue 15, defects 1 and 2), SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import create_user, login, validate_account
from core.errors import LoginFailed, TooManyAttempts
from core.throttle import WIDE_FACTOR, LoginThrottle, wait_seconds

Sessions = async_sessionmaker[AsyncSession]


async def _outcomes(tries: list) -> dict[str, int]:
    results = await asyncio.gather(*tries, return_exceptions=True)
    counts: dict[str, int] = {}
    for result in results:
        name = type(result).__name__
        counts[name] = counts.get(name, 0) + 1
    return counts


async def _kim(sessions: Sessions) -> None:
    await create_user(sessions, validate_account("kim@example.com", "김영수", "correct horse", "senior"))


def test_waits_grow_from_the_limit() -> None:
    assert [wait_seconds(n, 5) for n in (1, 4, 5, 6, 7)] == [0, 0, 30, 60, 120]
    assert wait_seconds(100, 5) == 900


async def test_fifty_parallel_wrong_logins_get_exactly_the_limit(sessions: Sessions) -> None:
    await _kim(sessions)
    tries = [
        login(sessions, "kim@example.com", "wrong", address="10.0.0.1", max_failures=5) for _ in range(50)
    ]
    counts = await _outcomes(tries)
    # five passwords were checked; every other try waited; nothing else (no IntegrityError, no 500)
    assert counts == {"LoginFailed": 5, "TooManyAttempts": 45}


async def test_fifty_parallel_wrong_logins_from_fifty_addresses_get_the_account_limit(
    sessions: Sessions,
) -> None:
    await _kim(sessions)
    tries = [
        login(sessions, "kim@example.com", "wrong", address=f"10.0.1.{i}", max_failures=5) for i in range(50)
    ]
    counts = await _outcomes(tries)
    assert counts == {"LoginFailed": 5 * WIDE_FACTOR, "TooManyAttempts": 50 - 5 * WIDE_FACTOR}


async def test_mistakes_at_one_address_do_not_lock_other_accounts_there(sessions: Sessions) -> None:
    await _kim(sessions)
    for i in range(3):  # three people at one office each mistype three times
        for _ in range(3):
            with pytest.raises(LoginFailed):
                await login(sessions, f"user{i}@example.com", "nope", address="10.2.0.1", max_failures=3)
    user = await login(sessions, "kim@example.com", "correct horse", address="10.2.0.1", max_failures=3)
    assert user.email == "kim@example.com"


async def test_many_accounts_from_one_address_are_slowed(sessions: Sessions) -> None:
    for i in range(3 * WIDE_FACTOR):
        with pytest.raises(LoginFailed):
            await login(sessions, f"user{i}@example.com", "nope", address="10.3.0.1", max_failures=3)
    with pytest.raises(TooManyAttempts):
        await login(sessions, "other@example.com", "nope", address="10.3.0.1", max_failures=3)


async def test_a_guesser_at_one_address_does_not_lock_the_owner_out(sessions: Sessions) -> None:
    await _kim(sessions)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            await login(sessions, "kim@example.com", "guess", address="10.4.0.66", max_failures=3)
    with pytest.raises(TooManyAttempts):  # the guesser waits, even with the right password
        await login(sessions, "kim@example.com", "correct horse", address="10.4.0.66", max_failures=3)
    user = await login(sessions, "kim@example.com", "correct horse", address="10.4.0.1", max_failures=3)
    assert user.email == "kim@example.com"


async def test_guesses_from_many_addresses_hold_back_strangers_but_not_the_owners_browser(
    sessions: Sessions,
) -> None:
    await _kim(sessions)
    for i in range(3 * WIDE_FACTOR):
        with pytest.raises(LoginFailed):
            await login(sessions, "kim@example.com", "guess", address=f"10.5.0.{i}", max_failures=3)
    with pytest.raises(TooManyAttempts):  # a new browser waits
        await login(sessions, "kim@example.com", "correct horse", address="10.5.1.1", max_failures=3)
    user = await login(
        sessions, "kim@example.com", "correct horse", address="10.5.1.2", max_failures=3, known_device=True
    )
    assert user.email == "kim@example.com"


async def test_a_correct_password_starts_the_pair_afresh(sessions: Sessions) -> None:
    await _kim(sessions)
    for _ in range(2):
        with pytest.raises(LoginFailed):
            await login(sessions, "kim@example.com", "typo", address="10.6.0.1", max_failures=3)
    await login(sessions, "kim@example.com", "correct horse", address="10.6.0.1", max_failures=3)
    async with sessions() as session:
        rows = {r.key: r.failures for r in await session.scalars(select(LoginThrottle))}
    assert "pair:kim@example.com|10.6.0.1" not in rows
    assert rows["email:kim@example.com"] == 2 and rows["ip:10.6.0.1"] == 2  # the right try was given back
