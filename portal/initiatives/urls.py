from django.urls import path

from portal.initiatives import views

app_name = "initiatives"

# Fixed prefixes come before the initiative's slug (Initiative.save() keeps slugs off them).
urlpatterns = [
    path("", views.index, name="index"),
    path("nouvelle/", views.initiative_create, name="initiative-create"),
    path("cohortes/<int:pk>/", views.cohort, name="cohort"),
    path("cohortes/<int:pk>/appels/nouveau/", views.call_create, name="call-create"),
    path("cohortes/<int:pk>/portfolio/", views.cohort_portfolio, name="cohort-portfolio"),
    path(
        "cohortes/<int:pk>/portfolio.pdf", views.cohort_portfolio_pdf, name="cohort-portfolio-pdf"
    ),
    path("appels/<int:pk>/", views.call, name="call"),
    path("appels/<int:pk>/postuler/", views.call_apply, name="call-apply"),
    path("appels/<int:pk>/fermer/", views.call_close, name="call-close"),
    path("appels/<int:pk>/candidatures/", views.call_review, name="call-review"),
    path("candidatures/<int:pk>/", views.application, name="application"),
    path("candidatures/<int:pk>/evaluation/", views.application_score, name="application-score"),
    path("candidatures/<int:pk>/decision/", views.application_decide, name="application-decide"),
    path("portfolio/", views.search_portfolio, name="portfolio"),
    path("portfolio.pdf", views.search_portfolio_pdf, name="portfolio-pdf"),
    path("formation/", views.training, name="training"),
    path("formation/<slug:slug>/", views.training_module, name="training-module"),
    path("<slug:slug>/", views.initiative, name="initiative"),
    path("<slug:slug>/cohortes/nouvelle/", views.cohort_create, name="cohort-create"),
]
