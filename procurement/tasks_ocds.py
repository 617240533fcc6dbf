"""OCDS imports in the background: the upload and its report live in MEDIA_ROOT/ocds/imports/.

An import is named by a random token; `<token>.json` is the uploaded file (deleted once read)
and `<token>.report.json` its state: who asked, for which organization, then the report.
Small files are imported at once by the upload page; big ones go through this task, and the
report page shows the result when it is ready.
"""

import json
import secrets
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.utils import timezone

QUEUED, RUNNING, DONE = "queued", "running", "done"


def imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "ocds" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_token() -> str:
    return secrets.token_urlsafe(16)


def upload_path(token: str) -> Path:
    return imports_dir() / f"{token}.json"


def state_path(token: str) -> Path:
    return imports_dir() / f"{token}.report.json"


def read_state(token: str) -> dict | None:
    if not token.replace("-", "").replace("_", "").isalnum():
        return None
    try:
        return json.loads(state_path(token).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_state(token: str, state: dict) -> None:
    path = state_path(token)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, ensure_ascii=False, default=str), encoding="utf-8")
    temporary.replace(path)  # readers never see half a report


@shared_task(acks_late=True)
def import_ocds_upload(token: str) -> dict:
    """Import an uploaded release package and save its report (ids only, as every task)."""
    from portal.accounts.models import Organization, User
    from procurement.ocds import import_file

    state = read_state(token)
    if state is None or state.get("status") == DONE:
        return state or {}
    state.update(status=RUNNING, started_at=timezone.now().isoformat())
    write_state(token, state)
    organization = (
        Organization.objects.filter(pk=state.get("organization_id")).first()
        if state.get("organization_id")
        else None
    )
    user = User.objects.filter(pk=state.get("user_id")).first()
    path = upload_path(token)
    try:
        report = import_file(path, organization=organization, by=user)
    finally:
        path.unlink(missing_ok=True)
    state.update(status=DONE, finished_at=timezone.now().isoformat(), report=report.as_dict())
    write_state(token, state)
    return state
