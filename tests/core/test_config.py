from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import ConfigError, Settings, load_settings

DOCS = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_defaults_need_nothing_else(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.effective_database_url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'allwork.db'}"
    assert settings.redis_url is None
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)


def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLWORK_PORT", "eighty")
    with pytest.raises(ConfigError, match="ALLWORK_PORT"):
        load_settings()


def test_blank_urls_mean_unset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ALLWORK_REDIS_URL", "  ")
    assert load_settings(data_dir=tmp_path).redis_url is None


def test_secret_key_generated_once_and_kept_private(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    first = settings.secret()
    assert len(first) >= 32
    assert load_settings(data_dir=tmp_path).secret() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_never_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLWORK_SECRET_KEY", "x" * 40)
    settings = load_settings()
    assert "x" * 40 not in repr(settings)
    assert "x" * 40 not in str(settings.model_dump())


def test_short_secret_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLWORK_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="ALLWORK_SECRET_KEY"):
        load_settings().secret()


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"`(ALLWORK_[A-Z_]+)`", DOCS.read_text(encoding="utf-8")))
    fields = {"ALLWORK_" + name.upper() for name in Settings.model_fields}
    assert fields - documented == set(), "settings missing from docs/configuration.md"
    assert documented - fields == set(), "docs/configuration.md names settings that do not exist"


def test_every_setting_is_read_by_the_code() -> None:
    """A documented setting that nothing reads promises what it does not do (ALLWORK_MAX_UPLOAD_BYTES did)."""
    root = DOCS.parents[1]
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for package in ("core", "matching", "interview", "web")
        for path in (root / package).rglob("*.py")
    )
    unread = {name for name in Settings.model_fields if not re.search(rf"\.{name}\b", sources)}
    assert unread == set(), f"settings that no code reads: {sorted(unread)}"
