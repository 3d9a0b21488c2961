"""Every route module of the site. A feature adds its module here, one line."""

from __future__ import annotations

from aiohttp import web

from web.routes import admin, auth, dashboards, events, public

ROUTE_TABLES: list[web.RouteTableDef] = [
    public.routes,
    auth.routes,
    dashboards.routes,
    admin.routes,
    events.routes,
]
