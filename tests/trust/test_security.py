"""Security of the production shape: headers, cookies, secrets from the environment, and every
text field escaped on the pages that show it (script payloads).

`check --deploy` runs in CI and the compose file is checked in tests/portal/test_deployment.py;
here the headers and cookies are read off real responses with the production values.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import get_resolver, reverse
from rest_framework import serializers

from directory.forms import LogoField
from procurement.models import ProcurementProcess
from tests.conftest import PASSWORD
from tests.factories import (
    ActivityFactory,
    EnterpriseFactory,
    OrganizationFactory,
    ProcessFactory,
)
from tests.initiatives.factories import (
    CallFactory,
    CohortFactory,
    InitiativeFactory,
    LessonFactory,
    TrainingModuleFactory,
)
from tests.procurement.factories_pages import AnnualNeedFactory

pytestmark = [
    pytest.mark.django_db,
    # With DEBUG off, whitenoise warns that collectstatic has not run: not what is tested here.
    pytest.mark.filterwarnings("ignore:No directory at"),
]

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
PAYLOADS = (SCRIPT, ATTRIBUTE)
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-from-the-environment-0123456789",
    "ALLOWED_HOSTS": "portail.example.org",
    "PATH": "",
}


@pytest.fixture
def production(settings):
    """The security settings that DEBUG=false turns on (see portal/settings.py)."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    return settings


def production_settings(*names: str) -> dict:
    """Values of the real settings module loaded with DEBUG off, in a fresh interpreter."""
    code = (
        "import json, portal.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- settings in production -----------------------------------------------------------------
def test_production_turns_on_https_hsts_and_secure_cookies():
    values = production_settings(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SECRET_KEY",
    )

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["SECRET_KEY"] == PRODUCTION_ENV["SECRET_KEY"]


def test_the_only_secret_literal_in_settings_is_the_development_key_under_debug():
    tree = ast.parse((Path(django_settings.BASE_DIR) / "portal" / "settings.py").read_text())
    secret_words = ("SECRET", "PASSWORD", "TOKEN", "API_KEY")
    literals = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "DEBUG":
            node.body = []  # the development fallback is allowed, nothing else
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = getattr(target, "id", "")
                is_literal = isinstance(node.value, ast.Constant) and node.value.value
                if is_literal and any(word in name for word in secret_words):
                    literals.append(name)

    assert literals == []


# --- headers --------------------------------------------------------------------------------
def test_every_page_carries_the_security_headers(client, production):
    response = client.get(reverse("home"), secure=True, headers={"host": "testserver"})

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_content_security_policy_allows_only_our_own_origin(client, production):
    response = client.get(reverse("home"), secure=True)

    policy = {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_plain_http_is_redirected_to_https(client, production):
    response = client.get(reverse("home"))

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_api_answers_with_the_same_headers(client, production):
    response = client.get("/api/regions/", secure=True)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_session_and_csrf_cookies_are_secure_and_the_session_is_http_only(
    client, production, officer
):
    login = reverse("accounts:login")
    form = client.get(login, secure=True)
    assert form.cookies["csrftoken"]["secure"] is True

    response = client.post(login, {"username": officer.email, "password": PASSWORD}, secure=True)

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


# --- every text field escaped -------------------------------------------------------------
def _records(officer, organization):
    """One record of each kind shown on a page, every text field carrying a payload."""
    text = f"Titre {SCRIPT} {ATTRIBUTE}"
    process = ProcessFactory(
        organization=organization,
        title=text,
        description=text,
        method_justification=text,
        status=ProcurementProcess.Status.OPEN,
    )
    need = AnnualNeedFactory(organization=organization, title=text, description=text)
    activity = ActivityFactory(created_by=officer, title=text, description=text, organizer=text)
    activity.organizations.add(organization)
    other = OrganizationFactory(name=f"Ville {SCRIPT}", commitment_signatory=ATTRIBUTE)
    initiative = InitiativeFactory(name=f"Initiative {SCRIPT}", description=text)
    cohort = CohortFactory(initiative=initiative, name=f"Cohorte {SCRIPT}", description=text)
    call = CallFactory(cohort=cohort, description=text)
    enterprise = EnterpriseFactory(
        name=f"Coop {SCRIPT}", other_names=text, mission=text, description=text, address=text
    )
    module = TrainingModuleFactory(title_fr=text, summary_fr=text)
    LessonFactory(module=module, title_fr=text, body_fr=text)
    return {
        "enterprise (HTML and JSON-LD)": reverse(
            "directory:enterprise-detail", args=[enterprise.slug]
        ),
        "process": reverse("procurement:process-detail", args=[process.pk]),
        "process list": reverse("procurement:process-list"),
        "need": reverse("procurement:need-detail", args=[need.pk]),
        "need list": reverse("procurement:need-list"),
        "activity": reverse("procurement:activity-detail", args=[activity.pk]),
        "organization": reverse("procurement:organization-detail", args=[other.slug]),
        "organization list": reverse("procurement:organization-list"),
        "initiative": reverse("initiatives:initiative", args=[initiative.slug]),
        "cohort": reverse("initiatives:cohort", args=[cohort.pk]),
        "call": reverse("initiatives:call", args=[call.pk]),
        "training module": reverse("initiatives:training-module", args=[module.slug]),
    }


def test_script_payloads_in_every_text_field_are_escaped_on_every_page(
    client, coordinator, officer, organization
):
    pages = _records(officer, organization)
    client.force_login(coordinator)

    leaks, unseen = [], []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"
        html = response.content.decode()
        leaks += [f"{name}: {payload}" for payload in PAYLOADS if payload in html]
        if "&lt;script&gt;alert(1)&lt;/script&gt;" not in html:
            unseen.append(name)

    assert leaks == []
    assert unseen == []  # each page does show the text, escaped


# --- uploads ----------------------------------------------------------------------------------
def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _ours(cls) -> bool:
    return cls.__module__.split(".")[0] in {"portal", "directory", "procurement", "indicators"}


def test_every_file_upload_is_one_whose_checks_are_tested():
    """A new upload must get a type, size and content check (and its tests) before it is
    added here: the logo (Pillow, PNG/JPEG/WebP, 1 MB, tests/directory/test_registration.py),
    the CSV import and the OCDS import (size, parsed as text or JSON, tests/directory/
    test_import.py and tests/procurement/test_ocds_pages.py)."""
    assert get_resolver().url_patterns  # imports every view, so every form and serializer
    model_fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, models.FileField)
    }
    form_fields = {
        f"{form.__name__}.{name}"
        for form in _subclasses(forms.BaseForm)
        if _ours(form)
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    }
    api_fields = set()
    for serializer in filter(_ours, _subclasses(serializers.Serializer)):
        api_fields |= {
            f"{serializer.__name__}.{name}"
            for name, field in serializer._declared_fields.items()
            if isinstance(field, serializers.FileField)
        }
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is not None:
            listed = serializer.Meta.fields
            api_fields |= {
                f"{serializer.__name__}.{field.name}"
                for field in model._meta.fields
                if isinstance(field, models.FileField)
                and (listed == "__all__" or field.name in listed)
            }

    assert model_fields == {"directory.Enterprise.logo"}
    assert form_fields == {"LocationForm.logo", "ImportUploadForm.file", "OcdsImportForm.file"}
    assert api_fields == set()  # the API takes no file


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>", "image/png"),
        SimpleUploadedFile("logo.jpg", b"<html><script>alert(1)</script>", "image/jpeg"),
        SimpleUploadedFile("logo.svg", b"<svg><script>alert(1)</script></svg>", "image/svg+xml"),
        SimpleUploadedFile("logo.webp", b"GIF89a<script>alert(1)</script>", "image/webp"),
    ],
    ids=["svg-named-png", "html-named-jpeg", "svg", "gif-polyglot"],
)
def test_a_fake_image_carrying_a_script_is_refused_as_a_logo(upload):
    with pytest.raises(forms.ValidationError):
        LogoField(required=False).clean(upload)
