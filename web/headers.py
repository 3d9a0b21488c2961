"""Headers on every response: the Content-Security-Policy, the other browser protections, no version banner.

Set in ``on_response_prepare``, so every response gets them: pages, JSON, static files, error pages
and the answers aiohttp writes itself (a 404 for an unknown path, a 413).

The policy allows what the pages do and nothing else: scripts and styles only as files from this site
(every page script is an ES module under ``/static/js``; data for scripts travels in ``data-*`` attributes
or ``<script type="application/json">`` blocks, which are not run), media from this site and the
``blob:`` URLs of a just-recorded answer, fetches, server-sent events and the signaling WebSocket to this
site only, no plugins, no ``<base>``, forms only to this site, and no framing (with ``X-Frame-Options``
for older browsers). WebRTC's media goes peer to peer or through TURN, which CSP does not govern.
"""

from __future__ import annotations

from aiohttp import web

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

#: instead of aiohttp's ``Python/3.11 aiohttp/3.x``, which tells an attacker which versions to try
SERVER_NAME = "AllWork"

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(self), geolocation=()",
}


async def set_headers(request: web.BaseRequest, response: web.StreamResponse) -> None:
    """Every response's security headers; a handler's own value for one of them wins."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = SERVER_NAME


def install_headers(app: web.Application) -> None:
    app.on_response_prepare.append(set_headers)
