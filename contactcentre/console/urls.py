from django.urls import path

from contactcentre.console import board, contacts, views

urlpatterns = [
    path("aanmelden/", views.StaffLoginView.as_view(), name="staff-login"),
    path("afmelden/", views.StaffLogoutView.as_view(), name="staff-logout"),
    path("medewerker/", views.staff_home, name="staff-home"),
    path("medewerker/contacten/<int:contact_id>/", contacts.workspace, name="console-contact"),
    path("medewerker/bord/", board.board, name="console-board"),
]
