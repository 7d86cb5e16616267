import pytest
from django.db import transaction
from django.utils import timezone

from casemanagement.models import Confidentiality
from casemanagement.services import case_status_record
from contactcentre.errors import ValidationFailed
from contactcentre.interactions.models import Notification
from contactcentre.interactions.services import notification_channel_for, notification_enqueue, notifications_resend
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.models import Consent
from tests.casemanagement.factories import CaseTypeFactory, PersonFactory, make_case

pytestmark = pytest.mark.django_db

NOTIFYING = [
    ("ontvangen", "Ontvangen", "Wij hebben uw aanvraag ontvangen.", False),
    ("besloten", "Besloten", "Er is een besluit genomen; u krijgt een brief.", True),
]


def _consent(party, purpose, granted):
    Consent.objects.update_or_create(
        party=party,
        purpose=purpose,
        organisation=None,
        defaults={"granted": granted, "channel": "portal", "changed_at": timezone.now()},
    )


def _notifying_type():
    case_type = CaseTypeFactory(statuses=NOTIFYING)
    case_type.status_types.filter(code="besloten").update(notify_citizen=True)
    return case_type


def test_a_status_the_citizen_is_told_about_goes_to_the_outbox_once():
    party = PersonFactory(preferred_channel="sms")
    _consent(party, "sms_notifications", True)
    case = make_case(party=party, case_type=_notifying_type(), reference="Z9")
    assert Notification.objects.count() == 0  # "ontvangen" is not announced

    entry = case_status_record(case=case, status_code="besloten", actor=SYSTEM)
    [message] = Notification.objects.all()
    assert (message.party, message.channel, message.status) == (party, "sms", "pending")
    assert message.dedupe_key == f"case-status:{entry.pk}"
    assert message.body.endswith("Er is een besluit genomen; u krijgt een brief.")
    assert "Z9" in message.subject
    assert ProcessingRecord.objects.filter(object_type="notification", action="create").count() == 1

    again, created = notification_enqueue(
        party=party, subject="x", body="y", dedupe_key=message.dedupe_key, purpose="case", purpose_reference="Z9"
    )
    assert (again.pk, created) == (message.pk, False)
    assert Notification.objects.count() == 1


def test_without_consent_the_message_goes_by_letter_and_withdrawal_counts_at_once():
    party = PersonFactory(preferred_channel="email")
    assert notification_channel_for(party=party) == "letter"
    _consent(party, "email_notifications", True)
    assert notification_channel_for(party=party) == "email"
    _consent(party, "email_notifications", False)
    assert notification_channel_for(party=party) == "letter"
    assert notification_channel_for(party=PersonFactory(preferred_channel="portal")) == "portal"


def test_secret_cases_are_never_announced():
    case = make_case(case_type=_notifying_type(), confidentiality=Confidentiality.SECRET)
    case_status_record(case=case, status_code="besloten", actor=SYSTEM)
    assert Notification.objects.count() == 0


def test_the_message_is_written_with_the_status_or_not_at_all():
    case = make_case(case_type=_notifying_type())
    with pytest.raises(RuntimeError), transaction.atomic():
        case_status_record(case=case, status_code="besloten", actor=SYSTEM)
        raise RuntimeError("the caller's transaction fails after the status was recorded")
    assert Notification.objects.count() == 0
    case.refresh_from_db()
    assert case.status.code == "ontvangen"


def test_resend_puts_failed_and_dead_messages_back_only():
    party = PersonFactory()
    made = {}
    for status in ("pending", "sent", "failed", "dead"):
        made[status], _ = notification_enqueue(
            party=party, subject="s", body="b", dedupe_key=f"k-{status}", purpose="case", purpose_reference="r"
        )
        Notification.objects.filter(pk=made[status].pk).update(status=status, attempts=5, last_error="boom")
    assert notifications_resend(ids=[m.pk for m in made.values()]) == 2
    states = dict(Notification.objects.values_list("dedupe_key", "status"))
    assert states == {"k-pending": "pending", "k-sent": "sent", "k-failed": "pending", "k-dead": "pending"}
    assert Notification.objects.get(dedupe_key="k-dead").attempts == 0


def test_an_answer_names_its_channel_instead_of_the_preference_and_an_unknown_one_is_refused():
    party = PersonFactory(preferred_channel="portal")
    common = {"party": party, "subject": "Antwoord", "body": "Ja.", "purpose": "contact", "purpose_reference": "1"}

    sms, _created = notification_enqueue(dedupe_key="answer:1", channel="sms", **common)
    preferred, _created = notification_enqueue(dedupe_key="answer:2", **common)
    with pytest.raises(ValidationFailed):
        notification_enqueue(dedupe_key="answer:3", channel="fax", **common)

    assert (sms.channel, preferred.channel) == ("sms", "portal")
    assert not Notification.objects.filter(dedupe_key="answer:3").exists()


@pytest.mark.parametrize(("language", "subject"), [("en", "News about your case Z7"), ("", "Nieuws over uw zaak Z7")])
def test_the_message_is_written_in_the_citizens_preferred_language(language, subject):
    party = PersonFactory(preferred_language=language)
    case = make_case(party=party, case_type=_notifying_type(), reference="Z7")
    case_status_record(case=case, status_code="besloten", actor=SYSTEM)
    assert Notification.objects.get().subject == subject
