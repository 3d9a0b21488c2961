from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from core.config import Settings
from interview.transcribe.cli import register

from .conftest import JFK_WORDS, words_of


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


@pytest.mark.slow
def test_transcribe_json(model_settings: Settings, jfk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse(["transcribe", str(jfk), "--json", "--language", "en", "--model", "tiny.en"])
    assert args.func(args, model_settings) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"language", "duration", "text", "model", "segments"}
    assert data["language"] == "en" and data["model"] == "tiny.en" and data["duration"] == 11.0
    assert len(JFK_WORDS & words_of(data["text"])) >= 10
    word = data["segments"][0]["words"][0]
    assert set(word) == {"word", "start", "end", "probability"}
    assert set(data["segments"][0]) == {
        *("start", "end", "text", "words"),
        *("avg_logprob", "no_speech_prob", "compression_ratio", "uncertain"),  # Whisper's own confidence
    }
    assert data["segments"][0]["uncertain"] is False  # JFK, clearly spoken


@pytest.mark.slow
def test_transcribe_text(model_settings: Settings, jfk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse(["transcribe", str(jfk), "--model", "tiny.en"])
    assert args.func(args, model_settings) == 0
    out = capsys.readouterr()
    assert out.out.startswith("[00:00.") and "country" in out.out
    assert "transcribing" not in out.err  # no progress bar when stderr is not a terminal


def test_bad_file_exit_code(
    settings: Settings, bad_files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = _parse(["transcribe", str(bad_files["NoAudioStream"]), "--json"])
    assert args.func(args, settings) == 2
    assert "video_only.mp4 has no sound track" in capsys.readouterr().err


def test_unknown_model_exit_code(
    settings: Settings, jfk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    args = _parse(["transcribe", str(jfk), "--model", "large-v3"])
    assert args.func(args, settings) == 3
    assert "ALLWORK_WHISPER_MODEL" in capsys.readouterr().err


def test_worker_needs_redis(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse(["worker"])
    assert args.func(args, settings) == 2
    assert "ALLWORK_REDIS_URL" in capsys.readouterr().err


def test_language_choices() -> None:
    with pytest.raises(SystemExit):
        _parse(["transcribe", "x.wav", "--language", "fr"])


@pytest.mark.slow
def test_progress_bar_on_a_terminal(model_settings: Settings, jfk: Path, tmp_path: Path) -> None:
    """A long file on a real terminal (a pty as stderr) shows tqdm's bar up to the full duration.

    A fresh pty reports a size of 0x0, where tqdm alone draws nothing: the command falls back to 80x24.
    """
    import os
    import pty
    import subprocess
    import sys

    long = tmp_path / "long.wav"  # jfk three times: 33 s, past PROGRESS_MIN_SECONDS
    subprocess.run(["sox", str(jfk), str(jfk), str(jfk), str(long)], check=True)
    leader, follower = pty.openpty()
    env = {**os.environ, "ALLWORK_DATA_DIR": str(model_settings.data_dir), "ALLWORK_WHISPER_THREADS": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "interview.transcribe.cli", "transcribe", str(long), "--model", "tiny.en"],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    err = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        err += chunk
    out, _ = proc.communicate(timeout=120)
    os.close(leader)
    assert proc.returncode == 0, err
    bar = err.decode("utf-8", "replace")
    assert "transcribing" in bar and "33/33" in bar and "100%" in bar, bar
    assert out.decode().count("country") >= 3  # the transcript still goes to stdout
