"""What a coach's review of one answer shows, for the senior's result page and the coach's pages:
the comments (a moment or a span of words, quoted from the transcript) with their replies, and
the ratings with their words."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from interview.practice import coach, reviews, views
from interview.practice.models import PracticeSession, PracticeTake
from web.render import gettext_for, request_language


def clock_text(seconds: float | None) -> str:
    """``65.4`` -> ``"1:05"``."""
    if seconds is None:
        return ""
    s = int(seconds + 0.5)  # half up, as people (and the page's script) round
    return f"{s // 60}:{s % 60:02d}"


@dataclass(frozen=True, slots=True)
class CommentItem:
    comment: coach.CommentView
    at_text: str
    until_text: str
    quote: str  #: the words of the span (or the word at the moment), from the transcript


@dataclass(frozen=True, slots=True)
class RatingRow:
    criterion: str
    label: str
    value: int | None
    words: str  #: "4 · 좋음"


@dataclass(frozen=True, slots=True)
class SentReview:
    review: reviews.ReviewView
    ratings: list[RatingRow]
    sent_text: str = ""


@dataclass
class ReviewBlock:
    session_id: int
    take_id: int
    question_index: int
    comments: list[CommentItem] = field(default_factory=list)
    reviews: list[SentReview] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RatingScale:
    criterion: str
    label: str
    levels: list[tuple[int, str, str]]  #: (value, level word, what it means: for 1, 3 and 5)


def rating_scales(request: web.Request) -> list[RatingScale]:
    _ = gettext_for(request)
    return [
        RatingScale(
            c,
            _(reviews.CRITERION_LABELS[c]),
            [
                (n, _(reviews.LEVEL_WORDS[n]), _(reviews.ANCHORS[c][n]) if n in reviews.ANCHORS[c] else "")
                for n in reviews.RATINGS
            ],
        )
        for c in reviews.CRITERIA
    ]


def _quote(words: list[views.Token], start: float | None, end: float | None) -> str:
    if start is None:
        return ""
    if end is None:  # the word being said at that moment (or the next one)
        after = [w for w in words if w.end > start]
        return after[0].text if after else ""
    return " ".join(w.text for w in words if w.end > start and w.start < end)


def review_blocks(
    request: web.Request,
    row: PracticeSession,
    take: PracticeTake,
    comments: list[coach.CommentView],
    sent: list[reviews.ReviewView],
) -> ReviewBlock:
    _ = gettext_for(request)
    view = views.answer_view(take, request_language(request))
    words = [t for t in view.tokens if t.kind == "word"] if view else []
    items = [
        CommentItem(
            c, clock_text(c.at_seconds), clock_text(c.end_seconds), _quote(words, c.at_seconds, c.end_seconds)
        )
        for c in comments
        if c.take_id == take.id and c.kind == "comment"
    ]
    out = []
    for r in sent:
        rows = []
        for c in reviews.CRITERIA:
            value = r.ratings.get(c)
            said = f"{value} · {_(reviews.LEVEL_WORDS[value])}" if value else ""
            rows.append(RatingRow(c, _(reviews.CRITERION_LABELS[c]), value, said))
        out.append(SentReview(r, rows))
    return ReviewBlock(row.id, take.id, take.question_index, items, out)
