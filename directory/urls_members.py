from django.urls import path

from directory import views_members as views

# directory/urls.py tries the public paths first: a bare "<slug>/" profile path there would
# shadow these one-word prefixes, so profiles must live under a prefix of their own.
urlpatterns = [
    path("inscription/compte/", views.signup, name="signup"),
    path("inscription/compte/envoye/", views.signup_sent, name="signup-sent"),
    path(
        "inscription/compte/confirmer/<str:uidb64>/<str:token>/",
        views.signup_confirm,
        name="signup-confirm",
    ),
    path("inscription/", views.registration_start, name="registration-start"),
    path("inscription/<int:pk>/<slug:step>/", views.registration_step, name="registration-step"),
    path("mon-entreprise/", views.my_enterprises, name="my-enterprises"),
    path("mon-entreprise/<int:pk>/", views.my_enterprise, name="my-enterprise"),
    path(
        "mon-entreprise/<int:pk>/modifier/<slug:section>/",
        views.my_enterprise_section,
        name="my-enterprise-section",
    ),
    path(
        "mon-entreprise/<int:pk>/soumettre/",
        views.my_enterprise_submit,
        name="my-enterprise-submit",
    ),
    path(
        "mon-entreprise/<int:pk>/publication/",
        views.my_enterprise_publication,
        name="my-enterprise-publication",
    ),
    path(
        "mon-entreprise/<int:pk>/fichiers-fournisseurs/",
        views.my_enterprise_supplier_join,
        name="my-enterprise-supplier-join",
    ),
    path(
        "mon-entreprise/<int:pk>/fichiers-fournisseurs/<int:registration_pk>/retrait/",
        views.my_enterprise_supplier_withdraw,
        name="my-enterprise-supplier-withdraw",
    ),
    path("verification/", views.verification_queue, name="verification-queue"),
    path("verification/<int:pk>/", views.verification_detail, name="verification-detail"),
    path(
        "verification/<int:pk>/approuver/",
        views.verification_approve,
        name="verification-approve",
    ),
    path("verification/<int:pk>/refuser/", views.verification_reject, name="verification-reject"),
    path(
        "verification/demandes/<int:pk>/approuver/",
        views.join_request_decide,
        {"decision": "approve"},
        name="join-request-approve",
    ),
    path(
        "verification/demandes/<int:pk>/refuser/",
        views.join_request_decide,
        {"decision": "decline"},
        name="join-request-decline",
    ),
    path("fichier-fournisseurs/", views.supplier_file, name="supplier-file"),
    path("fichier-fournisseurs/export/", views.supplier_file_export, name="supplier-file-export"),
    path("fichier-fournisseurs/inscrire/", views.supplier_file_add, name="supplier-file-add"),
    path(
        "fichier-fournisseurs/<int:pk>/retrait/",
        views.supplier_file_withdraw,
        name="supplier-file-withdraw",
    ),
    path("listes/", views.shortlist_list, name="shortlist-list"),
    path("listes/ajouter/", views.shortlist_add, name="shortlist-add"),
    path(
        "listes/ajouter/<int:enterprise_pk>/", views.shortlist_add_page, name="shortlist-add-page"
    ),
    path("listes/<int:pk>/", views.shortlist_detail, name="shortlist-detail"),
    path("listes/<int:pk>/modifier/", views.shortlist_update, name="shortlist-update"),
    path("listes/<int:pk>/supprimer/", views.shortlist_delete, name="shortlist-delete"),
    path("listes/<int:pk>/export/", views.shortlist_export, name="shortlist-export"),
    path("listes/entrees/<int:pk>/", views.shortlist_entry_update, name="shortlist-entry-update"),
    path(
        "listes/entrees/<int:pk>/retirer/",
        views.shortlist_entry_remove,
        name="shortlist-entry-remove",
    ),
    path("export/", views.export_search, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/confirmer/", views.import_confirm, name="import-confirm"),
]
