"""What the practice pages show, built from stored feedback."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from interview.practice.views import answer_view, session_measures, tokens


def _fb(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "language": "en",
        "no_speech": False,
        "words": [
            {"text": "I", "start": 0.0, "end": 0.2, "filler": False},
            {"text": "um", "start": 0.3, "end": 0.5, "filler": True},
            {"text": "worked", "start": 4.0, "end": 4.4, "filler": False},
        ],
        "pauses": [{"start": 0.6, "end": 3.9, "duration": 3.3}],
        "longest_pause": {"start": 0.6, "end": 3.9, "duration": 3.3},
        "pace": {"unit": "wpm", "value": 120, "count": 2, "band": "good", "series": []},
        "filler_rate": {"count": 1, "per_minute": 6.0, "band": "noticeable"},
        "keywords": {"found": ["worked"], "missing": ["team", "years", "result"]},
        "structure": {"score": 2},
        "fillers": [{"text": "um", "start": 0.3, "end": 0.5, "probable": False}],
        "tips": [{"text": "Pause less", "at": 0.6}],
    }
    base.update(over)
    return base


def test_pauses_are_placed_between_the_words_around_them() -> None:
    toks = tokens(_fb())
    assert [(t.kind, t.text) for t in toks] == [
        ("word", "I"),
        ("word", "um"),
        ("pause", ""),
        ("word", "worked"),
    ]
    assert toks[1].filler and toks[2].very_long


def test_answer_view_picks_the_viewers_language() -> None:
    take = SimpleNamespace(
        id=1, attempt=2, feedback={"ko": _fb(tips=[{"text": "덜 멈추세요", "at": 0.6}]), "en": _fb()}
    )
    view = answer_view(take, "ko")  # type: ignore[arg-type]
    assert view is not None and view.tips[0]["text"] == "덜 멈추세요" and view.attempt == 2
    assert answer_view(SimpleNamespace(id=1, attempt=1, feedback=None), "ko") is None  # type: ignore[arg-type]


def test_session_measures_average_the_counting_answers() -> None:
    row = SimpleNamespace(id=5, created_at=datetime(2026, 11, 25, tzinfo=UTC))
    takes = [
        SimpleNamespace(
            question_index=0, attempt=1, feedback={"en": _fb(pace={"unit": "wpm", "value": 300, "count": 5})}
        ),
        SimpleNamespace(question_index=0, attempt=2, feedback={"en": _fb()}),  # the retake counts
        SimpleNamespace(
            question_index=1, attempt=1, feedback={"en": _fb(no_speech=True)}
        ),  # silence is left out
    ]
    m = session_measures(row, takes)  # type: ignore[arg-type]
    assert m is not None
    assert (m.date, m.answers, m.pace_wpm, m.pace_spm) == ("11.25", 1, 120.0, None)
    assert m.keyword_share == 25.0 and m.longest_pause == 3.3 and m.fillers_per_min == 6.0
    assert session_measures(row, []) is None  # type: ignore[arg-type]


def test_an_unclear_answer_is_marked_and_left_out_of_the_averages() -> None:
    words = [
        {"text": "의", "start": 0.0, "end": 2.0, "filler": False, "uncertain": True},
        {"text": "회사", "start": 2.0, "end": 2.5, "filler": False, "uncertain": True},
    ]
    unclear = _fb(unclear=True, words=words, pace={"unit": "spm", "value": 14, "count": 0, "band": "none"})
    take = SimpleNamespace(id=3, attempt=1, feedback={"ko": unclear, "en": unclear})
    view = answer_view(take, "ko")  # type: ignore[arg-type]
    assert view is not None and view.unclear and all(t.uncertain for t in view.tokens if t.kind == "word")
    old = answer_view(SimpleNamespace(id=4, attempt=1, feedback={"en": _fb()}), "en")  # type: ignore[arg-type]
    assert old is not None and not old.unclear and not any(t.uncertain for t in old.tokens)  # stored before
    row = SimpleNamespace(id=5, created_at=datetime(2026, 11, 25, tzinfo=UTC))
    takes = [
        SimpleNamespace(question_index=0, attempt=1, feedback={"en": _fb()}),
        SimpleNamespace(question_index=1, attempt=1, feedback={"en": unclear}),
    ]
    m = session_measures(row, takes)  # type: ignore[arg-type]
    assert m is not None and m.answers == 1 and m.pace_spm is None  # the "14 syllables" is not averaged
