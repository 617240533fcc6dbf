"""Fill French translations into locale/fr/LC_MESSAGES/django.po from JSON sources.

Usage: python scripts/fill_translations.py
Every locale/fr/sources/*.json maps English msgids to French strings (a list of two strings
for plural forms). Each part of the code base keeps its own JSON file, so people working in
parallel never edit the same file; `make messages` extracts the msgids and runs this script.
It prints the msgids still untranslated and exits 1 when there are any.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "fr"
PO = LOCALE / "LC_MESSAGES" / "django.po"


def main() -> int:
    translations = {}
    for source in sorted((LOCALE / "sources").glob("*.json")):
        translations.update(json.loads(source.read_text(encoding="utf-8")))
    with open(PO, "rb") as handle:
        catalog = read_po(handle, locale="fr")
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in translations:
            value = translations[key]
            if isinstance(message.id, tuple):
                message.string = tuple(value) if isinstance(value, list) else (value, value)
            else:
                message.string = value
            message.flags.discard("fuzzy")
    with open(PO, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    missing = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    for msgid in missing:
        print("UNTRANSLATED:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
