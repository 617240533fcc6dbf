"""Lockout and rate limits count per real client: a client cannot pick its own address."""

import pytest
from django.test import RequestFactory

from portal.ratelimit import client_address


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **headers)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    # The client wrote 198.51.100.1 itself; our proxy appended the address it saw.
    request = request_from("10.0.0.2", "198.51.100.1, 203.0.113.7")

    assert client_address(request) == "203.0.113.7"


def test_behind_two_proxies_the_outer_one_is_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    request = request_from("10.0.0.3", "198.51.100.1, 203.0.113.7, 10.0.0.2")

    assert client_address(request) == "203.0.113.7"


def test_a_request_that_skipped_the_proxies_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(request_from("203.0.113.9")) == "203.0.113.9"


@pytest.mark.django_db
def test_a_spoofed_forwarded_header_does_not_reset_the_sign_up_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "signup": "2/hour",
        },
    }
    statuses = [
        client.post(
            "/annuaire/inscription/compte/",
            {"email": f"x{n}@example.org"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
        ).status_code
        for n in range(3)
    ]

    assert statuses[-1] == 429
    assert 429 not in statuses[:2]


def test_the_login_lockout_reads_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1

    assert get_client_ip_address(request_from("10.0.0.2", "1.2.3.4, 203.0.113.7")) == (
        "203.0.113.7"
    )
