from django.urls import path

from procurement import views

# French paths (the portal is French-first); names follow app:model-action.
urlpatterns = [
    path("", views.index, name="index"),
    # Annual needs: public when published.
    path("besoins/", views.need_list, name="need-list"),
    path("besoins/nouveau/", views.need_create, name="need-create"),
    path("besoins/<int:pk>/", views.need_detail, name="need-detail"),
    path("besoins/<int:pk>/modifier/", views.need_update, name="need-update"),
    path("besoins/<int:pk>/publication/", views.need_publish, name="need-publish"),
    # Processes, with their invitations, bids and awards.
    path("processus/", views.process_list, name="process-list"),
    path("processus/nouveau/", views.process_create, name="process-create"),
    path("processus/<int:pk>/", views.process_detail, name="process-detail"),
    path("processus/<int:pk>/modifier/", views.process_update, name="process-update"),
    path("processus/<int:pk>/statut/", views.process_status, name="process-status"),
    path("processus/<int:pk>/suggestions/", views.process_suggestions, name="process-suggestions"),
    path(
        "processus/<int:pk>/suggestions/inviter/",
        views.process_invite_suggested,
        name="process-invite-suggested",
    ),
    path("processus/<int:pk>/invitations/", views.invitation_create, name="invitation-create"),
    path("processus/<int:pk>/soumissions/", views.bid_create, name="bid-create"),
    path("processus/<int:pk>/adjudication/", views.award_create, name="award-create"),
    # Awards: never deleted, cancelled.
    path("contrats/", views.award_list, name="award-list"),
    path("contrats/gre-a-gre/", views.direct_award, name="direct-award"),
    path("contrats/cumuls/", views.cumulative, name="cumulative"),
    path("contrats/<int:pk>/", views.award_detail, name="award-detail"),
    path("contrats/<int:pk>/annuler/", views.award_cancel, name="award-cancel"),
    path("contrats/<int:pk>/activer/", views.award_activate, name="award-activate"),
    # Activities and business contacts.
    path("activites/", views.activity_list, name="activity-list"),
    path("activites/nouvelle/", views.activity_create, name="activity-create"),
    path("activites/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activites/<int:pk>/modifier/", views.activity_update, name="activity-update"),
    path("contacts/", views.contact_list, name="contact-list"),
    path("contacts/nouveau/", views.contact_create, name="contact-create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact-detail"),
    # Organizations and their commitment declarations: public.
    path("organisations/", views.organization_list, name="organization-list"),
    path("organisations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path(
        "organisations/<slug:slug>/engagement/",
        views.organization_commitment,
        name="organization-commitment",
    ),
    # Toolkit: public; coordinators edit.
    path("boite-a-outils/", views.toolkit, name="toolkit"),
    path("boite-a-outils/nouvelle-fiche/", views.toolkit_edit, name="toolkit-create"),
    path("boite-a-outils/<slug:slug>/", views.toolkit_entry, name="toolkit-entry"),
    path("boite-a-outils/<slug:slug>/modifier/", views.toolkit_edit, name="toolkit-update"),
    # The EÉS's own invitations, bids and awards.
    path("mes-invitations/", views.my_invitations, name="my-invitations"),
    path("mes-invitations/<int:pk>/reponse/", views.invitation_respond, name="invitation-respond"),
    path("besoins/courriel-quotidien/", views.digest_subscription, name="digest-subscription"),
]
