"""Matching: the senior's profile and matched jobs, the company's profile, postings and candidates,
the admin's vetting of companies, and the inbox of matches. The process's matching service and its
live updates are set up here (:mod:`web.matching.live`)."""

from __future__ import annotations

from aiohttp import web

from core.config import Settings
from web.matching import age_flags, candidate, company, decisions, inbox, live, senior, vetting


def setup(app: web.Application, settings: Settings) -> None:
    app.cleanup_ctx.append(live.matching_ctx)
    for module in (senior, company, candidate, vetting, age_flags, inbox, decisions):
        app.router.add_routes(module.routes)
