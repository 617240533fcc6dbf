"""Every UI string exists in French: the catalog has no empty or fuzzy entry."""

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings


def _catalog():
    with open(Path(settings.BASE_DIR) / "locale/fr/LC_MESSAGES/django.po", "rb") as handle:
        return read_po(handle)


def test_the_french_catalog_has_no_untranslated_entry():
    untranslated = [
        message.id
        for message in _catalog()
        if message.id
        and (not message.string or (isinstance(message.string, tuple) and not all(message.string)))
    ]

    assert untranslated == []


def test_the_french_catalog_has_no_fuzzy_entry():
    fuzzy = [message.id for message in _catalog() if message.id and message.fuzzy]

    assert fuzzy == []


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")
    for message in _catalog():
        if not message.id or isinstance(message.id, tuple):
            continue
        assert set(placeholder.findall(message.id)) == set(placeholder.findall(message.string)), (
            message.id
        )
