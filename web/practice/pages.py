"""Page builders shared by the senior's practice pages and the coach's review: one answer's feedback
block, the result page, and the labels they show."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from core.accounts import User
from core.i18n import N_
from interview.practice import coach, reviews, service, views
from interview.practice.models import PracticeSession, PracticeTake
from web.forms import Form
from web.keys import SESSIONS
from web.practice.charts import pace_chart
from web.practice.review_views import ReviewBlock, review_blocks
from web.render import gettext_for, request_language

BAND_LABELS = {
    "too_slow": N_("Slow"),
    "good": N_("Good"),
    "too_fast": N_("Fast"),
    "too_short": N_("Short"),
    "too_long": N_("Long"),
    "fine": N_("Fine"),
    "noticeable": N_("Noticeable"),
    "too_many": N_("Too many"),
    "none": N_("Not measured"),
}
STAR_LABELS = {
    "situation": N_("Situation"),
    "task": N_("Task"),
    "action": N_("Action"),
    "result": N_("Result"),
}


def script_json(value: object) -> str:
    """JSON safe inside a <script> element (no "</script>" can close it early)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


@dataclass
class AnswerBlock:
    """One answer's feedback as the partial ``practice/_answer.html`` shows it."""

    session_id: int
    take: PracticeTake
    view: views.AnswerView | None
    question: dict[str, Any]
    chart: str = ""
    media_base: str = ""
    comments: list[coach.CommentView] = field(default_factory=list)


def answer_block(
    request: web.Request,
    row: PracticeSession,
    take: PracticeTake,
    comments: list[coach.CommentView] | None = None,
) -> AnswerBlock:
    lang = request_language(request)
    _ = gettext_for(request)
    view = views.answer_view(take, lang)
    chart = ""
    if view is not None and not view.no_speech and view.pace.get("series"):
        unit = _("words per minute") if view.pace.get("unit") == "wpm" else _("syllables per minute")
        chart = pace_chart(
            view.pace["series"],
            view.pace.get("limits") or {"slow_below": 0, "fast_above": 0},
            title=_("Pace over the answer"),
            description=_(
                "Your pace in %(unit)s at each moment of the answer; the green band is a comfortable pace.",
                unit=unit,
            ),
            unit_label=unit,
            chart_id=f"pace-{take.id}",
        )
    return AnswerBlock(
        row.id,
        take,
        view,
        row.questions[take.question_index] if 0 <= take.question_index < len(row.questions) else {},
        chart,
        f"/practice/{row.id}/media/{take.id}",
        [c for c in comments or [] if c.take_id == take.id],
    )


@dataclass
class AnswerFragment:
    block: AnswerBlock
    band_labels: dict[str, str]
    star_labels: dict[str, str]
    owner: bool = True


def band_and_star_labels(request: web.Request) -> tuple[dict[str, str], dict[str, str]]:
    _ = gettext_for(request)
    return {k: _(v) for k, v in BAND_LABELS.items()}, {k: _(v) for k, v in STAR_LABELS.items()}


@dataclass
class ResultPage:
    row: PracticeSession
    questions: list[tuple[service.QuestionView, AnswerBlock | None]]
    band_labels: dict[str, str]
    star_labels: dict[str, str]
    tips: list[coach.CommentView]
    coaches: list[User]
    owner: bool
    senior_name: str = ""
    comment_form: Form = field(default_factory=Form)
    #: take id -> the coach's comments and sent reviews of the answer (web/practice/review_views.py)
    reviews: dict[int, ReviewBlock] = field(default_factory=dict)
    #: comment id -> the reply form that came back with an error
    reply_forms: dict[int, Form] = field(default_factory=dict)
    #: the coach every new session is shared with (the senior's own page only)
    standing_coach: User | None = None


async def result_page(
    request: web.Request, row: PracticeSession, *, owner: bool, senior_name: str = ""
) -> ResultPage:
    """The session's answers with their feedback and coach review. The senior (``owner``) sees
    only reviews the coach has sent and their comments; the coach sees their drafts too."""
    sessions = request.app[SESSIONS]
    comments = await coach.comments_of(sessions, row.id, for_senior=owner)
    sent = await reviews.sent_reviews(sessions, row.id)
    qviews = await service.question_views(sessions, row)
    blocks = []
    review_of: dict[int, ReviewBlock] = {}
    for v in qviews:
        counting = v.counting
        blocks.append((v, answer_block(request, row, counting) if counting else None))
        if counting is not None:
            review_of[counting.id] = review_blocks(
                request, row, counting, comments, sent.get(counting.id, [])
            )
    bands, stars = band_and_star_labels(request)
    return ResultPage(
        row,
        blocks,
        bands,
        stars,
        [c for c in comments if c.kind == "tip"],
        await service.coaches(sessions) if owner else [],
        owner,
        senior_name,
        reviews=review_of,
        standing_coach=await service.standing_coach(sessions, row.senior_id) if owner else None,
    )
