"""Template helpers used on every page (loaded as builtins)."""

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal, format_percent
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


def current_locale() -> str:
    """Babel locale of the active language: fr-ca -> fr_CA, en -> en_CA (Canadian dollars)."""
    locale = to_locale(get_language() or "fr-ca")
    return "en_CA" if locale.startswith("en") else "fr_CA"


@register.filter
def money(value, digits: int = 2) -> str:
    """12345.67 -> '12 345,67 $' in French, '$12,345.67' in English."""
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
    pattern = "#,##0" + ("." + "0" * int(digits) if int(digits) else "")
    return format_decimal(Decimal(str(value)), format=pattern, locale=current_locale())


@register.filter
def percent(value, digits: int = 1) -> str:
    """A share in 0..1 -> '28,6 %'; None (undefined share) -> '—'."""
    if value is None or value == "":
        return "—"
    suffix = "%" if current_locale() == "en_CA" else "\xa0%"
    pattern = "#,##0" + ("." + "0" * int(digits) if int(digits) else "") + suffix
    return format_percent(Decimal(str(value)), format=pattern, locale=current_locale())


@register.simple_tag(takes_context=True)
def active(context, prefix: str) -> str:
    """'page' when the current path is under prefix, for aria-current in navigation."""
    request = context.get("request")
    if request is not None and request.path.startswith(prefix):
        return "page"
    return ""
