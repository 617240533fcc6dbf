"""The web worker's entry point."""

import subprocess
import sys

from django.conf import settings

PROBE = (
    "import gc, sys; import portal.wsgi; "
    "print(gc.get_freeze_count(), 'directory.views' in sys.modules)"
)


def test_a_started_worker_has_its_startup_objects_out_of_the_collectors_sight():
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings", "PATH": ""},
        timeout=120,
    )
    frozen, views_loaded = probe.stdout.split()

    assert views_loaded == "True"  # the URLs and their views were loaded before freezing
    assert int(frozen) > 50_000
