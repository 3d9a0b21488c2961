from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from interview.transcribe import errors
from interview.transcribe.audio import SAMPLE_RATE, decode_audio, to_float32


@pytest.mark.parametrize("kind", ["good", "good_flac"])
def test_decodes_to_16k_mono_float32(bad_files: dict[str, Path], kind: str) -> None:
    samples = decode_audio(bad_files[kind])
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert 2.5 < len(samples) / SAMPLE_RATE < 6.0
    assert 0.01 < float(np.abs(samples).max()) <= 1.0


def test_decodes_a_44k_stereo_flac(jfk: Path) -> None:
    samples = decode_audio(jfk)
    assert abs(len(samples) / SAMPLE_RATE - 11.0) < 0.05


@pytest.mark.parametrize(
    ("kind", "error", "reason"),
    [
        ("NotAudio", errors.NotAudio, "is not an audio or video recording"),
        ("EmptyAudio", errors.EmptyAudio, "is empty"),
        ("TruncatedAudio", errors.TruncatedAudio, "is cut short"),
        ("CorruptAudio", errors.CorruptAudio, "is damaged"),
        ("NoAudioStream", errors.NoAudioStream, "has no sound track"),
        ("NoAudioStream_image", errors.NoAudioStream, "has no sound track"),
    ],
)
def test_bad_files_name_the_file_and_the_reason(
    bad_files: dict[str, Path], kind: str, error: type[errors.AudioError], reason: str
) -> None:
    path = bad_files[kind]
    with pytest.raises(error) as info:
        decode_audio(path)
    assert type(info.value) is error
    text = str(info.value)
    assert path.name in text and reason in text
    assert str(path.parent) not in text  # never a server path
    assert info.value.code and info.value.status in (404, 413, 422)


def test_too_long_is_refused_before_decoding_everything(bad_files: dict[str, Path]) -> None:
    with pytest.raises(errors.AudioTooLong, match=r"long\.wav is longer than 10 seconds"):
        decode_audio(bad_files["AudioTooLong"], max_seconds=10)
    assert len(decode_audio(bad_files["AudioTooLong"], max_seconds=20)) == 12 * SAMPLE_RATE


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.AudioNotFound, match="nothing.wav does not exist"):
        decode_audio(tmp_path / "nothing.wav")


def test_truncated_reports_lengths(bad_files: dict[str, Path]) -> None:
    with pytest.raises(errors.TruncatedAudio) as info:
        decode_audio(bad_files["TruncatedAudio"])
    expected = float(str(info.value.params["expected"]))
    got = float(str(info.value.params["got"]))
    assert got < expected * 0.6


def test_to_float32_scales_int16() -> None:
    pcm = np.array([0, 16384, -32768], dtype=np.int16)
    assert to_float32(pcm).tolist() == [0.0, 0.5, -1.0]
    with pytest.raises(TypeError):
        to_float32(np.array([1, 2], dtype=np.int64))
