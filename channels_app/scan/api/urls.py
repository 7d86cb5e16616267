from django.urls import path

from channels_app.scan.api import views

urlpatterns = [
    path("scans", views.ScannedLetterListView.as_view(), name="scanned-letter-list"),
    path("scans/<int:letter_id>", views.ScannedLetterDetailView.as_view(), name="scanned-letter-detail"),
]
