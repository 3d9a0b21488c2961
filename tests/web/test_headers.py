"""Security headers on every response, no version banner (issue 15, defect 12)."""

from __future__ import annotations

from tests.web.conftest import Client
from web.headers import CONTENT_SECURITY_POLICY


async def test_every_kind_of_response_has_the_csp_and_no_version_banner(client: Client) -> None:
    for path in ("/", "/login", "/static/js/common.js", "/no/such/page", "/api/nothing", "/healthz"):
        response = await client.get(path)
        await response.read()
        assert response.headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, path
        assert response.headers.get("X-Frame-Options") == "DENY", path
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        server = response.headers.get("Server", "")
        assert server == "AllWork" and "aiohttp" not in server and "Python" not in server, path


def test_the_policy_runs_no_inline_script_and_allows_no_framing() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
