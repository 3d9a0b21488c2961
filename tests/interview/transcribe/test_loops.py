"""Whisper's repetition loops collapse to one occurrence; ordinary text, natural repetition and a sentence
said again stay as they were."""

from __future__ import annotations

from interview.transcribe.loops import collapse_loop, collapse_words, compression_ratio
from interview.transcribe.types import Segment, Word


def _segment(text: str, start: float = 0.0) -> Segment:
    words = tuple(Word(w, start + i * 0.3, start + i * 0.3 + 0.25, 0.9) for i, w in enumerate(text.split()))
    return Segment(start, start + len(words) * 0.3, text, words)


def test_a_loop_of_a_short_phrase_is_kept_once_with_its_timings() -> None:
    # what tiny.en wrote for ten seconds of robotic speech through Opus in a full test run
    text = "I work Tana Plant Manager for 20 years. " + "Good morning. " * 57
    segment = _segment(text.strip(), start=15.8)
    assert compression_ratio(segment.text) > 2.4
    collapsed = collapse_loop(segment)
    assert collapsed.text == "I work Tana Plant Manager for 20 years. Good morning."
    assert [w.word for w in collapsed.words][-2:] == ["Good", "morning."]
    assert collapsed.words[-2].start == segment.words[8].start  # the first occurrence's timing
    assert (collapsed.start, collapsed.end) == (segment.start, segment.end)


def test_ordinary_and_naturally_repeated_text_stays() -> None:
    plain = _segment("I managed quality for twenty years at a parts maker in Hwaseong.")
    assert collapse_loop(plain) is plain
    # a long sentence said again (the test audio loops its sentence) is not a loop of a short phrase
    again = _segment(("Good morning. I worked as a plant manager for twenty five years. " * 4).strip())
    assert compression_ratio(again.text) > 2.4
    assert collapse_loop(again) == again
    # three in a row is speech ("no, no, no"), four or more of a short phrase is a loop
    three = _segment("no no no that is right")
    assert collapse_words(three.words) == three.words
    four = _segment("so so so so we began")
    assert [w.word for w in collapse_words(four.words)] == ["so", "we", "began"]
