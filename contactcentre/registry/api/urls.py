from django.urls import path

from contactcentre.registry.api import views

urlpatterns = [
    path("parties/search", views.PartySearchView.as_view(), name="party-search"),
    path("parties/<int:party_id>", views.PartyBaseDataView.as_view(), name="party-base-data"),
    path("parties/<int:party_id>/base-data-changes", views.BaseDataChangesView.as_view(), name="party-changes"),
    path("parties/<int:party_id>/verifications", views.VerificationStartView.as_view(), name="verification-start"),
    path("parties/<int:party_id>/consents", views.ConsentsView.as_view(), name="party-consents"),
    path(
        "verifications/<int:verification_id>/confirm",
        views.VerificationConfirmView.as_view(),
        name="verification-confirm",
    ),
    path("citizen/base-data", views.CitizenBaseDataView.as_view(), name="citizen-base-data"),
    path("citizen/consents", views.CitizenConsentsView.as_view(), name="citizen-consents"),
]
