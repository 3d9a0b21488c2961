"""Errors to a JSON request are JSON (#17): a page's script or any client that sends a JSON body gets
``{"error": {"code", "message", "fields"}}`` in the reader's language even without an Accept header;
a browser asking for HTML still gets the page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tests.web.conftest import Client, csrf_of, log_in

MakeUser = Callable[..., Awaitable[int]]


async def test_a_json_body_without_accept_gets_a_json_error(client: Client, make_user: MakeUser) -> None:
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    token = await csrf_of(client, "/practice")
    # no Accept header at all (aiohttp's client sends */*): the JSON body decides
    response = await client.post("/practice/424242/takes", json={"index": 0}, headers={"X-CSRF-Token": token})
    assert response.status == 409 and response.content_type == "application/json"
    error = (await response.json())["error"]
    assert error["code"] == "not_connected"
    assert "녹음 연결" in error["message"]

    html = {"X-CSRF-Token": token, "Accept": "text/html,application/xhtml+xml"}
    response = await client.post("/practice/424242/takes", json={"index": 0}, headers=html)
    assert response.status == 409 and response.content_type == "text/html"
    assert "녹음 연결" in await response.text()


async def test_a_form_post_still_gets_a_page(client: Client, make_user: MakeUser) -> None:
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    token = await csrf_of(client, "/practice")
    response = await client.post("/practice/424242/takes", data={"csrf_token": token, "index": "0"})
    assert response.status == 422 and response.content_type == "text/html"
