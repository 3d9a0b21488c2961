"""Redirect targets after login and the language switch (issue 15, defect 3); malformed bodies and the CSRF
check before a body is read (defect 7)."""

from __future__ import annotations

import asyncio
import logging
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


# --- malformed bodies and CSRF before the body (issue 15, defect 7) ----------------------------------------


async def test_a_multipart_post_without_a_boundary_is_a_400_without_a_trace(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    token = await csrf_of(client)
    for headers in (
        {"Content-Type": "multipart/form-data"},
        {"Content-Type": "multipart/form-data", "X-CSRF-Token": token},
    ):
        response = await client.post("/login", data=f"csrf_token={token}&email=a".encode(), headers=headers)
        body = await response.text()
        assert response.status == 400, body
        assert "Traceback" not in body
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_broken_multipart_body_is_a_400(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    token = await csrf_of(client)
    response = await client.post(
        "/login",
        data=b"--xx\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--xx--\r\n",  # a part without a name
        headers={"Content-Type": "multipart/form-data; boundary=xx", "X-CSRF-Token": token},
    )
    assert response.status == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_non_ascii_csrf_header_is_refused_not_a_500(client: Client) -> None:
    await csrf_of(client)
    response = await client.post(
        "/login", data={"email": "a"}, headers={"X-CSRF-Token": "토큰".encode().decode("latin-1")}
    )
    assert response.status == 403


async def _status_line_of_a_huge_post(client: Client, cookie: str = "") -> bytes:
    """Send the headers of a 200 MB multipart POST and a few bytes of it; the status line the server answers
    with while the rest is still unsent (a server that waited for the body would never answer)."""
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    try:
        writer.write(
            b"POST /login HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: multipart/form-data\r\nContent-Length: 209715200\r\n"
            + (f"Cookie: {cookie}\r\n".encode() if cookie else b"")
            + b"\r\n"
            + b"x" * 1024
        )
        await writer.drain()
        return await asyncio.wait_for(reader.readline(), timeout=20)
    finally:
        writer.close()


async def test_a_huge_anonymous_post_is_refused_before_its_body_is_read(client: Client) -> None:
    line = await _status_line_of_a_huge_post(client)
    assert line.startswith(b"HTTP/1.1 403"), line


async def test_a_huge_post_without_a_boundary_is_refused_before_its_body_is_read(client: Client) -> None:
    await csrf_of(client)
    cookie = "; ".join(f"{c.key}={c.value}" for c in client.session.cookie_jar)
    line = await _status_line_of_a_huge_post(client, cookie)
    assert line.startswith(b"HTTP/1.1 400"), line
