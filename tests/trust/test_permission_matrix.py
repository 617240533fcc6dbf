# ruff: noqa: E501 — the matrix is a table: one row per line reads best.
"""The permission matrix: every page and API endpoint × every role × action, with its outcome.

Roles (columns, in this order):
    visitor    anonymous
    rep_a      representative of EÉS A (A is in X's supplier file, invited, bid, won)
    rep_b      representative of EÉS B (the other enterprise)
    buyer      buyer of organization X
    officer    procurement officer of organization X
    manager    manager of organization X
    officer_y  procurement officer of organization Y (the other organization)
    coordinator

Outcomes: 200/201/204/400/403/404/405 are status codes; `login` is a redirect to the login
page; `302` any other redirect (the action was done or the user sent on). A POST with no data
that an allowed role sends answers 200 (the form again, with errors) or 400 (API): the gate let
it through and nothing was written. Every request runs in a savepoint rolled back after it.

Decisions recorded here:
- Activities (matchmaking, trainings…) are platform-wide events run with coordinators: every
  organization's staff reads them (domain.md: coordinators "run matchmaking activities", buyers
  meet EÉS there); only the business contacts recorded at them are an organization's own.
  Representatives and visitors do not read them (they list who was present), in pages or API.
- Another organization's record answers 404 (its queryset hides it) where a queryset
  decides; a 403 comes from a role check made before any record is looked up.
- A representative reads their own enterprise's invitations, bids and awards (never the
  process itself, nor its audit trail); they answer an invitation on its page
  (`invitation-respond`), while `POST /api/invitations/{id}/respond/` is the officers' way of
  recording an answer received otherwise.
- Staff lists (`procurement:index`, process and award lists) open to any signed-in user but
  list only the user's organizations' records: empty for representatives (see test_leaks).
- Managers' contacts are for organizations' staff (Y's included) and coordinators.
- Cross-cutting leak checks of bodies, exports, search and facets are in test_leaks.py.

Route coverage: `test_no_route_escapes_the_matrix` fails when a named route has no row here.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.trust.conftest import ROLES

pytestmark = [pytest.mark.django_db]

LOGIN_URL = reverse("accounts:login")
# Every export asks for the managers' contacts column: it is dropped for those who may not see it.
EXPORT_CSV = "?format=csv&columns=name&columns=neq&columns=contacts"


@dataclass(frozen=True)
class Row:
    route: str
    action: str
    method: str
    expected: str  # one outcome per role, in ROLES order
    args: Callable = lambda o: []
    data: Callable = lambda o: {}
    query: str = ""

    @property
    def outcomes(self) -> dict:
        values = self.expected.split()
        assert len(values) == len(ROLES), self
        return dict(zip(ROLES, values, strict=True))

    def __str__(self) -> str:
        return f"{self.method} {self.route} ({self.action})"


def page(route, action, expected, args=lambda o: [], data=lambda o: {}, query=""):
    method = "GET" if action in {"list", "read", "form", "export", "search"} else "POST"
    return Row(route, action, method, expected, args, data, query)


def api(route, action, expected, args=lambda o: [], data=lambda o: {}, query=""):
    method = {
        "list": "GET",
        "read": "GET",
        "history": "GET",
        "report": "GET",
        "update": "PATCH",
        "replace": "PUT",
        "delete": "DELETE",
    }.get(action.split()[0], "POST")
    return Row(route, action, method, expected, args, data, query)


def pk(name):
    return lambda o: [o[name].pk]


def slug(name):
    return lambda o: [o[name].slug]


# Outcomes per role, in this order: visitor rep_a rep_b buyer officer manager officer_y coordinator
# fmt: off
PAGES = [
    # --- portal and accounts ---------------------------------------------------------------
    page("home", "read", "200 200 200 200 200 200 200 200"),
    page("health", "read", "200 200 200 200 200 200 200 200"),
    page("set_language", "update", "302 302 302 302 302 302 302 302", data=lambda o: {"language": "en"}),
    page("accounts:login", "read", "200 302 302 302 302 302 302 302"),
    page("accounts:logout", "logout", "302 302 302 302 302 302 302 302"),
    page("accounts:account", "read", "login 200 200 200 200 200 200 200"),
    page("accounts:token", "create", "login 302 302 302 302 302 302 302"),
    page("accounts:password_reset", "read", "200 200 200 200 200 200 200 200"),
    page("accounts:password_reset_done", "read", "200 200 200 200 200 200 200 200"),
    page("accounts:password_reset_confirm", "read", "200 200 200 200 200 200 200 200", args=lambda o: ["MQ", "bad-token"]),
    page("accounts:password_reset_complete", "read", "200 200 200 200 200 200 200 200"),
    page("accounts:password_change", "read", "login 200 200 200 200 200 200 200"),
    page("accounts:password_change_done", "read", "login 200 200 200 200 200 200 200"),
    # --- directory: public side --------------------------------------------------------------
    page("directory:index", "search", "200 200 200 200 200 200 200 200"),
    page("directory:enterprise-detail", "read", "200 200 200 200 200 200 200 200", args=slug("a")),
    page("directory:enterprise-detail", "read unpublished", "404 200 404 404 404 404 404 200", args=slug("unpublished")),
    # --- directory: registration and the representative's own enterprise ----------------------
    page("directory:signup", "form", "200 302 302 302 302 302 302 302"),
    page("directory:signup-sent", "read", "200 200 200 200 200 200 200 200"),
    page("directory:signup-confirm", "read", "400 400 400 400 400 400 400 400", args=lambda o: ["MQ", "bad-token"]),
    page("directory:registration-start", "form", "login 200 200 200 200 200 200 200"),
    page("directory:registration-step", "form", "login 302 404 404 404 404 404 404", args=lambda o: [o["unpublished"].pk, "lieu"]),
    page("directory:my-enterprises", "list", "login 200 302 200 200 200 200 200"),
    page("directory:my-enterprise", "read", "login 200 404 404 404 404 404 404", args=pk("a")),
    page("directory:my-enterprise-section", "form", "login 200 404 404 404 404 404 404", args=lambda o: [o["a"].pk, "identite"]),
    page("directory:my-enterprise-submit", "submit", "login 302 404 404 404 404 404 404", args=pk("a")),
    page("directory:my-enterprise-publication", "update", "login 302 404 404 404 404 404 404", args=pk("a")),
    page("directory:my-enterprise-supplier-join", "create", "login 302 404 404 404 404 404 404", args=pk("a"), data=lambda o: {"organization": o["y"].pk}),
    page("directory:my-enterprise-supplier-withdraw", "delete", "login 302 404 404 404 404 404 404", args=lambda o: [o["a"].pk, o["registration"].pk]),
    # --- directory: coordinators' verification ----------------------------------------------
    page("directory:verification-queue", "list", "login 403 403 403 403 403 403 200"),
    page("directory:verification-detail", "read", "login 403 403 403 403 403 403 200", args=pk("unpublished")),
    page("directory:verification-approve", "verify", "login 403 403 403 403 403 403 302", args=pk("unpublished")),
    page("directory:verification-reject", "reject", "login 403 403 403 403 403 403 302", args=pk("unpublished"), data=lambda o: {"reason": "Pas une EÉS."}),
    page("directory:join-request-approve", "approve", "login 403 403 403 403 403 403 302", args=pk("join_request")),
    page("directory:join-request-decline", "reject", "login 403 403 403 403 403 403 302", args=pk("join_request")),
    # --- directory: supplier files, shortlists, exports, import ----------------------------
    page("directory:supplier-file", "list", "login 403 403 200 200 200 200 200"),
    page("directory:supplier-file-export", "export", "login 403 403 200 200 200 200 200", query=EXPORT_CSV),
    page("directory:supplier-file-add", "create", "login 403 403 403 302 302 403 302", data=lambda o: {"organization": o["x"].pk, "enterprise": o["b"].pk}),
    page("directory:supplier-file-withdraw", "delete", "login 403 404 403 302 302 404 302", args=pk("registration")),
    page("directory:shortlist-list", "list", "login 403 403 200 200 200 200 200"),
    page("directory:shortlist-add", "create", "login 403 403 302 302 302 302 302", data=lambda o: {"enterprise": o["b"].pk, "name": "Nouvelle"}),
    page("directory:shortlist-add-page", "form", "login 403 403 200 200 200 200 200", args=pk("a")),
    page("directory:shortlist-detail", "read", "login 403 403 200 404 404 404 404", args=pk("shortlist")),
    page("directory:shortlist-update", "update", "login 403 403 302 404 404 404 404", args=pk("shortlist"), data=lambda o: {"name": "Renommée"}),
    page("directory:shortlist-delete", "delete", "login 403 403 302 404 404 404 404", args=pk("shortlist")),
    page("directory:shortlist-export", "export", "login 403 403 200 404 404 404 404", args=pk("shortlist"), query=EXPORT_CSV),
    page("directory:shortlist-entry-update", "update", "login 403 403 302 404 404 404 404", args=pk("entry"), data=lambda o: {"note": "ok"}),
    page("directory:shortlist-entry-remove", "delete", "login 403 403 302 404 404 404 404", args=pk("entry")),
    page("directory:export", "export", "login 403 403 200 200 200 200 200", query=EXPORT_CSV),
    page("directory:import", "form", "login 403 403 403 403 403 403 200"),
    page("directory:import-confirm", "create", "login 403 403 403 403 403 403 302"),
    # --- procurement ---------------------------------------------------------------------------
    page("procurement:index", "read", "login 200 200 200 200 200 200 200"),
    page("procurement:need-list", "list", "200 200 200 200 200 200 200 200"),
    page("procurement:need-create", "form", "login 403 403 403 200 403 200 200"),
    page("procurement:need-detail", "read", "200 200 200 200 200 200 200 200", args=pk("need")),
    page("procurement:need-detail", "read draft", "404 404 404 200 200 200 404 200", args=pk("draft_need")),
    page("procurement:need-update", "form", "login 404 404 403 200 403 404 200", args=pk("draft_need")),
    page("procurement:need-publish", "publish", "login 404 404 403 302 403 404 302", args=pk("draft_need")),
    page("procurement:process-list", "list", "login 200 200 200 200 200 200 200"),
    page("procurement:process-create", "form", "login 403 403 403 200 403 200 200"),
    page("procurement:process-detail", "read", "login 404 404 200 200 200 404 200", args=pk("process")),
    page("procurement:process-update", "form", "login 404 404 403 200 403 404 200", args=pk("process")),
    page("procurement:process-update", "update", "login 404 404 403 200 403 404 200", args=pk("process")),
    page("procurement:process-status", "transition", "login 404 404 403 302 403 404 302", args=pk("process"), data=lambda o: {"status": "closed"}),
    page("procurement:process-suggestions", "read", "login 404 404 200 200 200 404 200", args=pk("process")),
    page("procurement:process-invite-suggested", "create", "login 404 404 403 302 403 404 302", args=pk("process"), data=lambda o: {"enterprise": o["b"].pk}),
    page("procurement:invitation-create", "form", "login 404 404 403 200 403 404 200", args=pk("process")),
    page("procurement:bid-create", "form", "login 404 404 403 200 403 404 200", args=pk("process")),
    page("procurement:award-create", "form", "login 404 404 403 200 403 404 200", args=pk("closed"), query="?bid={closed_bid}"),
    page("procurement:award-create", "award", "login 404 404 403 200 403 404 200", args=pk("closed")),
    page("procurement:award-list", "list", "login 200 200 200 200 200 200 200"),
    page("procurement:direct-award", "form", "login 403 403 403 200 403 200 200"),
    page("procurement:cumulative", "report", "login 403 403 200 200 200 200 200"),
    page("procurement:award-detail", "read", "login 404 404 200 200 200 404 200", args=pk("award")),
    page("procurement:award-cancel", "cancel", "login 404 404 403 302 403 404 302", args=pk("award"), data=lambda o: {"reason": "Erreur"}),
    page("procurement:award-activate", "activate", "login 404 404 403 302 403 404 302", args=pk("award")),
    page("procurement:activity-list", "list", "login 403 403 200 200 200 200 200"),
    page("procurement:activity-create", "form", "login 403 403 403 200 403 200 200"),
    page("procurement:activity-detail", "read", "login 403 403 200 200 200 200 200", args=pk("activity")),
    page("procurement:activity-update", "form", "login 403 403 403 200 403 403 200", args=pk("activity")),
    page("procurement:contact-list", "list", "login 403 403 200 200 200 200 200"),
    page("procurement:contact-create", "form", "login 403 403 403 200 403 200 200"),
    page("procurement:contact-detail", "read", "login 404 404 200 200 200 404 200", args=pk("contact")),
    page("procurement:organization-list", "list", "200 200 200 200 200 200 200 200"),
    page("procurement:organization-detail", "read", "200 200 200 200 200 200 200 200", args=slug("x")),
    page("procurement:organization-commitment", "form", "login 403 403 403 403 200 403 200", args=slug("x")),
    page("procurement:toolkit", "list", "200 200 200 200 200 200 200 200"),
    page("procurement:toolkit-create", "form", "login 403 403 403 403 403 403 200"),
    page("procurement:toolkit-entry", "read", "200 200 200 200 200 200 200 200", args=slug("toolkit")),
    page("procurement:toolkit-update", "form", "login 403 403 403 403 403 403 200", args=slug("toolkit")),
    page("procurement:my-invitations", "list", "login 200 200 200 200 200 200 200"),
    page("procurement:invitation-respond", "respond", "login 302 404 404 404 404 404 404", args=pk("invitation"), data=lambda o: {"response": "declined"}),
    page("procurement:digest-subscription", "update", "login 302 403 403 403 403 403 403", data=lambda o: {"enterprise": o["a"].pk}),
    page("procurement:ocds-import", "form", "login 403 403 403 200 403 200 200"),
    page("procurement:ocds-import-report", "read", "login 404 404 404 404 404 404 404", args=lambda o: ["no-such-import"]),
    page("procurement:ocds-export", "export", "login 403 403 200 200 200 200 200"),
    # --- indicators --------------------------------------------------------------------------
    page("indicators:index", "read", "302 302 302 302 302 302 302 302"),
    page("indicators:organization-dashboard", "read", "login 403 403 200 200 200 403 200", args=pk("x")),
    page("indicators:organization-report", "read", "login 403 403 200 200 200 403 200", args=pk("x")),
    page("indicators:organization-export", "export", "login 403 403 200 200 200 403 200", args=lambda o: [o["x"].pk, "csv"]),
    page("indicators:platform-dashboard", "read", "login 403 403 403 403 403 403 200"),
    page("indicators:platform-report", "read", "login 403 403 403 403 403 403 200"),
    page("indicators:platform-export", "export", "login 403 403 403 403 403 403 200", args=lambda o: ["xlsx"]),
    page("indicators:cohort-export", "export", "login 403 403 200 200 200 403 200", args=lambda o: [o["cohort"].pk, "csv"]),
    page("indicators:public-dashboard", "read", "200 200 200 200 200 200 200 200"),
    page("indicators:public-export", "export", "200 200 200 200 200 200 200 200", args=lambda o: ["csv"]),
    page("indicators:target-set", "form", "login 403 403 403 403 200 403 200"),
    page("indicators:refresh", "refresh", "login 403 403 403 403 302 403 302"),
    # --- initiatives -------------------------------------------------------------------------
    page("initiatives:index", "list", "200 200 200 200 200 200 200 200"),
    page("initiatives:initiative-create", "form", "login 403 403 403 403 403 403 200"),
    page("initiatives:initiative", "read", "200 200 200 200 200 200 200 200", args=slug("initiative")),
    page("initiatives:cohort-create", "form", "login 403 403 403 403 403 403 200", args=slug("initiative")),
    page("initiatives:cohort", "read", "200 200 200 200 200 200 200 200", args=pk("cohort")),
    page("initiatives:call-create", "form", "login 403 403 403 403 403 403 200", args=pk("cohort")),
    page("initiatives:cohort-portfolio", "read", "200 200 200 200 200 200 200 200", args=pk("cohort")),
    page("initiatives:cohort-portfolio-pdf", "export", "200 200 200 200 200 200 200 200", args=pk("cohort")),
    page("initiatives:call", "read", "200 200 200 200 200 200 200 200", args=pk("call")),
    page("initiatives:call-apply", "form", "login 200 200 403 403 403 403 403", args=pk("call")),
    page("initiatives:call-close", "close", "login 403 403 403 403 403 403 302", args=pk("call")),
    page("initiatives:call-review", "list", "login 403 403 403 403 403 403 200", args=pk("call")),
    page("initiatives:application", "read", "login 200 404 404 404 404 404 200", args=pk("application")),
    page("initiatives:application-score", "update", "login 403 403 403 403 403 403 400", args=pk("application")),
    page("initiatives:application-decide", "decide", "login 403 403 403 403 403 403 400", args=pk("application"), data=lambda o: {"decision": "selected"}),
    page("initiatives:portfolio", "search", "200 200 200 200 200 200 200 200"),
    page("initiatives:portfolio-pdf", "export", "200 200 200 200 200 200 200 200"),
    page("initiatives:training", "list", "200 200 200 200 200 200 200 200"),
    page("initiatives:training-module", "read", "200 200 200 200 200 200 200 200", args=slug("module")),
]

# Outcomes per role, in this order: visitor rep_a rep_b buyer officer manager officer_y coordinator
API = [
    api("api-root", "list", "200 200 200 200 200 200 200 200"),
    api("region-list", "list", "200 200 200 200 200 200 200 200"),
    api("region-detail", "read", "200 200 200 200 200 200 200 200", args=lambda o: [o["x"].region_id]),
    api("municipality-list", "list", "200 200 200 200 200 200 200 200"),
    api("municipality-detail", "read", "404 404 404 404 404 404 404 404", args=lambda o: [0]),
    api("sector-list", "list", "200 200 200 200 200 200 200 200"),
    api("sector-detail", "read", "404 404 404 404 404 404 404 404", args=lambda o: [0]),
    api("category-list", "list", "200 200 200 200 200 200 200 200"),
    api("category-detail", "read", "404 404 404 404 404 404 404 404", args=lambda o: [0]),
    api("organization-list", "list", "200 200 200 200 200 200 200 200"),
    api("organization-list", "create", "403 403 403 403 403 403 403 400"),
    api("organization-detail", "read", "200 200 200 200 200 200 200 200", args=pk("x")),
    api("organization-detail", "update", "403 403 403 403 403 403 403 200", args=pk("x"), data=lambda o: {"name": "Ville de X (matrice)"}),
    api("initiative-list", "list", "403 403 403 200 200 200 200 200"),
    api("initiative-list", "create", "403 403 403 403 403 403 403 400"),
    api("initiative-detail", "read", "403 403 403 200 200 200 200 200", args=pk("initiative")),
    api("initiative-detail", "update", "403 403 403 403 403 403 403 200", args=pk("initiative"), data=lambda o: {"description": "ok"}),
    api("cohort-list", "list", "403 403 403 200 200 200 200 200"),
    api("cohort-list", "create", "403 403 403 403 403 403 403 400"),
    api("cohort-detail", "read", "403 403 403 200 200 200 200 200", args=pk("cohort")),
    api("cohort-detail", "update", "403 403 403 403 403 403 403 200", args=pk("cohort"), data=lambda o: {"description": "ok"}),
    api("cohort-add-organization", "add", "403 403 403 403 403 403 403 201", args=pk("cohort"), data=lambda o: {"organization": o["y"].pk, "commitment_signed_on": "2025-02-01"}),
    api("enterprise-list", "list", "200 200 200 200 200 200 200 200"),
    api("enterprise-list", "create", "403 403 403 403 403 403 403 400"),
    api("enterprise-detail", "read", "200 200 200 200 200 200 200 200", args=pk("a")),
    api("enterprise-detail", "read unpublished", "404 200 404 404 404 404 404 200", args=pk("unpublished")),
    api("enterprise-detail", "update", "403 200 403 403 403 403 403 200", args=pk("a"), data=lambda o: {"description": "Mise à jour."}),
    api("enterprise-verify", "verify", "403 403 403 403 403 403 403 200", args=pk("unpublished")),
    api("enterprise-reject", "reject", "403 403 403 403 403 403 403 200", args=pk("unpublished"), data=lambda o: {"reason": "Pas une EÉS."}),
    api("supplier-registration-list", "list", "403 200 200 200 200 200 200 200"),
    api("supplier-registration-list", "create", "403 201 403 403 403 403 201 201", data=lambda o: {"organization": o["y"].pk, "enterprise": o["a"].pk}),
    api("supplier-registration-detail", "read", "403 200 404 200 200 200 404 200", args=pk("registration")),
    api("supplier-registration-withdraw", "withdraw", "403 200 404 403 200 200 404 200", args=pk("registration"), data=lambda o: {"reason": "Fin"}),
    api("annualneed-list", "list", "200 200 200 200 200 200 200 200"),
    api("annualneed-list", "create", "403 403 403 403 201 403 403 201", data=lambda o: need_payload(o)),
    api("annualneed-detail", "read", "200 200 200 200 200 200 200 200", args=pk("need")),
    api("annualneed-detail", "read draft", "404 404 404 200 200 200 404 200", args=pk("draft_need")),
    api("annualneed-detail", "update", "403 403 403 403 200 403 404 200", args=pk("draft_need"), data=lambda o: {"description": "ok"}),
    api("annualneed-detail", "delete", "403 403 403 403 204 403 404 204", args=pk("draft_need")),
    api("annualneed-history", "history", "404 404 404 200 200 200 404 200", args=pk("draft_need")),
    api("annualneed-history", "history published", "403 403 403 200 200 200 403 200", args=pk("need")),
    api("process-list", "list", "403 200 200 200 200 200 200 200"),
    api("process-list", "create", "403 403 403 403 201 403 403 201", data=lambda o: process_payload(o)),
    api("process-detail", "read", "403 404 404 200 200 200 404 200", args=pk("process")),
    api("process-detail", "update", "403 403 403 403 200 403 404 200", args=pk("process"), data=lambda o: {"description": "ok"}),
    api("process-detail", "delete", "403 403 403 403 405 403 405 405", args=pk("process")),
    api("process-history", "history", "403 404 404 200 200 200 404 200", args=pk("process")),
    api("process-transition", "transition", "403 403 403 403 200 403 404 200", args=pk("process"), data=lambda o: {"status": "closed"}),
    api("invitation-list", "list", "403 200 200 200 200 200 200 200"),
    api("invitation-list", "create", "403 403 403 403 201 403 400 201", data=lambda o: { "process": o["process"].pk, "enterprise": o["b"].pk, "invited_on": "2025-02-01", }),
    api("invitation-detail", "read", "403 200 404 200 200 200 404 200", args=pk("invitation")),
    api("invitation-detail", "delete", "403 403 403 403 400 403 404 400", args=pk("invitation")),
    api("invitation-history", "history", "403 403 404 200 200 200 404 200", args=pk("invitation")),
    api("invitation-respond", "respond", "403 403 403 403 200 403 404 200", args=pk("invitation"), data=lambda o: {"response": "declined"}),
    api("bid-list", "list", "403 200 200 200 200 200 200 200"),
    api("bid-list", "create", "403 403 403 403 400 403 400 400", data=lambda o: { "process": o["process"].pk, "enterprise": o["b"].pk, "submitted_on": "2025-02-15", "amount": "1000.00", }),
    api("bid-detail", "read", "403 200 404 200 200 200 404 200", args=pk("bid")),
    api("bid-detail", "update", "403 403 403 403 400 403 404 400", args=pk("bid"), data=lambda o: {"amount": "31000.00"}),
    api("bid-history", "history", "403 403 404 200 200 200 404 200", args=pk("bid")),
    api("award-list", "list", "403 200 200 200 200 200 200 200"),
    api("award-list", "create", "403 403 403 403 201 403 400 201", data=lambda o: { "process": o["closed"].pk, "enterprise": o["a"].pk, "bid": o["closed_bid"].pk, "awarded_on": "2025-03-01", "amount": "30000.00", }),
    api("award-detail", "read", "403 200 404 200 200 200 404 200", args=pk("award")),
    api("award-detail", "update", "403 403 403 403 200 403 404 200", args=pk("award"), data=lambda o: {"description": "ok"}),
    api("award-cancel", "cancel", "403 403 403 403 200 403 404 200", args=pk("award"), data=lambda o: {"reason": "Erreur"}),
    api("award-activate", "activate", "403 403 403 403 400 403 404 400", args=pk("award")),
    api("award-history", "history", "403 403 404 200 200 200 404 200", args=pk("award")),
    api("award-cumulative", "report", "403 403 403 200 200 200 403 200", query="?organization={x}&year=2025"),
    api("activity-list", "list", "403 403 403 200 200 200 200 200"),
    api("activity-list", "create", "403 403 403 403 201 403 403 201", data=lambda o: activity_payload(o)),
    api("activity-detail", "read", "403 403 403 200 200 200 200 200", args=pk("activity")),
    api("activity-detail", "update", "403 403 403 403 200 403 403 200", args=pk("activity"), data=lambda o: {"participants": 41}),
    api("businesscontact-list", "list", "403 200 200 200 200 200 200 200"),
    api("businesscontact-list", "create", "403 403 403 403 201 403 403 201", data=lambda o: {"organization": o["x"].pk, "enterprise": o["b"].pk, "date": "2025-02-01"}),
    api("businesscontact-detail", "read", "403 404 404 200 200 200 404 200", args=pk("contact")),
    api("businesscontact-detail", "update", "403 403 403 403 200 403 404 200", args=pk("contact"), data=lambda o: {"notes": "ok"}),
    api("businesscontact-detail", "delete", "403 403 403 403 204 403 404 204", args=pk("contact")),
    api("businesscontact-history", "history", "403 404 404 200 200 200 404 200", args=pk("contact")),
    api("threshold-list", "list", "403 403 403 200 200 200 200 200"),
    api("threshold-list", "create", "403 403 403 403 403 403 403 400"),
    api("threshold-detail", "read", "403 403 403 200 200 200 200 200", args=pk("threshold")),
    api("threshold-detail", "update", "403 403 403 403 403 403 403 200", args=pk("threshold"), data=lambda o: {"notes": "ok"}),
    api("indicators-report", "report", "403 403 403 200 200 200 403 200", query="?organization={x}&start=2025-01-01&end=2025-12-31"),
    api("api-token", "create", "400 400 400 400 400 400 400 400"),
    api("api-schema", "read", "200 200 200 200 200 200 200 200"),
    api("api-docs", "read", "200 200 200 200 200 200 200 200"),
    api("api-redoc", "read", "200 200 200 200 200 200 200 200"),
]
# fmt: on

# Routes that are not pages or endpoints of the portal's own: the admin (staff-only, Django's
# own permission system), static/media serving (DEBUG only) and the DRF format-suffix variants
# of the routes above (same view, same permissions).
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {None}


def need_payload(o):
    return {
        "organization": o["x"].pk,
        "fiscal_year": 2026,
        "title": "Nouveau besoin",
        "estimated_value": "10000.00",
        "planned_quarter": 1,
        "planned_method": "direct",
    }


def process_payload(o):
    return {
        "organization": o["x"].pk,
        "reference": "X-NEW-1",
        "title": "Nouveau processus",
        "method": "direct",
        "estimated_value": "10000.00",
    }


def activity_payload(o):
    return {
        "kind": "matchmaking",
        "date": "2025-02-01",
        "title": "Nouvelle activité",
        "participants": 10,
        "organizations": [o["x"].pk],
    }


def outcome(response) -> str:
    if response.status_code == 302:
        return "login" if response.url.startswith(LOGIN_URL) else "302"
    return str(response.status_code)


def request(client, row: Row, objects: dict, *, is_api: bool):
    url = reverse(row.route, args=row.args(objects))
    url += row.query.format(**{name: getattr(obj, "pk", obj) for name, obj in objects.items()})
    data = row.data(objects)
    if row.method == "GET":
        return client.get(url)
    if is_api:
        return client.generic(row.method, url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


def walk(world, row: Row, *, is_api: bool) -> dict:
    """The outcome of `row` for every role, each request in a savepoint rolled back after it."""
    actual = {}
    for role in ROLES:
        with transaction.atomic():
            response = request(world.client(role), row, world.objects, is_api=is_api)
            transaction.set_rollback(True)
        actual[role] = outcome(response)
    return actual


def _id(row: Row) -> str:
    return f"{row.route}-{row.action}".replace(" ", "_")


@pytest.mark.parametrize("row", PAGES, ids=_id)
def test_every_page_answers_each_role_as_the_matrix_says(world, row):
    actual = walk(world, row, is_api=False)
    assert actual == row.outcomes, f"{row}: got {' '.join(actual.values())}"


@pytest.mark.parametrize("row", API, ids=_id)
def test_every_endpoint_answers_each_role_as_the_matrix_says(world, row):
    actual = walk(world, row, is_api=True)
    assert actual == row.outcomes, f"{row}: got {' '.join(actual.values())}"


def named_routes(patterns=None, namespace=None):
    """Every named route of the URL configuration, namespaced (`directory:index`)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or None
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from named_routes(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            yield f"{namespace}:{name}" if namespace and name else name


def test_no_route_escapes_the_matrix():
    covered = {row.route for row in PAGES + API}
    routes = {
        name
        for name in named_routes()
        if name not in EXCLUDED_NAMES and name.split(":")[0] not in EXCLUDED_NAMESPACES
    }
    assert routes - covered == set(), "add these routes to the permission matrix"
    assert covered - routes == set(), "these matrix rows name no route"
