"""Offices, services and appointments for the counter tests."""

from datetime import timedelta

from django.utils import timezone

from channels_app.counter.models import Appointment, CounterService, Office
from tests.factories import OrganisationFactory

SERVICES = (("paspoort-id", "Paspoort en identiteitskaart", "P"), ("overig", "Overige vragen", "A"))


def make_office(code="stadhuis", *, organisation=None, clerks=()) -> Office:
    office = Office.objects.create(
        code=code,
        name=f"Vestiging {code}",
        organisation=organisation or OrganisationFactory(code="gem-voorbeeldstad", kind="municipality"),
    )
    office.clerks.add(*clerks)
    for service_code, name, prefix in SERVICES:
        CounterService.objects.create(office=office, code=service_code, name=name, ticket_prefix=prefix)
    return office


def make_appointment(office, *, service="paspoort-id", minutes_from_now=5, party=None) -> Appointment:
    return Appointment.objects.create(
        office=office,
        service=office.services.get(code=service),
        starts_at=timezone.now() + timedelta(minutes=minutes_from_now),
        party=party,
    )
