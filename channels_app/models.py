"""The doors' models; each door keeps its own in its package and is named here for Django."""

from channels_app.counter.models import Appointment, CounterService, Office, OfficeDayCounter, Ticket

__all__ = ["Appointment", "CounterService", "Office", "OfficeDayCounter", "Ticket"]
