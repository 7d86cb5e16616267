"""The contact workspace: one contact at hand and, when the person is known, their integrated
customer view, opened with the contact as its purpose (so the read is logged against it)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from contactcentre.api.screens import staff_screen
from contactcentre.firstline.selectors import customer_view
from contactcentre.interactions.selectors import contact_moments_visible
from contactcentre.processinglog.purposes import Purpose
from contactcentre.registry.selectors import party_not_found

VIEW_CUSTOMER = ("registry.view_party", "casemanagement.view_case", "interactions.view_contactmoment")


@staff_screen(*VIEW_CUSTOMER)  # first: an anonymous caller is sent to sign in, whatever the method
@require_GET
def workspace(request, contact_id: int):
    contact = contact_moments_visible(principal=request.principal).filter(pk=contact_id).first()
    if contact is None:
        raise party_not_found()
    view = None
    if contact.party_id is not None:
        view = customer_view(
            party_id=contact.party_id,
            viewer=request.principal,
            purpose=Purpose.CONTACT,
            purpose_reference=str(contact.pk),
        )
    return render(request, "console/contact.html", {"contact": contact, "view": view})
