from django.urls import path

from contactcentre.firstline.api import views

urlpatterns = [
    path("first-line/contacts", views.ContactOpenView.as_view(), name="firstline-contact-open"),
    path("parties/<int:party_id>/customer-view", views.CustomerViewView.as_view(), name="customer-view"),
]
