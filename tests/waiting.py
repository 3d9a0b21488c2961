"""Poll, don't sleep: wait for a condition with a deadline instead of a fixed sleep.

``await wait_until(lambda: recorder.closed, message="recorder still open")`` calls the predicate
(plain or ``async``) every ``interval`` seconds until it returns something truthy, and returns that
value, so a test can wait for a row and use it. After ``within`` seconds it raises AssertionError with
``message`` (a string, or a callable for text that is only worth building on failure, such as a log tail).
``wait_until_sync`` is the same for code that is not async: subprocesses, Playwright's sync API.
"""

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, overload

T = TypeVar("T")

Message = str | Callable[[], str]


def _text(message: Message, within: float, last: object) -> str:
    text = message() if callable(message) else message
    return f"{text} (waited {within:g} s; last value {last!r})"


@overload
async def wait_until(
    predicate: Callable[[], Awaitable[T | None]],
    *,
    within: float = ...,
    interval: float = ...,
    message: Message = ...,
) -> T: ...


@overload
async def wait_until(
    predicate: Callable[[], T | None],
    *,
    within: float = ...,
    interval: float = ...,
    message: Message = ...,
) -> T: ...


async def wait_until(
    predicate: Callable[[], object],
    *,
    within: float = 10.0,
    interval: float = 0.02,
    message: Message = "condition not met in time",
) -> object:
    """The predicate's first truthy value; AssertionError with ``message`` after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        value = predicate()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(_text(message, within, value))
        await asyncio.sleep(interval)


def wait_until_sync(
    predicate: Callable[[], T | None],
    *,
    within: float = 10.0,
    interval: float = 0.05,
    message: Message = "condition not met in time",
) -> T:
    """``wait_until`` for code outside an event loop: blocks the calling thread between tries."""
    deadline = time.monotonic() + within
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(_text(message, within, value))
        time.sleep(interval)
