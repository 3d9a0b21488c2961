"""The JSON shape of the feedback (``allwork feedback --json``)."""

from __future__ import annotations

import json

import numpy as np

from interview.practice.feedback import analyze
from interview.practice.feedback.report import clock
from interview.practice.feedback.speech import speech_map_from_spans
from tests.interview.practice.feedback.timeline import timeline, transcript

REQUIRED = {
    "language",
    "duration",
    "speaking_time",
    "text",
    "pace",
    "pauses",
    "fillers",
    "repetitions",
    "keywords",
    "structure",
    "tips",
    "no_speech",
}


def _fb():  # noqa: ANN202
    first = timeline("Um, I, I worked in quality control for twenty years.", start=0.4)
    second = timeline("We cut defects by half.", start=first[-1].end + 3.0)
    speech = speech_map_from_spans(10.0, [(0.4, first[-1].end), (second[0].start, second[-1].end)])
    audio = np.zeros(16000, dtype=np.float32)
    return analyze(
        audio, transcript(first + second, "en", 10.0), keywords=["quality", "safety"], speech=speech
    )


def test_json_has_every_key_with_its_parts() -> None:
    data = json.loads(json.dumps(_fb().to_dict()))
    assert data.keys() >= REQUIRED
    assert {"unit", "value", "band"} <= data["pace"].keys()
    (pause,) = data["pauses"]
    assert {"start", "end", "duration"} <= pause.keys() and pause["duration"] == 3.0
    assert data["fillers"][0]["text"] == "um" and "start" in data["fillers"][0]
    assert data["repetitions"][0]["text"] == "I"
    assert data["keywords"] == {
        "found": ["quality"],
        "missing": ["safety"],
        "at": {"quality": data["words"][5]["start"]},
    }
    assert set(data["structure"]) >= {"situation", "task", "action", "result"}
    assert all({"text", "at", "code"} <= t.keys() for t in data["tips"])
    assert data["no_speech"] is False and data["time_to_first_word"] == 0.4


def test_tips_follow_the_requested_language() -> None:
    fb = _fb()
    english = fb.to_dict()["tips"][0]["text"]
    korean = fb.to_dict(language="ko")["tips"][0]["text"]
    assert english != korean and any("\uac00" <= ch <= "\ud7a3" for ch in korean)


def test_clock() -> None:
    assert clock(0) == "0:00" and clock(75.4) == "1:15" and clock(59.6) == "1:00"
