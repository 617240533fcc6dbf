"""The bilingual shell: French by default, English on request, formats per locale."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from portal.templatetags.portal import money, percent

pytestmark = pytest.mark.django_db


def test_home_page_is_in_french_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fr-CA"' in html
    assert "Acheter auprès des entreprises d'économie sociale" in html
    assert 'href="#main"' in html  # skip link


def test_visitor_can_switch_to_english_from_any_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)

    html = response.content.decode()
    assert 'lang="en-CA"' in html
    assert "Buy from social-economy enterprises" in html


def test_amounts_are_formatted_per_locale():
    with translation.override("fr-ca"):
        assert money(Decimal("12345.67")) == "12\xa0345,67\xa0$"
        assert percent(Decimal("0.2857")) == "28,6\xa0%"
    with translation.override("en"):
        assert money(Decimal("12345.67")) == "$12,345.67"
        assert percent(Decimal("0.2857")) == "28.6%"


def test_undefined_share_is_shown_as_a_dash_not_zero():
    assert percent(None) == "—"


def test_pages_send_a_content_security_policy_without_cdn(client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy.replace("'self'", "")


def test_unknown_page_gets_a_translated_404(client):
    response = client.get("/nowhere/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
