"""Whisper's repetition loops collapse to one occurrence; ordinary text, natural repetition and a sentence
said again stay as they were."""

from __future__ import annotations

from interview.transcribe.loops import collapse_letters, collapse_loop, collapse_words, compression_ratio
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


def test_a_loop_inside_one_word_is_collapsed_and_marked_uncertain() -> None:
    # what the base model wrote on real Korean speech: one syllable sixty times, no space between
    loop = "의" * 60
    words = (Word("저는", 0.0, 0.4, 0.9), Word(loop, 0.4, 6.0, 0.1), Word("했습니다.", 6.0, 6.5, 0.8))
    segment = Segment(0.0, 6.5, f"저는 {loop} 했습니다.", words)
    collapsed = collapse_loop(segment)
    assert collapsed.text == "저는 의 했습니다."
    assert [w.word for w in collapsed.words] == ["저는", "의", "했습니다."]
    assert collapsed.words[1].start == 0.4 and collapsed.uncertain
    assert collapse_letters("ㅋ" * 8 + " so" + "o" * 9) == "ㅋ so"


def test_a_loop_of_one_letter_words_is_collapsed() -> None:
    # Thai (and Chinese, Japanese) are split into words letter by letter: "บ บ บ …" eighty times
    text = "ดาส" + "บ" * 80
    words = tuple(Word(c, i * 0.1, i * 0.1 + 0.1, 0.1) for i, c in enumerate(text))
    collapsed = collapse_loop(Segment(0.0, 8.3, text, words))
    assert [w.word for w in collapsed.words] == ["ด", "า", "ส", "บ"] and collapsed.uncertain


def test_numbers_laughter_and_plain_text_are_not_loops() -> None:
    assert (
        collapse_letters("연봉은 10000000원, 하하하, 그래서 ㅋㅋㅋ")
        == "연봉은 10000000원, 하하하, 그래서 ㅋㅋㅋ"
    )
    plain = _segment("저는 이십 년 동안 품질 관리를 했습니다.")
    assert collapse_loop(plain) is plain and not plain.uncertain
