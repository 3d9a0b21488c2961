"""Accounts: log in, log out, sign up, each role's home (``/dashboard``), my settings (``/account/settings``),
and the admin's account pages."""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from web.accounts import admin, routes
from web.accounts import settings as account_settings
from web.accounts import throttle as login_throttle


def setup(app: web.Application, settings: Settings) -> None:
    login_throttle.setup(app, settings)
    app.router.add_routes(routes.routes)
    app.router.add_routes(admin.routes)
    app.router.add_routes(account_settings.routes)
