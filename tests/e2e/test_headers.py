"""The Content-Security-Policy in real Chromium: every role's main pages and their module scripts run under it
with no violation reported (issue 15, defect 12)."""

from __future__ import annotations

import stat

from playwright.sync_api import Browser, ConsoleMessage, Page

from tests.e2e.conftest import LiveServer, log_in

#: records every CSP violation and console error of the page, from before its first script runs
COLLECT = """
window.__problems = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__problems.push(`CSP ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${where}`);
});
"""

PAGES: dict[str | None, list[str]] = {
    None: ["/", "/login", "/signup", "/board"],
    "senior": [
        "/senior",
        "/senior/profile",
        "/senior/matches",
        "/senior/availability",
        "/practice",
        "/practice/progress",
        "/inbox",
        "/account/settings",
        "/board",
    ],
    "company": ["/company", "/company/profile", "/company/postings/new", "/company/pipeline", "/inbox"],
    "coach": ["/coach", "/inbox"],
    "scheduler": ["/scheduler", "/inbox"],
    "admin": ["/admin", "/admin/companies", "/admin/questions", "/admin/reviews", "/admin/outbox"],
}


def _visit(page: Page, server: LiveServer, path: str, problems: list[str]) -> None:
    response = page.goto(f"{server.url}{path}")
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    headers = response.headers
    assert "script-src 'self'" in headers.get("content-security-policy", ""), f"{path} has no CSP"
    assert headers.get("server") == "AllWork", f"{path} tells its server: {headers.get('server')}"
    page.wait_for_load_state("networkidle")
    problems += [f"{path}: {p}" for p in page.evaluate("window.__problems")]


def _console(message: ConsoleMessage, problems: list[str]) -> None:
    where = message.location.get("url", "")
    if message.type == "error" and not where.endswith("/favicon.ico"):  # the site has no icon: a 404
        problems.append(f"console: {message.text} ({where})")


def test_every_roles_pages_run_under_the_csp_with_no_violation(
    browser: Browser, live_server: LiveServer
) -> None:
    problems: list[str] = []
    for role, paths in PAGES.items():
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ko-KR")  # CSP enforced
        context.add_init_script(COLLECT)
        page = context.new_page()
        page.on("console", lambda m: _console(m, problems))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        if role:
            log_in(page, live_server, role)
        for path in paths:
            _visit(page, live_server, path, problems)
        context.close()
    assert problems == []


def test_the_servers_data_folder_is_private(live_server: LiveServer) -> None:
    made = [live_server.data_dir, *live_server.data_dir.rglob("*")]
    assert any(p.name == "allwork.db" for p in made)
    loose = [
        f"{p}: {oct(stat.S_IMODE(p.stat().st_mode))}"
        for p in made
        if p.name != "server.log" and stat.S_IMODE(p.stat().st_mode) & 0o077
    ]
    assert loose == []
