from django.urls import path

from contactcentre.console import contacts, oidc, views

urlpatterns = [
    path("aanmelden/", views.StaffLoginView.as_view(), name="staff-login"),
    path("aanmelden/organisatie/", oidc.StaffOIDCStart.as_view(), name="staff-oidc-start"),
    path("aanmelden/organisatie/terug/", oidc.StaffOIDCCallback.as_view(), name="staff-oidc-callback"),
    path("afmelden/", views.StaffLogoutView.as_view(), name="staff-logout"),
    path("medewerker/", views.staff_home, name="staff-home"),
    path("medewerker/contacten/<int:contact_id>/", contacts.workspace, name="console-contact"),
]
