"""Whisper's repetition loops, collapsed.

On unclear audio (robotic speech through Opus, noise) Whisper sometimes falls into a loop and writes one
short phrase over and over ("Good morning. Good morning. Good morning. …" for ten seconds). Its own guard,
the gzip compression ratio of the text above 2.4, triggers a temperature fallback that does not always get
out of it. A segment whose text is still that repetitive keeps each run of a short phrase (one to four
words) repeated four or more times in a row as one occurrence, with its word timings; everything else stays
as Whisper wrote it, so natural repetition ("very, very good") and a speaker saying a long sentence again
are untouched.

A loop can also stay inside one word: on real Korean speech the base model wrote "의" sixty times
with no space between, which is one word to the word splitter. A run of one to four letters repeated
six times or more inside a word is kept once, whatever the compression ratio ("ㅋㅋ" or "하하하" stay; digits
are never touched, so "10000" stays). A segment whose loop was collapsed is marked ``uncertain``.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import replace

from interview.transcribe.types import Segment, Word

#: Whisper's own threshold for a repetitive decode (gzip compression ratio of the text)
MAX_COMPRESSION = 2.4
#: the longest phrase (in words) whose run is collapsed, and how many times in a row makes a loop
MAX_PHRASE_WORDS = 4
MIN_REPEATS = 4
#: inside one word: a run of one to four letters (not digits) repeated this many times or more
MIN_LETTER_REPEATS = 6
_LETTER_LOOP = re.compile(r"([^\W\d_]{1,4}?)\1{" + str(MIN_LETTER_REPEATS - 1) + ",}")


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def _key(word: str) -> str:
    return re.sub(r"[^\w]", "", word.lower())


def collapse_words(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """``words`` with every run of a 1–4-word phrase repeated at least four times in a row kept once."""
    keys = [_key(w.word) for w in words]
    out: list[Word] = []
    i = 0
    while i < len(words):
        for size in range(1, MAX_PHRASE_WORDS + 1):
            phrase = keys[i : i + size]
            if len(phrase) < size or not any(phrase):
                continue
            repeats = 1
            while keys[i + repeats * size : i + (repeats + 1) * size] == phrase:
                repeats += 1
            if repeats >= MIN_REPEATS:
                out.extend(words[i : i + size])
                i += repeats * size
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def collapse_letters(text: str) -> str:
    """``text`` with every run of a 1–4-letter unit repeated six times or more in a row kept once."""
    return _LETTER_LOOP.sub(r"\1", text)


def collapse_loop(segment: Segment) -> Segment:
    """The segment with its repetition loops collapsed and marked uncertain; unchanged (the same
    object) when it has none."""
    repetitive = compression_ratio(segment.text) > MAX_COMPRESSION
    inner = tuple(replace(w, word=collapse_letters(w.word)) for w in segment.words)
    text = collapse_letters(segment.text)
    changed = inner != segment.words or text != segment.text
    words = inner
    if repetitive and words:
        words = collapse_words(inner)
        if len(words) != len(inner):
            text, changed = " ".join(w.word for w in words), True
    if not changed:
        return segment
    return replace(segment, text=text, words=words, uncertain=True)
