"""Logging in through the web: parallel tries, the client's address behind a proxy, known browsers
(issue 15, defects 1 and 2)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

import pytest

from core.config import Settings
from core.throttle import WIDE_FACTOR
from tests.web.conftest import Client, csrf_of
from web.app import create_app

MakeClient = Callable[..., Awaitable[Client]]


async def _try(client: Client, token: str, password: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response = await client.post(
        "/login",
        data={"email": "kim@example.com", "password": password, "csrf_token": token},
        headers=headers,
        allow_redirects=False,
    )
    await response.read()
    return response.status


async def test_fifty_parallel_wrong_logins_get_the_limit_and_no_500(
    client: Client, make_user: Callable[..., Awaitable[int]], app_settings: Settings
) -> None:
    await make_user("kim@example.com", "senior")
    token = await csrf_of(client)
    statuses = Counter(await asyncio.gather(*(_try(client, token, "wrong-wrong") for _ in range(50))))
    assert statuses == {401: app_settings.login_max_failures, 429: 50 - app_settings.login_max_failures}


@pytest.fixture
async def behind_proxy(aiohttp_client: MakeClient, app_settings: Settings) -> Client:
    """The app as it runs behind a load balancer at 127.0.0.1 (ALLWORK_TRUSTED_PROXIES)."""
    return await aiohttp_client(
        create_app(app_settings.model_copy(update={"trusted_proxies": "127.0.0.0/8"}))
    )


async def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(
    behind_proxy: Client, make_user: Callable[..., Awaitable[int]]
) -> None:
    await make_user("kim@example.com", "senior")
    token = await csrf_of(behind_proxy)
    for _ in range(3):
        assert await _try(behind_proxy, token, "guess", "203.0.113.66") == 401
    assert await _try(behind_proxy, token, "password-123", "203.0.113.66") == 429
    # the owner, at another address behind the same proxy, gets in
    assert await _try(behind_proxy, token, "password-123", "198.51.100.7, 203.0.113.66, 127.0.0.1") == 429
    assert await _try(behind_proxy, token, "password-123", "198.51.100.7") == 303


async def test_without_trusted_proxies_a_forwarded_header_changes_nothing(
    client: Client, make_user: Callable[..., Awaitable[int]]
) -> None:
    await make_user("kim@example.com", "senior")
    token = await csrf_of(client)
    for i in range(3):
        assert await _try(client, token, "guess", f"203.0.113.{i}") == 401
    # a made-up address does not start a fresh count
    assert await _try(client, token, "password-123", "198.51.100.7") == 429


async def test_the_owners_browser_gets_in_while_strangers_guess_from_many_addresses(
    behind_proxy: Client,
    aiohttp_client: MakeClient,
    app_settings: Settings,
    make_user: Callable[..., Awaitable[int]],
) -> None:
    await make_user("kim@example.com", "senior")
    owner = behind_proxy
    token = await csrf_of(owner)
    assert await _try(owner, token, "password-123", "198.51.100.7") == 303  # her browser is known from now on
    await owner.post("/logout", data={"csrf_token": await csrf_of(owner, "/senior")})

    stranger = await aiohttp_client(
        create_app(app_settings.model_copy(update={"trusted_proxies": "127.0.0.0/8"}))
    )
    stranger_token = await csrf_of(stranger)
    wide = app_settings.login_max_failures * WIDE_FACTOR
    for i in range(wide):
        assert await _try(stranger, stranger_token, "guess", f"203.0.113.{i}") == 401
    # a new browser with the right password waits; her own browser does not
    assert await _try(stranger, stranger_token, "password-123", "192.0.2.1") == 429
    token = await csrf_of(owner)
    assert await _try(owner, token, "password-123", "198.51.100.7") == 303


# --- sign-up (issue 15, defect 11) ------------------------------------------------------------------------


async def _sign_up(client: Client, token: str, email: str, forwarded: str | None = None) -> tuple[int, str]:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response = await client.post(
        "/signup",
        data={
            "email": email,
            "name": "김영수",
            "password": "garden-tea-58",
            "password2": "garden-tea-58",
            "role": "senior",
            "csrf_token": token,
        },
        headers=headers,
        allow_redirects=False,
    )
    return response.status, await response.text()


async def test_sign_up_with_a_taken_email_does_not_say_so(
    client: Client, make_user: Callable[..., Awaitable[int]]
) -> None:
    await make_user("taken@example.com", "company")
    status, body = await _sign_up(client, await csrf_of(client, "/signup"), "taken@example.com")
    assert status == 422
    assert "이미 있습니다" not in body and "already" not in body
    assert "입력하신 내용으로는 계정을 만들 수 없습니다." in body


async def test_sign_ups_from_one_address_are_throttled(
    behind_proxy: Client, make_user: Callable[..., Awaitable[int]], app_settings: Settings
) -> None:
    """Each try costs an Argon2 hash and could probe for an account: counted per address before hashing."""
    await make_user("taken@example.com", "company")
    token = await csrf_of(behind_proxy, "/signup")
    limit = app_settings.login_max_failures * WIDE_FACTOR
    for _ in range(limit):
        status, _body = await _sign_up(behind_proxy, token, "taken@example.com", "203.0.113.9")
        assert status == 422
    status, body = await _sign_up(behind_proxy, token, "new-person@example.com", "203.0.113.9")
    assert status == 429 and "초 뒤에 다시 해 주세요" in body
    # another visitor behind the same proxy signs up
    status, _body = await _sign_up(behind_proxy, token, "new-person@example.com", "198.51.100.7")
    assert status == 303
