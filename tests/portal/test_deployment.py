"""The production shape: docker compose can't run on our machines, so its file is checked here."""

from pathlib import Path

import yaml
from django.conf import settings

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"


def _compose():
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_compose_runs_web_worker_beat_postgres_and_redis():
    services = _compose()["services"]

    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


def test_web_worker_and_beat_share_one_image():
    services = _compose()["services"]

    images = {services[name]["image"] for name in ("web", "worker", "beat")}
    assert len(images) == 1


def test_postgres_has_a_healthcheck_and_the_app_waits_for_it():
    services = _compose()["services"]

    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_app_runs_in_production_mode_with_a_required_secret():
    environment = _compose()["x-app"]["environment"]

    assert environment["DEBUG"] == "false"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"].startswith("redis://")


def test_production_settings_refuse_to_start_without_a_secret_key():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        env={"DEBUG": "false", "ALLOWED_HOSTS": "portail.example.org", "PATH": ""},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
