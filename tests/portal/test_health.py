import pytest

from portal.models import Heartbeat
from portal.tasks import record_heartbeat

pytestmark = pytest.mark.django_db


def test_health_reports_database_broker_and_last_beat(client):
    record_heartbeat.delay()

    body = client.get("/health/").json()

    assert body["database"] == "ok"
    assert body["beat"]["alive"] is True
    assert body["beat"]["last_run"] is not None
    assert body["broker"] in {"ok", "unavailable"}


def test_health_says_beat_is_not_alive_before_its_first_run(client):
    assert not Heartbeat.objects.exists()

    body = client.get("/health/").json()

    assert body["beat"] == {"last_run": None, "alive": False}


def test_api_schema_and_docs_are_served_without_cdn(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"openapi" in schema.content
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
    assert b"/static/drf_spectacular_sidecar/" in docs.content


def test_an_unreachable_database_gives_a_clean_503_page(client, monkeypatch):
    from django.db import OperationalError

    import portal.views

    def broken(request):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(portal.views, "render", lambda *a, **k: broken(None))
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 503
    body = response.content.decode()
    assert "Service temporairement indisponible" in body
    assert "Traceback" not in body
