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
    with (ROOT / "matching" / "translations" / "ko" / "matching.po").open("rb") as fh:
        catalog = read_po(fh)
    translated = {m.id: m.string for m in catalog if m.id}
    ids = _message_ids()
    assert len(ids) > 50
    missing = sorted(i for i in ids if not translated.get(i))
    assert missing == []
    for msgid, text in translated.items():
        assert isinstance(msgid, str) and isinstance(text, str), msgid  # no plural forms here
        assert sorted(PARAM.findall(text)) == sorted(PARAM.findall(msgid)), msgid
