import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# What a worker holds once started (Django, the apps, their models, views and URLs) is never
# garbage. Frozen, it is out of the collector's sight: a full collection then looks only at
# what requests left behind. With about 150 000 objects in sight, one full collection took
# 76 ms in the middle of a dashboard request (BENCHMARKS.md).
get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on a request
gc.freeze()
