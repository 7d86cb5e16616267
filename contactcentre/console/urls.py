from django.urls import path

from contactcentre.console import board, contact_actions, contacts, oidc, views, work

CONTACT = "medewerker/contacten/<int:contact_id>/"

urlpatterns = [
    path("aanmelden/", views.StaffLoginView.as_view(), name="staff-login"),
    path("aanmelden/organisatie/", oidc.StaffOIDCStart.as_view(), name="staff-oidc-start"),
    path("aanmelden/organisatie/terug/", oidc.StaffOIDCCallback.as_view(), name="staff-oidc-callback"),
    path("afmelden/", views.StaffLogoutView.as_view(), name="staff-logout"),
    path("medewerker/", views.staff_home, name="staff-home"),
    path("medewerker/contacten/nieuw/", contacts.contact_new, name="console-contact-new"),
    path(CONTACT, contacts.workspace, name="console-contact"),
    path(f"{CONTACT}persoon/", contacts.identify, name="console-contact-identify"),
    path(f"{CONTACT}kennis/", contact_actions.knowledge_search, name="console-contact-knowledge"),
    path(f"{CONTACT}kennis/gebruikt/", contact_actions.knowledge_link, name="console-contact-knowledge-link"),
    path(f"{CONTACT}afsluiten/", contact_actions.outcome, name="console-contact-outcome"),
    path(f"{CONTACT}gegevens/", contact_actions.base_data, name="console-contact-base-data"),
    path(f"{CONTACT}gegevens/code/", contact_actions.base_data_confirm, name="console-contact-base-data-confirm"),
    path(f"{CONTACT}gegevens/verzoek/", contact_actions.base_data_request, name="console-contact-base-data-request"),
    path(f"{CONTACT}doorzetten/", contact_actions.escalate, name="console-contact-escalate"),
    path(f"{CONTACT}terugbellen/", contact_actions.callback, name="console-contact-callback"),
    path("medewerker/werk/", work.work_page, name="console-work"),
    path("medewerker/werk/volgende/", work.claim_next, name="console-work-claim-next"),
    path("medewerker/werk/<int:item_id>/pakken/", work.claim, name="console-work-claim"),
    path("medewerker/werk/<int:item_id>/teruggeven/", work.release, name="console-work-release"),
    path("medewerker/werk/<int:item_id>/afronden/", work.complete, name="console-work-complete"),
    path("medewerker/werk/<int:item_id>/antwoorden/", work.answer, name="console-work-answer"),
    path("medewerker/werk/<int:item_id>/terugbellen/", work.callback_outcome, name="console-work-callback"),
    path("medewerker/bord/", board.board, name="console-board"),
]
