"""The route × role table of docs/security.md ("Who may open what"), read for the tests.

Each row names one route (``GET /practice/{sid}``) and, for each role, what a user of that role gets
when they call it without owning anything it names:

- ``yes``: the handler runs (a resource they cannot see still answers 404; never 403 nor the login page)
- ``no``: refused by role: 403 for a logged-in user; a visitor is sent to log in (the login page, or 401
  to a JSON call)
- ``403``: the role passes the gate but the handler refuses a user who lacks something more (a senior
  who was never hired may not write a know-how tip)
- ``404``: answered as if nothing were there (the route checks who may see the thing itself)
- ``token``: a WebSocket that admits by room token only (see docs/signaling.md)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
HEADING = "## Who may open what"
ROLES = ("visitor", "senior", "company", "coach", "scheduler", "admin")
CELLS = frozenset({"yes", "no", "403", "404", "token"})
_ROW = re.compile(r"^\|\s*`(GET|POST|PUT|PATCH|DELETE) (/[^`]*)`\s*\|(.*)\|\s*$")


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    cells: dict[str, str]

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path


def read_table(doc: Path = DOC) -> list[Row]:
    """The rows of the table under :data:`HEADING`; a malformed row is an error, not skipped."""
    text = doc.read_text(encoding="utf-8")
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    rows: list[Row] = []
    for line in text[start : end if end >= 0 else len(text)].splitlines():
        if not line.startswith("| `"):
            continue
        m = _ROW.match(line)
        if m is None:
            raise ValueError(f"docs/security.md: cannot read the row {line!r}")
        cells = [c.strip() for c in m.group(3).split("|")]
        if len(cells) != len(ROLES) or not set(cells) <= CELLS:
            raise ValueError(
                f"docs/security.md: row {line!r} needs {len(ROLES)} cells out of {sorted(CELLS)}"
            )
        rows.append(Row(m.group(1), m.group(2), dict(zip(ROLES, cells, strict=True))))
    return rows
