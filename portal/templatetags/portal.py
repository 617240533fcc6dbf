"""Template helpers used on every page (loaded as builtins)."""

from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


def current_locale() -> str:
    """Babel locale of the active language: fr-ca -> fr_CA, en -> en_CA (Canadian dollars)."""
    return _babel_locale_name(get_language() or "fr-ca")


@cache
def _babel_locale_name(language: str) -> str:
    # A dashboard formats about 600 numbers: the language's locale is worked out once.
    return "en_CA" if to_locale(language).startswith("en") else "fr_CA"


# Amounts, numbers and shares. Babel parses the locale and the pattern on every call (about
# 0.1 ms, and a dashboard writes about 500 numbers): the locale's separators are read once,
# then Python writes the digits, to the same text (tests/portal/test_formatting.py compares
# them with Babel's). Anything that is not a finite number goes to Babel as before.
@cache
def babel_locale(name: str) -> Locale:
    """Babel's locale, parsed once: Babel parses a locale given by name on every call."""
    return Locale.parse(name)


@cache
def _style(locale: str) -> tuple[dict, str, str]:
    """The locale's separators (a str.translate table from Python's 1,234.5) and what comes
    before and after the digits of an amount in dollars ('$' and '' or '' and ' $')."""
    symbols = babel_locale(locale).number_symbols["latn"]
    separators = str.maketrans({",": symbols["group"], ".": symbols["decimal"]})
    one = format_currency(Decimal(1), "CAD", locale=locale)
    before, _one, after = one.partition("1" + symbols["decimal"] + "00")
    return separators, before, after


def _finite(value) -> Decimal | None:
    """The value as a finite Decimal; None when it is not one (Babel then decides)."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _digits(amount: Decimal, places: int, separators: dict) -> str:
    # Decimal's format rounds half to even, as Babel does.
    return f"{amount:,.{places}f}".translate(separators)


@register.filter
def money(value, digits: int = 2) -> str:
    """12345.67 -> '12 345,67 $' in French, '$12,345.67' in English."""
    if value is None or value == "":
        return "—"
    amount = _finite(value)
    if amount is not None and int(digits) == 2:
        separators, before, after = _style(current_locale())
        written = _digits(amount, 2, separators)
        if written[0] == "-":
            return "-" + before + written[1:] + after
        return before + written + after
    return babel_money(value, digits)


def babel_money(value, digits: int = 2) -> str:
    """money() by Babel alone."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    pattern = None if int(digits) == 2 else ("#,##0 ¤" if current_locale() == "fr_CA" else "¤#,##0")
    return format_currency(
        amount, "CAD", format=pattern, locale=current_locale(), currency_digits=int(digits) == 2
    )


@register.filter
def number(value, digits: int = 0) -> str:
    if value is None or value == "":
        return "—"
    amount = _finite(value)
    if amount is not None:
        return _digits(amount, int(digits), _style(current_locale())[0])
    return babel_number(value, digits)


def babel_number(value, digits: int = 0) -> str:
    """number() by Babel alone."""
    if value is None or value == "":
        return "—"
    pattern = "#,##0" + ("." + "0" * int(digits) if int(digits) else "")
    return format_decimal(Decimal(str(value)), format=pattern, locale=current_locale())


def _percent_suffix() -> str:
    return "%" if current_locale() == "en_CA" else "\xa0%"


@register.filter
def percent(value, digits: int = 1) -> str:
    """A share in 0..1 -> '28,6 %'; None (undefined share) -> '—'."""
    if value is None or value == "":
        return "—"
    amount = _finite(value)
    if amount is not None:
        separators = _style(current_locale())[0]
        return _digits(amount * 100, int(digits), separators) + _percent_suffix()
    return babel_percent(value, digits)


def babel_percent(value, digits: int = 1) -> str:
    """percent() by Babel alone."""
    if value is None or value == "":
        return "—"
    pattern = "#,##0" + ("." + "0" * int(digits) if int(digits) else "") + _percent_suffix()
    return format_percent(Decimal(str(value)), format=pattern, locale=current_locale())


@register.simple_tag(takes_context=True)
def active(context, prefix: str) -> str:
    """'page' when the current path is under prefix, for aria-current in navigation."""
    request = context.get("request")
    if request is not None and request.path.startswith(prefix):
        return "page"
    return ""
