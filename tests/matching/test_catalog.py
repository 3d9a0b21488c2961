"""Every English message the matching domain may show has a Korean translation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PARAM = re.compile(r"%\((\w+)\)s")


def _message_ids() -> set[str]:
    """String constants that read as user messages (a sentence, or one starting with a parameter)."""
    found: set[str] = set()
    for path in sorted((ROOT / "matching").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = set()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                and node.body
            ):
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    docstrings.add(id(first.value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                v = node.value
                if (
                    (v[:1].isupper() or v.startswith("%("))
                    and " " in v
                    and v.endswith((".", "?"))
                    and "\n" not in v
                ):
                    found.add(v)
    return found


def test_every_message_is_translated() -> None:
    translated: dict[str, str] = {}
    for po in sorted((ROOT / "matching" / "translations" / "ko").glob("*.po")):  # as the app merges them
        with po.open("rb") as fh:
            for m in read_po(fh):
                assert isinstance(m.id, str) and isinstance(m.string, str), m.id  # no plural forms here
                if m.id:
                    translated[m.id] = m.string
    ids = _message_ids()
    assert len(ids) > 50
    missing = sorted(i for i in ids if not translated.get(i))
    assert missing == []
    for msgid, text in translated.items():
        used, asked = set(PARAM.findall(text)), set(PARAM.findall(msgid))
        assert used <= _korean_params(msgid), msgid  # nothing the code does not supply
        assert {p for p in asked if not p.endswith("_en")} <= used, msgid  # nothing left out


def _korean_params(msgid: str) -> set[str]:
    """The parameters a Korean text may name: the msgid's, and for an English place name (``place_en``)
    its Korean form (``place``) and that form with its particle (``place_topic``, see scoring.py)."""
    params = set(PARAM.findall(msgid))
    korean = {p.removesuffix("_en") for p in params if p.endswith("_en")}
    return (
        params | korean | {f"{k}_{particle}" for k in korean for particle in ("topic", "subject", "object")}
    )
