"""Scheduling: the scheduler's pages (requests waiting for a date with both sides' constraints, booking a
slot or offering several, rescheduling and cancelling), the senior's page to pick an offered time, weekly
availability, and the reminders of bookings."""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from web.scheduling import routes, runtime, senior


def setup(app: web.Application, settings: Settings) -> None:
    app[runtime.BOOKING_RULES] = runtime.rules_for(settings)
    app.cleanup_ctx.append(runtime.teller_ctx)
    runtime.register_reminders(app)
    app.router.add_routes(routes.routes)
    app.router.add_routes(senior.routes)
