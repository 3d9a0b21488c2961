"""Where each application stands: the company's pipeline page with its decision form, and the senior's
"내 지원 현황" card. The decision itself is :func:`matching.decisions.decide`."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import Role, User
from core.errors import AllWorkError, NotFound
from core.i18n import N_
from matching import decisions, pipeline, reviews
from matching.models import ReviewStatus, Stage
from matching.pipeline import PairInfo
from web.forms import Form, read_form
from web.keys import CATALOGS, PUBSUB, SESSIONS
from web.messaging import MAILER
from web.render import flash, gettext_for, render
from web.security import require_user, requires

routes = web.RouteTableDef()

#: each stage in the words both sides read
STAGE_LABELS: dict[Stage, str] = {
    Stage.MATCHED: N_("Matched"),
    Stage.REQUESTED: N_("Interview requested"),
    Stage.SCHEDULED: N_("Interview scheduled"),
    Stage.INTERVIEWED: N_("Interview done"),
    Stage.OFFER: N_("Job offered"),
    Stage.HIRED: N_("Hired"),
    Stage.DECLINED: N_("Not selected"),
    Stage.WITHDRAWN: N_("Withdrawn"),
}
#: the company's choices on its decision form
DECISION_LABELS: dict[Stage, str] = {
    Stage.OFFER: N_("Offer the job"),
    Stage.HIRED: N_("Hire (final)"),
    Stage.DECLINED: N_("Not selected"),
}
REVIEW_LABELS: dict[ReviewStatus, str] = {
    ReviewStatus.PENDING: N_("Your review is waiting to be checked."),
    ReviewStatus.APPROVED: N_("Your review is on the board."),
    ReviewStatus.REJECTED: N_("Your review was not put on the board."),
}


@dataclass
class PairRow:
    info: PairInfo
    stage: str
    message: str
    #: the decisions the company may record now, as (value, label); empty when none
    choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PipelinePage:
    rows: list[PairRow]
    form: Form = field(default_factory=Form)
    #: the pair whose decision form shows ``form`` (after a refused post)
    form_pair: int | None = None


@dataclass
class ApplicationView:
    pair_id: int
    job: str
    company: str
    stage: str
    message: str
    #: the senior may share an interview review now
    can_review: bool
    review: str = ""
    #: the stage's value (``requested`` …), for links that depend on it
    pair_stage: str = ""


async def _rows(request: web.Request, user: User) -> list[PairRow]:
    _ = gettext_for(request)
    sessions = request.app[SESSIONS]
    pairs = await pipeline.pairs_of_company(sessions, user.id)
    messages = await decisions.decision_messages(sessions, [p.pair.id for p in pairs])
    rows = []
    for info in pairs:
        choices = [
            (stage.value, _(label))
            for stage, label in DECISION_LABELS.items()
            if info.pair.stage in decisions.ALLOWED_FROM[stage]
        ]
        rows.append(PairRow(info, _(STAGE_LABELS[info.pair.stage]), messages.get(info.pair.id, ""), choices))
    return rows


@routes.get("/company/pipeline", name="company_pipeline")
@requires(Role.COMPANY)
async def pipeline_page(request: web.Request) -> web.Response:
    user = require_user(request)
    return await render(request, "matching/pipeline.html", PipelinePage(await _rows(request, user)))


@routes.post(r"/company/pipeline/{pair_id:\d+}/decision", name="company_decision")
@requires(Role.COMPANY)
async def decision_submit(request: web.Request) -> web.Response:
    user = require_user(request)
    try:
        pair_id = int(request.match_info["pair_id"])
    except ValueError:
        raise NotFound() from None
    values = await read_form(request, ("outcome", "message", "expected"))
    _ = gettext_for(request)
    try:
        decision = await decisions.decide(
            request.app[SESSIONS],
            pair_id,
            user,
            values["outcome"],
            values["message"],
            expected=values["expected"] or None,
            pubsub=request.app[PUBSUB],
            mailer=request.app[MAILER],
            translate=request.app[CATALOGS].gettext,
        )
    except AllWorkError as exc:
        if exc.status in (403, 404):
            raise NotFound() from None  # another company's pair looks like no pair at all
        page = PipelinePage(await _rows(request, user), Form(values).show(exc, _), pair_id)
        return await render(request, "matching/pipeline.html", page, status=exc.status)
    await flash(
        request, _("Saved: %(stage)s. The job seeker is told.", stage=_(STAGE_LABELS[decision.stage]))
    )
    raise web.HTTPSeeOther("/company/pipeline")


@routes.post(r"/company/pipeline/{pair_id:\d+}/note", name="company_note")
@requires(Role.COMPANY)
async def note_submit(request: web.Request) -> web.Response:
    """The company's note for the scheduler (times that suit, who interviews)."""
    user = require_user(request)
    try:
        pair_id = int(request.match_info["pair_id"])
    except ValueError:
        raise NotFound() from None
    values = await read_form(request, ("note",))
    _ = gettext_for(request)
    try:
        await pipeline.set_company_note(request.app[SESSIONS], user, pair_id, values["note"])
    except AllWorkError as exc:
        if exc.status in (403, 404):
            raise NotFound() from None
        page = PipelinePage(await _rows(request, user), Form(values).show(exc, _), pair_id)
        return await render(request, "matching/pipeline.html", page, status=exc.status)
    await flash(request, _("Your note is saved. The scheduler sees it when booking."))
    raise web.HTTPSeeOther(f"/company/pipeline#pair-{pair_id}")


async def applications_of(request: web.Request, user: User) -> list[ApplicationView]:
    """The senior's pairs with their stage, the company's decision message and the review state."""
    _ = gettext_for(request)
    sessions = request.app[SESSIONS]
    pairs = await pipeline.pairs_of_senior(sessions, user.id)
    ids = [p.pair.id for p in pairs]
    messages = await decisions.decision_messages(sessions, ids)
    mine = await reviews.reviews_by_pair(sessions, user.id)
    out = []
    for info in pairs:
        review = mine.get(info.pair.id)
        out.append(
            ApplicationView(
                info.pair.id,
                info.posting_title,
                info.company_name,
                _(STAGE_LABELS[info.pair.stage]),
                messages.get(info.pair.id, ""),
                review is None and info.pair.stage in reviews.REVIEW_STAGES,
                _(REVIEW_LABELS[review.status]) if review is not None else "",
                info.pair.stage.value,
            )
        )
    return out
