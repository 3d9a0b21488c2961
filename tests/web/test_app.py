from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

import pytest

from tests.web.conftest import Client, csrf_of, log_in

pytestmark = pytest.mark.asyncio


async def test_landing_is_korean_first(client: Client) -> None:
    response = await client.get("/")
    body = await response.text()
    assert response.status == 200
    assert '<html lang="ko">' in body
    assert "올워크 인터뷰" in body and "구직자로 시작하기" in body


async def test_language_switch_is_remembered(client: Client) -> None:
    token = await csrf_of(client, "/")
    response = await client.post(
        "/language", data={"lang": "en", "next": "/login", "csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303 and response.headers["Location"] == "/login"
    body = await (await client.get("/")).text()
    assert '<html lang="en">' in body and "Start as a job seeker" in body
    token = await csrf_of(client, "/")
    await client.post("/language", data={"lang": "ko", "next": "/", "csrf_token": token})
    assert '<html lang="ko">' in await (await client.get("/")).text()


async def test_language_switch_refuses_outside_redirects(client: Client) -> None:
    token = await csrf_of(client, "/")
    response = await client.post(
        "/language",
        data={"lang": "en", "next": "//evil.example/x", "csrf_token": token},
        allow_redirects=False,
    )
    assert response.headers["Location"] == "/"


async def test_missing_csrf_token_is_refused(client: Client) -> None:
    response = await client.post(
        "/signup",
        data={
            "email": "a@b.co",
            "name": "n",
            "password": "garden-tea-58",
            "password2": "garden-tea-58",
            "role": "senior",
        },
    )
    assert response.status == 403
    assert "다시 해 주세요" in await response.text()
    # nothing was stored: the same email can still sign up
    token = await csrf_of(client, "/signup")
    ok = await client.post(
        "/signup",
        data={
            "email": "a@b.co",
            "name": "n",
            "password": "garden-tea-58",
            "password2": "garden-tea-58",
            "role": "senior",
            "csrf_token": token,
        },
        allow_redirects=False,
    )
    assert ok.status == 303 and ok.headers["Location"] == "/senior"


async def test_signup_errors_keep_fields_and_store_nothing(client: Client) -> None:
    token = await csrf_of(client, "/signup")
    response = await client.post(
        "/signup",
        data={
            "email": "kim@",
            "name": "김영수",
            "password": "short",
            "password2": "short",
            "role": "senior",
            "csrf_token": token,
        },
    )
    body = await response.text()
    assert response.status == 422
    assert 'value="김영수"' in body and 'value="kim@"' in body
    assert "이메일 주소를 name@example.com 처럼 입력해 주세요." in body
    assert "비밀번호는 8자 이상이어야 합니다." in body
    assert 'value="short"' not in body  # passwords are never echoed back


async def test_signup_cannot_choose_staff_roles(client: Client) -> None:
    token = await csrf_of(client, "/signup")
    response = await client.post(
        "/signup",
        data={
            "email": "x@example.com",
            "name": "x",
            "password": "garden-tea-58",
            "password2": "garden-tea-58",
            "role": "admin",
            "csrf_token": token,
        },
    )
    assert response.status == 422
    assert "어떤 계정이 필요한지 골라 주세요." in await response.text()


async def test_duplicate_email_does_not_say_that_the_address_has_an_account(
    client: Client, make_user: Callable[..., Awaitable[int]]
) -> None:
    """Issue 15, defect 11: the answer names no account; more in tests/web/accounts/test_throttle.py."""
    await make_user("taken@example.com", "company")
    token = await csrf_of(client, "/signup")
    response = await client.post(
        "/signup",
        data={
            "email": "taken@example.com",
            "name": "x",
            "password": "garden-tea-58",
            "password2": "garden-tea-58",
            "role": "senior",
            "csrf_token": token,
        },
    )
    body = await response.text()
    assert response.status == 422
    assert "이 이메일로 만든 계정이 이미 있습니다." not in body
    assert "입력하신 내용으로는 계정을 만들 수 없습니다." in body and 'value="taken@example.com"' in body


async def test_wrong_password_generic_then_slowed(
    client: Client, make_user: Callable[..., Awaitable[int]]
) -> None:
    await make_user("kim@example.com", "senior")
    token = await csrf_of(client)
    for _ in range(3):
        response = await client.post(
            "/login", data={"email": "kim@example.com", "password": "wrong-wrong", "csrf_token": token}
        )
        assert response.status == 401
        assert "이메일 또는 비밀번호가 맞지 않습니다." in await response.text()
    response = await client.post(
        "/login", data={"email": "kim@example.com", "password": "password-123", "csrf_token": token}
    )
    assert response.status == 429
    assert "초 뒤에 다시 해 주세요" in await response.text()


async def test_visitor_is_sent_to_login_and_back(
    client: Client, make_user: Callable[..., Awaitable[int]]
) -> None:
    await make_user("kim@example.com", "senior")
    response = await client.get("/senior", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/login?next=/senior"
    token = await csrf_of(client, "/login?next=/senior")
    response = await client.post(
        "/login",
        data={"email": "kim@example.com", "password": "password-123", "next": "/senior", "csrf_token": token},
        allow_redirects=False,
    )
    assert response.headers["Location"] == "/senior"


@pytest.mark.parametrize("role", ["senior", "company", "coach", "scheduler", "admin"])
async def test_each_role_has_its_dashboard_and_no_other(
    client: Client, make_user: Callable[..., Awaitable[int]], role: str
) -> None:
    await make_user(f"{role}@example.com", role)
    await log_in(client, f"{role}@example.com")
    response = await client.get("/dashboard", allow_redirects=False)
    assert response.headers["Location"] == f"/{role}"
    assert (await client.get(f"/{role}")).status == 200
    for other in {"senior", "company", "coach", "scheduler", "admin"} - {role}:
        assert (await client.get(f"/{other}")).status == 403


async def test_admin_creates_a_coach(client: Client, make_user: Callable[..., Awaitable[int]]) -> None:
    await make_user("admin@example.com", "admin")
    await log_in(client, "admin@example.com")
    token = await csrf_of(client, "/admin")
    response = await client.post(
        "/admin/users",
        data={
            "role": "coach",
            "name": "이정숙",
            "email": "coach@example.com",
            "password": "quiet-river-72",
            "csrf_token": token,
        },
    )
    body = await response.text()
    assert response.status == 200 and "계정을 만들었습니다: coach@example.com" in body
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/admin")})
    await log_in(client, "coach@example.com", "quiet-river-72")
    assert (await client.get("/coach")).status == 200


async def test_logout_ends_the_session(client: Client, make_user: Callable[..., Awaitable[int]]) -> None:
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    await client.post("/logout", data={"csrf_token": await csrf_of(client, "/senior")})
    assert (await client.get("/senior", allow_redirects=False)).status == 303


async def test_unknown_route_is_a_korean_404(client: Client) -> None:
    response = await client.get("/no/such/page")
    assert response.status == 404
    assert "찾으시는 페이지가 없습니다." in await response.text()


async def test_api_errors_have_one_json_shape(client: Client) -> None:
    response = await client.get("/api/nothing-here")
    assert response.status == 404
    assert await response.json() == {
        "error": {"code": "not_found", "message": "찾으시는 페이지가 없습니다.", "fields": {}}
    }


async def test_oversized_body_is_refused_without_trace(client: Client) -> None:
    token = await csrf_of(client, "/signup")
    body = io.BytesIO(b"name=" + b"x" * (2 * 1024 * 1024))
    response = await client.post(
        "/signup",
        data=body,
        headers={"X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded"},
    )
    page = await response.text()
    assert response.status == 413
    assert "보내신 내용이 너무 큽니다." in page and "Traceback" not in page


async def test_health_and_readiness(client: Client) -> None:
    assert await (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status == 200 and (await ready.json())["database"] == "ok"


async def test_security_headers_and_cookie_flags(client: Client) -> None:
    response = await client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
