from django.urls import path

from procurement import views

urlpatterns = [
    path("", views.index, name="index"),
]
