from functools import cache

from django.urls import path, register_converter

from directory import views


@cache
def members_first_segments() -> frozenset[str]:
    from directory import urls_members

    return frozenset(str(pattern.pattern).split("/")[0] for pattern in urls_members.urlpatterns)


class EnterpriseSlugConverter:
    """An enterprise's slug, but never a members' page: `/annuaire/<slug>/` is listed before
    the members' URLs, and refusing their names lets the resolver go on to them."""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        if value in members_first_segments():
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(EnterpriseSlugConverter, "enterprise_slug")

urlpatterns = [
    path("", views.index, name="index"),
    path("<enterprise_slug:slug>/", views.enterprise_detail, name="enterprise-detail"),
]
