"""The tests' polling helper: returns the first truthy value, fails with the message at the deadline."""

import itertools

import pytest

from tests.waiting import wait_until, wait_until_sync


async def test_returns_the_first_truthy_value_of_a_plain_predicate() -> None:
    tries = itertools.count()
    assert await wait_until(lambda: next(tries) >= 3 and "ready", interval=0.001) == "ready"


async def test_awaits_an_async_predicate() -> None:
    tries = itertools.count()

    async def rows() -> list[int]:
        return [1] if next(tries) >= 2 else []

    assert await wait_until(rows, interval=0.001) == [1]


async def test_fails_with_the_message_and_the_last_value() -> None:
    with pytest.raises(AssertionError, match=r"job still queued \(waited 0.05 s; last value 0\)"):
        await wait_until(lambda: 0, within=0.05, message=lambda: "job still queued")


def test_sync_twin() -> None:
    tries = itertools.count()
    assert wait_until_sync(lambda: next(tries) >= 2, interval=0.001) is True
    with pytest.raises(AssertionError, match="never"):
        wait_until_sync(lambda: None, within=0.02, interval=0.001, message="never")
