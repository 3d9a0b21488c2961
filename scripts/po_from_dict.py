"""Write a Korean .po file from a Python mapping (used once to seed a catalog; then the .po is the source)."""

from __future__ import annotations

import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po


def write(path: str, translations: dict[str, str]) -> None:
    catalog = Catalog(locale="ko", project="AllWork Interview", charset="utf-8")
    for msgid, msgstr in translations.items():
        catalog.add(msgid, msgstr)
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False, sort_output=False)


if __name__ == "__main__":
    print("import and call write()", file=sys.stderr)
