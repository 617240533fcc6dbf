from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path(
        "organisation/<int:organization_id>/",
        views.organization_dashboard,
        name="organization-dashboard",
    ),
    path(
        "organisation/<int:organization_id>/rapport/",
        views.organization_report,
        name="organization-report",
    ),
    path(
        "organisation/<int:organization_id>/export.<str:fmt>",
        views.organization_export,
        name="organization-export",
    ),
    path("plateforme/", views.platform_dashboard, name="platform-dashboard"),
    path("plateforme/rapport/", views.platform_report, name="platform-report"),
    path("plateforme/export.<str:fmt>", views.platform_export, name="platform-export"),
    path("cohorte/<int:cohort_id>/export.<str:fmt>", views.cohort_export, name="cohort-export"),
    path("public/", views.public_dashboard, name="public-dashboard"),
    path("public/export.<str:fmt>", views.public_export, name="public-export"),
    path("cibles/", views.target_set, name="target-set"),
    path("actualiser/", views.refresh, name="refresh"),
]
