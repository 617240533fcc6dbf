"""Fill French translations into locale/fr/LC_MESSAGES/django.po from a JSON object.

Usage: python scripts/fill_translations.py translations.json
The JSON maps English msgids to French strings. Only entries that exist in the catalog are
written; the script prints the msgids still untranslated afterwards, so a developer sees what
is left. Run `make messages` first so the catalog holds every msgid of the code.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def main(path: str) -> int:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
