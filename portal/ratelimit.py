"""A small per-client rate limit for sensitive form posts (sign-up, password reset).

Counts POSTs per client address in the cache over a fixed window; past the limit the view is
not run and a translated 429 page is shown. Redis backs the cache in production, so the limit
holds across gunicorn workers.
"""

import functools

from django.core.cache import cache
from django.shortcuts import render


def client_address(request) -> str:
    """The client's address, which a client cannot choose.

    Without a proxy it is REMOTE_ADDR. Behind TRUSTED_PROXY_COUNT reverse proxies it is the
    address the outermost of them appended to X-Forwarded-For: hops further left were written
    by the client and could be anything. Also used by the login lockout (django-axes).
    """
    from django.conf import settings

    # 0.0.0.0 ("unspecified") when the server gave none: axes stores it in an inet column.
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - not a bind address
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    return hops[-proxies] if len(hops) >= proxies else remote


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/hour' -> (5, 3600)."""
    count, period = rate.split("/")
    seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[period.rstrip("s")]
    return int(count), seconds


def is_limited(scope: str, rate: str, request) -> bool:
    limit, window = parse_rate(rate)
    key = f"ratelimit:{scope}:{client_address(request)}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > limit


def ratelimit_post(scope: str, rate_setting: str):
    """Decorate a view: POSTs beyond REST_FRAMEWORK's DEFAULT_THROTTLE_RATES[rate_setting]."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            from django.conf import settings

            rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][rate_setting]
            if request.method == "POST" and is_limited(scope, rate, request):
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
