"""Every route module of the site. A feature adds its module here, one line."""

from __future__ import annotations

from aiohttp import web

from web.routes import (
    admin,
    auth,
    coach,
    company,
    dashboards,
    events,
    inbox,
    practice,
    public,
    question_bank,
    rooms,
    senior,
    vetting,
)

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
    practice.routes,
    coach.routes,
    question_bank.routes,
    rooms.routes,
]
