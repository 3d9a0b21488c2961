"""Every route module of the site. A feature adds its module here, one line."""

from __future__ import annotations

from aiohttp import web

from web.routes import admin, auth, company, dashboards, events, inbox, public, senior, vetting

ROUTE_TABLES: list[web.RouteTableDef] = [
    public.routes,
    auth.routes,
    dashboards.routes,
    admin.routes,
    events.routes,
    senior.routes,
    company.routes,
    vetting.routes,
    inbox.routes,
]
