"""``allwork feedback``: real audio, the real Whisper model, the JSON and text reports, bad input."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from interview.practice import cli
from interview.transcribe.engine import Engine
from tests.interview.practice.conftest import PauseClip
from tests.interview.practice.feedback.test_report import REQUIRED


def _run(settings: Settings, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="allwork")
    cli.register(parser.add_subparsers())
    args = parser.parse_args(["feedback", *argv])
    return int(args.func(args, settings))


def _json(capsys: pytest.CaptureFixture[str], settings: Settings, *argv: str) -> dict[str, Any]:
    assert _run(settings, *argv, "--json") == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_known_pause_keywords_and_every_key(
    pause_clip: PauseClip, practice_settings: Settings, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(
        capsys,
        practice_settings,
        str(pause_clip.path),
        "--question",
        "proudest-achievement",
        "--keywords",
        "quality control, safety",
    )
    assert data.keys() >= REQUIRED
    assert data["language"] == "en" and data["no_speech"] is False
    assert "quality control" in data["text"].lower()
    (pause,) = data["pauses"]
    assert pause["start"] == pytest.approx(pause_clip.pause_start, abs=0.3)
    assert pause["duration"] == pytest.approx(pause_clip.pause_length, abs=0.3)
    assert data["keywords"]["found"] == ["quality control"] and data["keywords"]["missing"] == ["safety"]
    assert data["length"]["suggested"] == 90 and data["question"]["id"] == "proudest-achievement"
    assert data["pace"]["unit"] == "wpm" and data["pace"]["band"] in ("too_slow", "good", "too_fast")
    assert len(data["tips"]) == 3


@pytest.mark.slow
def test_spoken_fillers_are_counted(
    filler_clip: tuple[Path, int],
    practice_settings: Settings,
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, spoken = filler_clip
    assert _run(practice_settings, str(path), "--language", "en") == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("Fillers: "))
    count = int(line.split()[1].rstrip(","))
    assert spoken - 1 <= count <= spoken, out
    assert "[Um,]" in out or "[um,]" in out  # marked in the transcript


@pytest.mark.parametrize("fixture", ["silent_file", "digital_silence", "noise_file"])
def test_no_speech(
    fixture: str,
    request: pytest.FixtureRequest,
    practice_settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path: Path = request.getfixturevalue(fixture)
    data = _json(capsys, practice_settings, str(path), "--language", "en")
    assert data["no_speech"] is True and data["text"] == "" and data["words"] == []
    assert data["fillers"] == [] and data["pauses"] == []
    assert data["tips"][0]["code"] == "no_speech"
    assert data["duration"] == pytest.approx(5.0 if fixture == "digital_silence" else 6.0, abs=0.05)


def test_korean_report_on_silence(
    silent_file: Path, practice_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(practice_settings, str(silent_file), "--language", "ko", "--question", "health-stamina") == 0
    out = capsys.readouterr().out
    assert "질문: 체력이나 건강 면에서" in out
    assert "이 녹음에서는 말소리가 들리지 않았습니다." in out and "도움말:" in out


def test_bad_files_and_questions_fail_clearly(
    tmp_path: Path, silent_file: Path, practice_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(practice_settings, str(tmp_path / "missing.wav")) == 2
    assert "missing.wav does not exist" in capsys.readouterr().err
    text = tmp_path / "notes.wav"
    text.write_text("this is not a recording\n" * 20)
    assert _run(practice_settings, str(text)) == 2
    assert "notes.wav" in capsys.readouterr().err
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert _run(practice_settings, str(empty)) == 2
    assert "empty" in capsys.readouterr().err
    assert _run(practice_settings, str(silent_file), "--question", "no-such-question") == 2
    assert "no-such-question" in capsys.readouterr().err


def test_free_text_question_has_no_suggested_length(
    silent_file: Path, practice_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(capsys, practice_settings, str(silent_file), "--question", "Why trucks?", "--language", "en")
    assert data["question"] == {"id": None, "text": "Why trucks?"}
    assert data["length"]["suggested"] is None


def test_command_is_registered_with_its_options() -> None:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    args = parser.parse_args(["feedback", "a.wav", "--keywords", "a,b", "--language", "ko", "--json"])
    assert args.file == "a.wav" and args.keywords == "a,b" and args.language == "ko" and args.json
    with pytest.raises(SystemExit):
        parser.parse_args(["feedback", "a.wav", "--language", "fr"])
