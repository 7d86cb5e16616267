from django.urls import path

from contactcentre.processinglog.api import views

urlpatterns = [
    path("parties/<int:party_id>/processing-log", views.PartyProcessingLogView.as_view(), name="party-processing-log"),
    path("citizen/processing-log", views.CitizenProcessingLogView.as_view(), name="citizen-processing-log"),
]
