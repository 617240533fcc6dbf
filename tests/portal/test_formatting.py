"""The amount, number and share filters: the locale's separators read once, then the same
text as Babel writes on every call."""

from decimal import Decimal

import pytest
from django.utils import translation

from portal.templatetags import portal

FORMATTED = [
    None,
    "",
    "n/a",
    0,
    7,
    -3,
    40000,
    1234567.891,
    0.5,
    True,
    Decimal("-0"),
    Decimal("0.005"),
    Decimal("0.015"),
    Decimal("-0.004"),
    Decimal("0.28571428"),
    Decimal("12345.675"),
    Decimal("-12345.665"),
    Decimal("1E+3"),
    Decimal("1E-10"),
    Decimal("123456789012345.995"),
    Decimal("NaN"),
    Decimal("Infinity"),
]


def _outcome(function, *args):
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 - the filter's own error is part of its answer
        return type(error)


@pytest.mark.parametrize("language", ["fr-ca", "en"])
@pytest.mark.parametrize("value", FORMATTED)
def test_numbers_are_written_as_babel_writes_them(language, value):
    with translation.override(language):
        for name, args in [
            ("money", (value,)),
            ("number", (value,)),
            ("number", (value, 1)),
            ("percent", (value,)),
            ("percent", (value, 0)),
        ]:
            fast, babel = getattr(portal, name), getattr(portal, f"babel_{name}")
            assert _outcome(fast, *args) == _outcome(babel, *args), (name, args)
