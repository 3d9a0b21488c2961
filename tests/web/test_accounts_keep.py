"""Pages that keep an account: revocable sessions, a forgotten password, a password change, an admin's help.

The mail tests send through a real SMTP server (aiosmtpd) and read the link from what arrived; the
two-node test runs two apps on one database, as two servers behind a load balancer would.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from aiohttp import ClientSession, DummyCookieJar
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from core.config import Settings, load_settings
from core.credentials import PasswordReset
from core.db import create_engine, session_factory
from core.pubsub import user_channel
from tests.core.smtp_server import smtp_server
from tests.web.conftest import Client, csrf_of, log_in
from web.app import create_app
from web.keys import PUBSUB

MakeUser = Callable[..., Awaitable[int]]
NEW = "blue-river-walk-61"
LINK_RE = re.compile(r"http://[^\s]+/password/reset/([a-z0-9-]+)")


def cookie_of(client: Client) -> str:
    """The session cookie's value, as someone who copied it from the browser would have it."""
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))["allwork_session"]
    return cookie.value


async def get_with_cookie(client: Client, path: str, cookie: str) -> int:
    """GET ``path`` from another browser that has only ``cookie`` (a copy of someone's session cookie)."""
    async with ClientSession(cookie_jar=DummyCookieJar()) as other:
        response = await other.get(
            client.make_url(path), headers={"Cookie": f"allwork_session={cookie}"}, allow_redirects=False
        )
        return response.status


async def post_form(
    client: Client, path: str, data: dict[str, str], page: str | None = None
) -> tuple[int, str]:
    token = await csrf_of(client, page or path)
    response = await client.post(path, data={**data, "csrf_token": token}, allow_redirects=False)
    return response.status, await response.text()


async def reset_count(settings: Settings) -> int:
    engine = create_engine(settings)
    try:
        async with session_factory(engine)() as session:
            return int(await session.scalar(select(func.count()).select_from(PasswordReset)) or 0)
    finally:
        await engine.dispose()


# --- sessions ----------------------------------------------------------------------------------------


async def test_a_copied_cookie_is_refused_after_logout(client: Client, make_user: MakeUser) -> None:
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    copied = cookie_of(client)
    assert await get_with_cookie(client, "/senior", copied) == 200
    status, _ = await post_form(client, "/logout", {}, "/senior")
    assert status == 303
    assert await get_with_cookie(client, "/senior", copied) == 303  # to the login page


async def test_an_open_event_stream_ends_with_the_login(client: Client, make_user: MakeUser) -> None:
    user_id = await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    copied = cookie_of(client)
    async with ClientSession(cookie_jar=DummyCookieJar()) as other:
        stream = await other.get(client.make_url("/events"), headers={"Cookie": f"allwork_session={copied}"})
        assert (await stream.content.readuntil(b"\r\n\r\n")).startswith(b"event: ready")
        await post_form(client, "/logout", {}, "/senior")
        await client.app[PUBSUB].publish(user_channel(user_id), {"kind": "match", "posting_id": 2})
        async with asyncio.timeout(10):
            rest = await stream.content.read()  # the server closes the stream instead of sending the event
        assert b"posting_id" not in rest


async def test_logout_on_one_node_ends_the_session_on_another(
    aiohttp_client: Callable[..., Awaitable[TestClient]], app_settings: Settings, make_user: MakeUser
) -> None:
    await make_user("kim@example.com", "senior")
    node_a = await aiohttp_client(create_app(app_settings))
    node_b = await aiohttp_client(create_app(app_settings))
    await log_in(node_a, "kim@example.com")
    copied = cookie_of(node_a)
    assert await get_with_cookie(node_b, "/senior", copied) == 200  # the same secret key reads it
    await post_form(node_a, "/logout", {}, "/senior")
    assert await get_with_cookie(node_b, "/senior", copied) == 303


async def test_log_out_everywhere(
    aiohttp_client: Callable[..., Awaitable[TestClient]], app_settings: Settings, make_user: MakeUser
) -> None:
    await make_user("kim@example.com", "senior")
    phone = await aiohttp_client(create_app(app_settings))
    laptop = await aiohttp_client(create_app(app_settings))
    await log_in(phone, "kim@example.com")
    await log_in(laptop, "kim@example.com")
    page = await (await laptop.get("/account/settings")).text()
    assert "모든 기기에서 로그아웃" in page
    status, _ = await post_form(laptop, "/account/sessions/end", {}, "/account/settings")
    assert status == 303
    assert (await phone.get("/senior", allow_redirects=False)).status == 303
    assert (await laptop.get("/senior", allow_redirects=False)).status == 303


async def test_a_password_change_ends_other_sessions_and_keeps_this_one(
    aiohttp_client: Callable[..., Awaitable[TestClient]], app_settings: Settings, make_user: MakeUser
) -> None:
    await make_user("kim@example.com", "senior")
    here = await aiohttp_client(create_app(app_settings))
    other = await aiohttp_client(create_app(app_settings))
    await log_in(here, "kim@example.com")
    await log_in(other, "kim@example.com")
    before = cookie_of(here)
    # the current password is asked again; a wrong one is refused beside its field, nothing changes
    status, body = await post_form(
        here, "/account/password", {"current": "wrong-one-99", "password": NEW, "password2": NEW}
    )
    assert status == 422 and "지금 쓰시는 비밀번호와 다릅니다." in body
    assert (await other.get("/senior", allow_redirects=False)).status == 200
    status, _ = await post_form(
        here, "/account/password", {"current": "password-123", "password": NEW, "password2": NEW}
    )
    assert status == 303
    assert (await here.get("/senior", allow_redirects=False)).status == 200  # a fresh session here
    assert (await other.get("/senior", allow_redirects=False)).status == 303
    assert await get_with_cookie(here, "/senior", before) == 303  # the old cookie of this browser too
    await post_form(here, "/logout", {}, "/senior")
    await log_in(here, "kim@example.com", NEW)


async def test_weak_passwords_are_refused_in_korean_and_the_fields_kept(
    client: Client, make_user: MakeUser
) -> None:
    await make_user("kim@example.com", "senior")
    await log_in(client, "kim@example.com")
    cases = {
        "qwer1234": "많은 사람이 쓰는 쉬운 비밀번호",
        "19650315": "숫자로만 된 비밀번호",
        "aaaaaaaaaa": "같은 글자 한두 개만 되풀이한",
        "kim-kim-2024": "이메일 주소나 이름을 넣지",
    }
    for weak, reason in cases.items():
        status, body = await post_form(
            client, "/account/password", {"current": "password-123", "password": weak, "password2": weak}
        )
        assert status == 422 and reason in body, weak
        assert f'value="{weak}"' not in body  # passwords are never echoed back
    await post_form(client, "/logout", {}, "/senior")
    await log_in(client, "kim@example.com")  # the old password still works
    # sign-up refuses them too, keeping the name and email typed
    await post_form(client, "/logout", {}, "/senior")
    status, body = await post_form(
        client,
        "/signup",
        {
            "role": "senior",
            "name": "박정희",
            "email": "park@example.com",
            "password": "1q2w3e4r",
            "password2": "1q2w3e4r",
        },
    )
    assert status == 422 and "많은 사람이 쓰는 쉬운 비밀번호" in body
    assert 'value="park@example.com"' in body and 'value="박정희"' in body


# --- a forgotten password ------------------------------------------------------------------------


async def test_forgot_password_mails_a_single_use_link_through_smtp(
    aiohttp_client: Callable[..., Awaitable[TestClient]], data_dir: Path, sqlite_url: str, make_user: MakeUser
) -> None:
    await make_user("kim@example.com", "senior")
    with smtp_server() as (port, received):
        settings = load_settings(
            data_dir=data_dir,
            database_url=sqlite_url,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_starttls=False,
            public_url="http://interview.example.kr",
            room_stream_transcripts=False,
        )
        client = await aiohttp_client(create_app(settings))
        login_page = await (await client.get("/login")).text()
        assert "비밀번호를 잊으셨나요?" in login_page and 'href="/password/forgot"' in login_page
        logged_in_elsewhere = await aiohttp_client(create_app(settings))
        await log_in(logged_in_elsewhere, "kim@example.com")

        status, known = await post_form(client, "/password/forgot", {"email": "Kim@Example.com"})
        assert status == 200
        status, unknown = await post_form(client, "/password/forgot", {"email": "nobody@example.com"})
        assert status == 200
        neutral = "이 주소로 가입된 계정이 있으면"
        assert neutral in known and neutral in unknown
        strip = re.compile(r'name="csrf_token" value="[^"]+"|value="[^"]*@example.com"')
        assert strip.sub("", known) == strip.sub("", unknown)  # the same page either way

        assert len(received.messages) == 1
        mail: EmailMessage = received.messages[0]
        assert mail["To"] == "kim@example.com" and "새 비밀번호" in str(mail["Subject"])
        text = mail.get_content()
        match = LINK_RE.search(text)
        assert match and text.count("http://interview.example.kr/password/reset/") == 1
        assert "30분 동안 한 번만" in text
        code = match.group(1)

        form = await client.get(f"/password/reset/{code}")
        assert form.status == 200 and "새 비밀번호" in await form.text()
        status, body = await post_form(
            client, f"/password/reset/{code}", {"password": "qwer1234", "password2": "qwer1234"}
        )
        assert status == 422 and "쉬운 비밀번호" in body
        status, _ = await post_form(client, f"/password/reset/{code}", {"password": NEW, "password2": NEW})
        assert status == 303
        assert (await logged_in_elsewhere.get("/senior", allow_redirects=False)).status == 303
        await log_in(client, "kim@example.com", NEW)

        used = await client.get(f"/password/reset/{code}")
        assert used.status == 410 and "이미 한 번 썼거나" in await used.text()
        status, body = await post_form(
            client,
            f"/password/reset/{code}",
            {"password": "other-long-walk-5", "password2": "other-long-walk-5"},
        )
        assert status == 410


async def test_bad_forgot_input_and_bad_links(
    client: Client, app_settings: Settings, make_user: MakeUser
) -> None:
    await make_user("kim@example.com", "senior")
    status, body = await post_form(client, "/password/forgot", {"email": "not an address"})
    assert status == 422 and "name@example.com 처럼" in body and 'value="not an address"' in body
    assert await reset_count(app_settings) == 0
    for code in ("nothing", "abcd-efgh-jkmn-pqrs", "%00" * 10):
        response = await client.get(f"/password/reset/{code}")
        assert response.status in (404, 410)
        if response.status == 410:
            assert "새 링크 받기" in await response.text()


async def test_a_mailed_link_lands_in_the_outbox_for_the_admin(
    client: Client, app_settings: Settings, make_user: MakeUser
) -> None:
    await make_user("kim@example.com", "senior")
    await make_user("admin@example.com", "admin")
    await post_form(client, "/password/forgot", {"email": "kim@example.com"})
    files = list((app_settings.data_dir / "outbox" / "mail").glob("*.eml"))
    assert len(files) == 1
    kept = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert isinstance(kept, EmailMessage) and LINK_RE.search(kept.get_content())
    await log_in(client, "admin@example.com")
    outbox = await (await client.get("/admin/outbox")).text()
    assert "kim@example.com" in outbox and "새 비밀번호" in outbox


# --- the admin's help -----------------------------------------------------------------------------


async def test_admin_issues_a_link_shown_once_and_switches_an_account_off_and_on(
    aiohttp_client: Callable[..., Awaitable[TestClient]], app_settings: Settings, make_user: MakeUser
) -> None:
    kim = await make_user("kim@example.com", "senior")
    admin_id = await make_user("admin@example.com", "admin")
    senior = await aiohttp_client(create_app(app_settings))
    admin = await aiohttp_client(create_app(app_settings))
    await log_in(senior, "kim@example.com")
    await log_in(admin, "admin@example.com")

    listing = await (await admin.get("/admin")).text()
    assert f'href="/admin/users/{kim}"' in listing
    found = await admin.get("/admin/users/find?email=KIM@example.com", allow_redirects=False)
    assert found.headers["Location"] == f"/admin/users/{kim}"
    page = await (await admin.get(f"/admin/users/{kim}")).text()
    assert "김영수" in page and "브라우저 1곳" in page

    status, body = await post_form(admin, f"/admin/users/{kim}/reset", {}, f"/admin/users/{kim}")
    assert status == 200 and "한 번만 보입니다" in body
    match = LINK_RE.search(body)
    assert match
    again = await (await admin.get(f"/admin/users/{kim}")).text()
    assert match.group(1) not in again  # shown once only
    assert (await senior.get(f"/password/reset/{match.group(1)}")).status == 200

    status, _ = await post_form(admin, f"/admin/users/{kim}/active", {"active": "0"}, f"/admin/users/{kim}")
    assert status == 303
    assert (await senior.get("/senior", allow_redirects=False)).status == 303  # logged out at once
    assert (await senior.get(f"/password/reset/{match.group(1)}")).status == 410  # its link ends too
    token = await csrf_of(senior)
    refused = await senior.post(
        "/login", data={"email": "kim@example.com", "password": "password-123", "csrf_token": token}
    )
    assert refused.status == 401
    status, body = await post_form(admin, f"/admin/users/{admin_id}/active", {"active": "0"}, "/admin")
    assert status == 422 and "내 계정은 직접 중지할 수 없습니다." in body
    status, body = await post_form(admin, f"/admin/users/{kim}/active", {"active": "maybe"}, "/admin")
    assert status == 422

    await post_form(admin, f"/admin/users/{kim}/active", {"active": "1"}, f"/admin/users/{kim}")
    await log_in(senior, "kim@example.com")


async def test_only_admins_reach_the_account_pages(client: Client, make_user: MakeUser) -> None:
    kim = await make_user("kim@example.com", "senior")
    await make_user("coach@example.com", "coach")
    assert (await client.get(f"/admin/users/{kim}", allow_redirects=False)).status == 303
    await log_in(client, "coach@example.com")
    assert (await client.get(f"/admin/users/{kim}")).status == 403
    status, _ = await post_form(client, f"/admin/users/{kim}/active", {"active": "0"}, "/coach")
    assert status == 403
    await post_form(client, "/logout", {}, "/coach")
    await log_in(client, "kim@example.com")  # nothing changed
