from django.urls import path

from contactcentre.api import views

urlpatterns = [
    path("me", views.WhoAmIView.as_view(), name="api-me"),
]
