"""The public progress board (채용진행현황, ``/board``): interviews held and hires made per month and per
industry, and the interview reviews seniors shared, after an admin approved them (``/admin/reviews``);
the senior's review form (``/board/reviews/<pair>``)."""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from web.board import routes


def setup(app: web.Application, settings: Settings) -> None:
    app.router.add_routes(routes.routes)
