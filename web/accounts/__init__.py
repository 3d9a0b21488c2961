"""Accounts: log in, log out, sign up, each role's home (``/dashboard``), my settings (``/account/settings``),
a forgotten or changed password and "log out everywhere" (``keep``), and the admin's account pages
(``admin``, ``admin_users``: a reset link to give by phone, switching an account off or on)."""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from web.accounts import admin, admin_users, keep, routes
from web.accounts import settings as account_settings
from web.accounts import throttle as login_throttle


def setup(app: web.Application, settings: Settings) -> None:
    login_throttle.setup(app, settings)
    app.router.add_routes(routes.routes)
    app.router.add_routes(admin.routes)
    app.router.add_routes(admin_users.routes)
    app.router.add_routes(keep.routes)
    app.router.add_routes(account_settings.routes)
