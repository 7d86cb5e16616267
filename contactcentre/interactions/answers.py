"""Writes that finish a claimed work item with what the agent did about it, whatever screen they use:
a written answer to a web question, an SMS or an e-mail, sent back on the channel it came in on through
the outbox (the doors' transports deliver it), or the outcome of a callback. Each is all or nothing:
the item is done, the contact has its answer and the message is in the outbox, or none of it."""

from django.db import transaction
from django.utils.translation import gettext as _

from contactcentre.errors import NotFound, RuleViolation, ValidationFailed
from contactcentre.interactions.models import CallbackRequest, ContactMoment, Notification, WorkItem
from contactcentre.interactions.selectors import callbacks_of_work_items
from contactcentre.interactions.services import (
    callback_request_update,
    citizen_language,
    contact_moment_close,
    notification_enqueue,
)
from contactcentre.interactions.work_items import work_item_complete
from contactcentre.principal import Principal
from contactcentre.processinglog.purposes import Purpose

# The outbox channel an answer to each kind of work goes back on.
ANSWER_CHANNELS = {
    WorkItem.Kind.WEB: Notification.Channel.PORTAL,
    WorkItem.Kind.SMS: Notification.Channel.SMS,
    WorkItem.Kind.EMAIL: Notification.Channel.EMAIL,
}
ANSWER_MAX = 2000


@transaction.atomic
def work_item_answer(*, principal: Principal, item_id: int, text: str) -> Notification:
    """The one holding the item answers it in writing: its contact is closed as answered with the text,
    the answer goes to the outbox on the question's own channel, and the item is done. Once per item."""
    text = (text or "").strip()
    if not text or len(text) > ANSWER_MAX:
        raise ValidationFailed(
            field_errors={"text": [_("Schrijf een antwoord van hoogstens %(max)s tekens.") % {"max": ANSWER_MAX}]}
        )
    item = work_item_complete(principal=principal, item_id=item_id, outcome=_("Beantwoord"))
    channel = ANSWER_CHANNELS.get(item.kind)
    if channel is None:
        raise RuleViolation(_("Dit soort werk beantwoordt u niet met een bericht."), code="not_answerable")
    contact = item.contact_moment
    if contact is None or contact.party_id is None:
        # The outbox writes to a known person's own address; an unknown sender is answered by the door.
        raise RuleViolation(_("De afzender is niet bekend: stel eerst vast wie het is."), code="sender_unknown")
    contact_moment_close(contact=contact, outcome=ContactMoment.Outcome.ANSWERED, actor=principal, answer=text)
    with citizen_language(contact.party):
        subject = _("Antwoord op uw vraag")
    notification, _created = notification_enqueue(
        party=contact.party,
        subject=subject,
        body=text,
        dedupe_key=f"work-item-answer:{item.pk}",
        purpose=Purpose.CONTACT,
        purpose_reference=str(contact.pk),
        channel=channel,
    )
    return notification


@transaction.atomic
def work_item_callback_record(
    *, principal: Principal, item_id: int, reached: bool, result: str = ""
) -> CallbackRequest:
    """The one holding a callback item called: reached (done) or not (failed), with what came of it."""
    status = CallbackRequest.Status.DONE if reached else CallbackRequest.Status.FAILED
    item = work_item_complete(principal=principal, item_id=item_id, outcome=str(status.label))
    callback = callbacks_of_work_items([item]).get(item.pk)
    if callback is None:
        raise NotFound(_("Terugbelverzoek niet gevonden."))
    return callback_request_update(callback=callback, status=status, actor=principal, result=result.strip())
