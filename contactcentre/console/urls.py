from django.urls import path

from contactcentre.console import contacts, oidc, views, work

urlpatterns = [
    path("aanmelden/", views.StaffLoginView.as_view(), name="staff-login"),
    path("aanmelden/organisatie/", oidc.StaffOIDCStart.as_view(), name="staff-oidc-start"),
    path("aanmelden/organisatie/terug/", oidc.StaffOIDCCallback.as_view(), name="staff-oidc-callback"),
    path("afmelden/", views.StaffLogoutView.as_view(), name="staff-logout"),
    path("medewerker/", views.staff_home, name="staff-home"),
    path("medewerker/contacten/<int:contact_id>/", contacts.workspace, name="console-contact"),
    path("medewerker/werk/", work.work_page, name="console-work"),
    path("medewerker/werk/volgende/", work.claim_next, name="console-work-claim-next"),
    path("medewerker/werk/<int:item_id>/pakken/", work.claim, name="console-work-claim"),
    path("medewerker/werk/<int:item_id>/teruggeven/", work.release, name="console-work-release"),
    path("medewerker/werk/<int:item_id>/afronden/", work.complete, name="console-work-complete"),
    path("medewerker/werk/<int:item_id>/antwoorden/", work.answer, name="console-work-answer"),
    path("medewerker/werk/<int:item_id>/terugbellen/", work.callback_outcome, name="console-work-callback"),
]
