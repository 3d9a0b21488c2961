"""Redirect targets after login and the language switch (issue 15, defect 3)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from tests.web.conftest import Client, csrf_of
from web.security import safe_next

#: each of these ends on another site once a browser drops the tab/CR/LF or reads ``\`` as ``/``
OUTSIDE = [
    "/\t/evil.example/x",
    "/\r/evil.example/x",
    "/\n/evil.example/x",
    "/\r\n/evil.example/x",
    "\t//evil.example/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "https://evil.example/x",
    "javascript:alert(1)",
    "evil.example/x",
    "/\x00/evil.example",
    "/\u2028/evil.example",
]


@pytest.mark.parametrize("target", OUTSIDE)
def test_safe_next_refuses_other_sites(target: str) -> None:
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/senior", "/practice/3?set=posting:4", "/board#reviews", "/"])
def test_safe_next_keeps_same_site_paths(target: str) -> None:
    assert safe_next(target, "/home") == target


@pytest.mark.parametrize("target", ["/\t/evil.example/x", "/\r/evil.example/x", "/\n/evil.example/x"])
async def test_login_next_with_a_control_character_stays_on_the_site(
    client: Client, make_user: Callable[..., Awaitable[int]], target: str
) -> None:
    await make_user("kim@example.com", "senior")
    token = await csrf_of(client)
    response = await client.post(
        "/login",
        data={"email": "kim@example.com", "password": "password-123", "next": target, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 303 and response.headers["Location"] == "/senior"


async def test_login_page_drops_a_crafted_next(client: Client) -> None:
    response = await client.get("/login?next=/%09/evil.example/x")
    body = await response.text()
    assert response.status == 200 and '<input type="hidden" name="next" value="">' in body


@pytest.mark.parametrize("target", ["/\t/evil.example/x", "/\r/evil.example/x", "/\n/evil.example/x"])
async def test_language_switch_next_with_a_control_character_stays_on_the_site(
    client: Client, target: str
) -> None:
    token = await csrf_of(client, "/")
    response = await client.post(
        "/language", data={"lang": "en", "next": target, "csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303 and response.headers["Location"] == "/"
