from django.urls import path

from procurement import views_ocds

urlpatterns = [
    path("ocds/importer/", views_ocds.import_upload, name="ocds-import"),
    path("ocds/importer/<str:token>/", views_ocds.import_report, name="ocds-import-report"),
    path("ocds/exporter/", views_ocds.export_download, name="ocds-export"),
]
