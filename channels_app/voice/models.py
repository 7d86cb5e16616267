"""A phone call's flow through the voice menu (channels_app/voice): which contact it is, what the menu
gave the caller, which queue it waits in, and how it ended."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contactcentre.interactions.models import ContactMoment
from lifeevents.models import LifeEvent


class VoiceCall(models.Model):
    """One inbound call, once per Twilio CallSid, with the contact moment it opened."""

    call_sid = models.CharField(_("Twilio CallSid"), max_length=64, unique=True)
    contact = models.OneToOneField(
        ContactMoment, on_delete=models.CASCADE, related_name="voice_call", verbose_name=_("contactmoment")
    )
    # What the menu gave the caller (a contact outcome code), the contact's outcome when the call ends.
    outcome = models.CharField(_("resultaat menu"), max_length=24, choices=ContactMoment.Outcome.choices, blank=True)
    life_event = models.ForeignKey(
        LifeEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("gekozen")
    )
    queue_code = models.CharField(_("wachtrij"), max_length=64, blank=True)
    enqueued_at = models.DateTimeField(_("in de wachtrij om"), null=True, blank=True)
    connected_at = models.DateTimeField(_("doorverbonden om"), null=True, blank=True)
    connected_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("beëindigd om"), null=True, blank=True)
    call_status = models.CharField(_("eindstatus bij Twilio"), max_length=16, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duur (seconden)"), null=True, blank=True)

    class Meta:
        verbose_name = _("telefoongesprek")
        verbose_name_plural = _("telefoongesprekken")
        indexes = [
            # An agent takes the caller who has waited longest in their skill queues.
            models.Index(
                fields=["queue_code", "enqueued_at"],
                name="voicecall_waiting_idx",
                condition=Q(enqueued_at__isnull=False, connected_at__isnull=True, ended_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.call_sid
