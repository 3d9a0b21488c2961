"""Repeated words and restarts."""

from __future__ import annotations

from interview.practice.feedback.fillers import find_fillers
from interview.practice.feedback.repetitions import find_repetitions
from tests.interview.practice.feedback.timeline import timeline


def _reps(text: str, language: str = "en", **kw: object) -> list[tuple[str, str]]:
    words = timeline(text, **kw)  # type: ignore[arg-type]
    return [(r.kind, r.text) for r in find_repetitions(words, language, find_fillers(words, language))]


def test_repeated_word_and_phrase() -> None:
    assert _reps("I, I worked in sales.") == [("repeat", "I")]
    assert _reps("I was, I was the manager.") == [("repeat", "I was")]
    assert _reps("저는 저는 품질을 관리했습니다", "ko") == [("repeat", "저는")]


def test_fillers_between_repeats_are_skipped() -> None:
    assert _reps("I, um, I worked there.") == [("repeat", "I")]
    assert _reps("제가 음 제가 맡았습니다", "ko") == [("repeat", "제가")]


def test_restart_after_a_break() -> None:
    assert _reps("We went... we had gone to the plant.") == [("restart", "We went")]
    assert _reps("We went we had gone there", pauses={1: 0.6}) == [("restart", "We went")]


def test_lists_and_counts_are_not_stumbles() -> None:
    assert _reps("I planned, I checked, I reported.") == []
    assert _reps("We had two two-ton trucks and ten people.") == []
    assert _reps("The code was 2 2 4.") == []


def test_times_point_at_the_stumble() -> None:
    words = timeline("Then I, I decided to stay.")
    (rep,) = find_repetitions(words, "en")
    assert rep.start == words[1].start and rep.end == words[2].end
