"""The printable portfolio of EÉS handed out at matchmaking activities: HTML and PDF.

A portfolio lists published EÉS only (their consent to publication covers a handout); the
managers' contacts appear only for people who may see them (`Roles.sees_contacts`).
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict
from django.template.loader import render_to_string

from directory.models import Enterprise, Offering

PRINT_CSS = "css/initiatives.css"
# One PDF is built in the request; a directory search wider than this must be narrowed.
MAX_ENTERPRISES = 200


def with_portfolio_data(queryset: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Everything one portfolio page shows, in a constant number of queries."""
    return queryset.select_related("region", "municipality", "primary_sector").prefetch_related(
        Prefetch("offerings", queryset=Offering.objects.select_related("category")),
        "achievements",
        "impacts",
        "contacts",
    )


def search_enterprises(params: QueryDict, request) -> QuerySet[Enterprise]:
    """Published EÉS matching the directory search page's GET parameters.

    The directory's FilterSet is the one definition of those parameters; until it exists the
    portfolio understands `q` alone (name or search text).
    """
    queryset = Enterprise.objects.published()
    try:
        from directory.filters import EnterpriseFilterSet
    except ImportError:
        query = (params.get("q") or "").strip()
        if query:
            queryset = queryset.filter(
                Q(name__icontains=query) | Q(search_document__icontains=query)
            )
        return queryset.order_by("name")
    params = params.copy()
    if "q" in params and "search" not in params:
        params["search"] = params.pop("q")[-1]  # the directory page's short name for the words
    # An invalid filter is left out by the FilterSet (and reported on the directory's page).
    return EnterpriseFilterSet(params, queryset=queryset, request=request).qs


def stylesheet() -> str:
    """The print stylesheet's text, read from disk: the PDF renderer fetches nothing."""
    path = finders.find(PRINT_CSS)
    return Path(path).read_text(encoding="utf-8") if path else ""


def _media_only_fetcher():
    """WeasyPrint fetcher that reads uploaded files (logos) and refuses anything else."""
    from weasyprint.urls import URLFetcher

    media_root = Path(settings.MEDIA_ROOT).resolve()

    class MediaOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_relative_to(media_root) and path.is_file():
                    return super().fetch(url, headers)
            raise ValueError(f"The portfolio PDF fetches no resource: {url}")

    return MediaOnlyFetcher(allowed_protocols={"data", "file"})


def pdf_document(template: str, context: dict, request=None):
    """The laid-out WeasyPrint document (its `pages` tell how the portfolio breaks)."""
    import weasyprint

    html = render_to_string(template, {**context, "print_css": stylesheet()}, request=request)
    media_root = Path(settings.MEDIA_ROOT).resolve()
    return weasyprint.HTML(
        string=html, base_url=media_root.as_uri() + "/", url_fetcher=_media_only_fetcher()
    ).render()


def render_pdf(template: str, context: dict, request=None) -> bytes:
    return pdf_document(template, context, request=request).write_pdf()
