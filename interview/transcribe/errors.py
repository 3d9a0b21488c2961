"""Errors of the transcription package, in the project's error vocabulary.

Every message is an English gettext msgid (Korean in ``interview/transcribe/translations/ko/transcribe.po``);
``params`` carry the values interpolated with ``%(name)s``. A file is named by its base
name only, so a user never sees a server path.
"""

from __future__ import annotations

import os

from core.errors import AllWorkError


class TranscriptionError(AllWorkError):
    code = "transcription_failed"
    message = "The recording could not be transcribed. Please try again."
    status = 500


class AudioError(AllWorkError):
    """A file that cannot be turned into 16 kHz speech samples. Never retried."""

    code = "bad_audio"
    message = "The file %(file)s could not be read as audio."
    status = 422

    def __init__(self, path: str | os.PathLike[str], **params: object) -> None:
        self.path = os.fspath(path)
        super().__init__(params={"file": os.path.basename(self.path), **params})

    def __str__(self) -> str:
        return self.message % self.params


class AudioNotFound(AudioError):
    code = "audio_not_found"
    message = "The file %(file)s does not exist."
    status = 404


class NotAudio(AudioError):
    code = "not_audio"
    message = "The file %(file)s is not an audio or video recording."


class EmptyAudio(AudioError):
    code = "empty_audio"
    message = "The file %(file)s is empty: it contains no sound."


class NoAudioStream(AudioError):
    code = "no_audio_stream"
    message = "The file %(file)s has no sound track."


class CorruptAudio(AudioError):
    code = "corrupt_audio"
    message = "The file %(file)s is damaged and cannot be played to the end."


class TruncatedAudio(CorruptAudio):
    code = "truncated_audio"
    message = (
        "The file %(file)s is cut short: it should last %(expected)s seconds but only %(got)s can be read."
    )


class AudioTooLong(AudioError):
    code = "audio_too_long"
    message = "The file %(file)s is longer than %(limit)s seconds, the longest recording we accept."
    status = 413


class ModelUnavailable(AllWorkError):
    """The configured Whisper model is neither bundled, nor a folder on disk, nor downloadable."""

    code = "model_unavailable"
    message = "The speech recognition model is not available. Please tell the administrator."
    status = 503

    def __init__(self, detail: str) -> None:
        #: what to install or which setting to change; for the log and the command line
        self.detail = detail
        super().__init__()

    def __str__(self) -> str:
        return self.detail


class LanguageNotSupported(AllWorkError):
    code = "language_not_supported"
    message = "This speech model cannot transcribe %(language)s."
    status = 422

    def __init__(self, language: str, model: str) -> None:
        super().__init__(params={"language": language, "model": model})

    def __str__(self) -> str:
        return f"model {self.params['model']} cannot transcribe language {self.params['language']!r}"


class JobNotFound(AllWorkError):
    code = "transcription_job_not_found"
    message = "We could not find that transcription."
    status = 404
