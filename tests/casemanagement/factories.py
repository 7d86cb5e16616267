"""Case types and cases for tests. Cases are made through the service, so deadlines and history are real."""

from datetime import timedelta

import factory
from django.utils import timezone

from casemanagement.models import CaseType, Confidentiality, StatusType
from casemanagement.services import case_open
from contactcentre.principal import SYSTEM
from tests.factories import OrganisationFactory
from tests.factories import PersonFactory as SharedPersonFactory


def _bsn(n: int) -> str:
    """A valid BSN built digit by digit, unique per n (the shared factory's search from n*10 can run
    into the next n's block about once in eleven, so two people got the same BSN)."""
    prefix = 20000000 + 2 * n  # even prefixes for n; an odd one is the fallback below
    for candidate in (prefix, prefix + 1):
        digits = [int(d) for d in f"{candidate:08d}"]
        check = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True)) % 11
        if check < 10:
            return f"{candidate:08d}{check}"
    raise AssertionError("unreachable")  # pragma: no cover


class PersonFactory(SharedPersonFactory):
    bsn = factory.Sequence(_bsn)


class CaseTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseType
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"zaaktype-{n}")
    name = factory.Sequence(lambda n: f"Zaaktype {n}")
    legal_term_days = 56
    extension_days = 28

    @factory.post_generation
    def statuses(self, create, extracted, **kwargs):
        """Default: ontvangen -> in-behandeling -> besloten (final)."""
        rows = extracted or [
            ("ontvangen", "Ontvangen", "Wij hebben uw aanvraag ontvangen.", False),
            ("in-behandeling", "In behandeling", "Uw aanvraag wordt behandeld.", False),
            ("besloten", "Besloten", "Er is een besluit genomen.", True),
        ]
        for order, (code, name, text, final) in enumerate(rows, start=1):
            StatusType.objects.create(
                case_type=self, order=order, code=code, name=name, citizen_text=text, is_final=final
            )


def make_case(
    *,
    party=None,
    case_type=None,
    organisation=None,
    reference="",
    days_ago=0,
    confidentiality=Confidentiality.NORMAL,
):
    case_type = case_type or CaseTypeFactory(**({"organisation": organisation} if organisation else {}))
    return case_open(
        case_type=case_type,
        party=party or PersonFactory(),
        actor=SYSTEM,
        reference=reference,
        opened_at=timezone.now() - timedelta(days=days_ago),
        confidentiality=confidentiality,
    )
