"""Demo data for the counter: two offices of the municipality with their services, the demo clerk at
both, appointments today for a few demo people, a kiosk client and the waiting-room display links."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from channels_app.counter.models import Appointment, CounterService, Office
from channels_app.counter.selectors import office_display_token
from channels_app.counter.services import KIOSK_SCOPE
from contactcentre.api.models import ApiClient
from contactcentre.api.services import api_client_create
from contactcentre.registry.models import Organisation, Party

SERVER = "http://127.0.0.1:8000"
MUNICIPALITY = "gem-voorbeeldstad"
OFFICES = [
    ("stadhuis", "Stadhuis Voorbeeldstad", "Markt 1\n3511 AA Voorbeeldstad"),
    ("servicepunt-noord", "Servicepunt Noord", "Noorderplein 12\n3521 BC Voorbeeldstad"),
]
SERVICES = [
    ("paspoort-id", "Paspoort en identiteitskaart", "P"),
    ("rijbewijs", "Rijbewijs", "R"),
    ("verhuizen", "Verhuizen en uittreksels", "V"),
    ("overig", "Overige vragen", "A"),
]
KIOSK_NAME = "Demo-kiosk Stadhuis"
CLERKS = ["balie"]


def seed() -> list[str]:
    municipality = Organisation.objects.filter(code=MUNICIPALITY).first()
    clerks = list(get_user_model().objects.filter(username__in=CLERKS))
    lines = ["Balie:"]
    for code, name, address in OFFICES:
        office, _ = Office.objects.update_or_create(
            code=code, defaults={"name": name, "address": address, "organisation": municipality, "is_active": True}
        )
        office.clerks.add(*clerks)
        for service_code, service_name, prefix in SERVICES:
            CounterService.objects.update_or_create(
                office=office, code=service_code, defaults={"name": service_name, "ticket_prefix": prefix}
            )
        url = reverse("counter-waiting-room", args=[code])
        lines.append(f"  Wachtkamerscherm {name}: {SERVER}{url}?token={office_display_token(office=office)}")

    stadhuis = Office.objects.get(code="stadhuis")
    passport = CounterService.objects.get(office=stadhuis, code="paspoort-id")
    people = list(Party.objects.filter(kind=Party.Kind.PERSON).order_by("id")[:3])
    # The first can check in at once (the window opens 15 minutes before), the others a little later.
    start = timezone.localtime().replace(second=0, microsecond=0) + timedelta(minutes=5)
    for n, person in enumerate(people):
        appointment, _ = Appointment.objects.update_or_create(
            office=stadhuis,
            service=passport,
            party=person,
            checked_in_at=None,
            defaults={"starts_at": start + timedelta(minutes=20 * n)},
        )
        when = timezone.localtime(appointment.starts_at)
        lines.append(f"  Afspraak {when:%H:%M} {passport.name}: aanmeldcode {appointment.check_in_code}")

    if municipality is not None:
        ApiClient.objects.filter(name=KIOSK_NAME).delete()  # a fresh token each seed: the old one was shown once
        _client, token = api_client_create(name=KIOSK_NAME, organisation=municipality, scopes=[KIOSK_SCOPE])
        lines.append(f"  Kiosk-token (Authorization: Bearer …): {token}")
    return lines
