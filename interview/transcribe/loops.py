"""Whisper's repetition loops, collapsed.

On unclear audio (robotic speech through Opus, noise) Whisper sometimes falls into a loop and writes one
short phrase over and over ("Good morning. Good morning. Good morning. …" for ten seconds). Its own guard,
the gzip compression ratio of the text above 2.4, triggers a temperature fallback that does not always get
out of it. A segment whose text is still that repetitive keeps each run of a short phrase (one to four
words) repeated four or more times in a row as one occurrence, with its word timings; everything else stays
as Whisper wrote it, so natural repetition ("very, very good") and a speaker saying a long sentence again
are untouched.
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


def collapse_loop(segment: Segment) -> Segment:
    """The segment with its repetition loop collapsed; unchanged when its text is not repetitive."""
    if compression_ratio(segment.text) <= MAX_COMPRESSION or not segment.words:
        return segment
    words = collapse_words(segment.words)
    if len(words) == len(segment.words):
        return segment
    return replace(segment, text=" ".join(w.word for w in words), words=words)
