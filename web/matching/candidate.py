"""A candidate's full profile for the company of a posting (and admins): career history, skills,
certificates, regions and pay wish, the match's reasons, the pair's stage and the senior's message.
Contact details appear only once the senior agreed to an interview (:mod:`matching.details`);
the same read as JSON under ``/api/``."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from core.accounts import Role
from core.errors import NotFound
from matching import details
from matching.details import CandidateDetails
from web.keys import SESSIONS
from web.matching.decisions import STAGE_LABELS
from web.matching.forms import Reason, reasons
from web.matching.live import MATCHING
from web.render import gettext_for, render
from web.security import require_user, requires

routes = web.RouteTableDef()


@dataclass
class CandidatePage:
    candidate: CandidateDetails
    score: int
    reasons: list[Reason]
    #: the pair's stage in words, or "" when nobody asked for an interview yet
    stage: str
    #: the pair's stage value (``requested`` …), or ""
    stage_value: str


def _ids(request: web.Request) -> tuple[int, int]:
    try:
        return int(request.match_info["posting_id"]), int(request.match_info["senior_id"])
    except ValueError:
        raise NotFound() from None


async def _candidate(request: web.Request) -> CandidatePage:
    user = require_user(request)
    posting_id, senior_id = _ids(request)
    candidate = await details.candidate_details(request.app[SESSIONS], user, posting_id, senior_id)
    score, factors = await request.app[MATCHING].explain(senior_id, posting_id)
    _ = gettext_for(request)
    pair = candidate.pair
    return CandidatePage(
        candidate,
        round(score * 100),
        reasons(factors, _),
        _(STAGE_LABELS[pair.stage]) if pair else "",
        pair.stage.value if pair else "",
    )


@routes.get(r"/company/postings/{posting_id:\d+}/candidates/{senior_id:\d+}", name="candidate")
@requires(Role.COMPANY, Role.ADMIN)
async def candidate_page(request: web.Request) -> web.Response:
    return await render(request, "matching/candidate.html", await _candidate(request))


@routes.get(r"/api/postings/{posting_id:\d+}/candidates/{senior_id:\d+}", name="api_candidate")
@requires(Role.COMPANY, Role.ADMIN)
async def candidate_json(request: web.Request) -> web.Response:
    page = await _candidate(request)
    body = page.candidate.to_dict() | {
        "score": page.score,
        "reasons": [
            {"name": r.name, "percent": r.percent, "level": r.level, "text": r.text} for r in page.reasons
        ],
    }
    return web.json_response(body)
