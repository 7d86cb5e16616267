"""Demo data for the registry: organisations (with regions), the single-source rules, and a few dozen
fictitious people and businesses in Voorbeeldstad with valid (elfproef / mod-97) but invented numbers.
Idempotent: people are matched by BSN, businesses by KvK number."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from contactcentre import kennisbank
from contactcentre.registry.models import Address, BankAccount, Consent, DigitalAddress, Language, Party
from contactcentre.registry.services import data_source_rules_seed, organisations_import

GIVEN = [
    "Anna",
    "Bram",
    "Chantal",
    "Daan",
    "Esra",
    "Fleur",
    "Gijs",
    "Hanneke",
    "Ivo",
    "Joyce",
    "Kees",
    "Lotte",
    "Mohamed",
    "Noor",
    "Olga",
    "Pieter",
    "Qin",
    "Roos",
    "Sem",
    "Tamara",
    "Umut",
    "Vera",
    "Wouter",
    "Yara",
]
SURNAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Yilmaz"),
    ("van", "Dijk"),
    ("", "Kowalski"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "El Amrani"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Peters"),
    ("", "Vos"),
    ("van der", "Linden"),
]
STREETS = [
    "Dorpsstraat",
    "Kerkweg",
    "Stationsplein",
    "Molenlaan",
    "Havenkade",
    "Lindenlaan",
    "Schoolstraat",
    "Beukenhof",
    "Raadhuisplein",
    "Zuiderweg",
]
BANKS = ["ABNA", "INGB", "RABO", "TRIO", "SNSB", "ASNB"]
BUSINESSES = [
    "Bakkerij Het Zuiden",
    "Fietsenmaker De Spaak",
    "Kapsalon Knip",
    "Installatiebedrijf Warmte & Co",
    "Café De Gouden Leeuw",
    "Boekhandel Letterwijs",
    "Schildersbedrijf Kleurrijk",
    "Bloemenkiosk Roos",
]
PEOPLE = 32


def _valid_bsn(n: int) -> str:
    """The n-th elfproef-valid number in the 999xxxxxx range used for test BSNs (fictitious)."""
    candidate, found = 999_000_000, -1
    while True:
        candidate += 1
        if stdnum_bsn.is_valid(str(candidate)):
            found += 1
            if found == n:
                return str(candidate)


def _nl_iban(n: int) -> str:
    bban = f"{BANKS[n % len(BANKS)]}{(n * 7919 + 1_000_000) % 10**10:010d}"
    return f"NL{stdnum_iban.calc_check_digits('NL00' + bban)}{bban}"


def _postcode(n: int) -> str:
    letters = "ABCDEGHJKLMNPRTVWXZ"
    return f"{3500 + n % 90} {letters[n % len(letters)]}{letters[(n * 3) % len(letters)]}"


@transaction.atomic
def seed() -> list[str]:
    organisations_import(rows=kennisbank.load("organisations"))
    rules = data_source_rules_seed()
    made_people = made_businesses = 0
    now = timezone.now()
    for n in range(PEOPLE):
        prefix, surname = SURNAMES[n % len(SURNAMES)]
        party, created = Party.objects.get_or_create(
            bsn=_valid_bsn(n),
            defaults={
                "kind": Party.Kind.PERSON,
                "given_names": GIVEN[n % len(GIVEN)],
                "surname_prefix": prefix,
                "surname": surname,
                "date_of_birth": date(1940 + (n * 7) % 65, 1 + n % 12, 1 + (n * 5) % 28),
                "secret_address": n % 16 == 5,
                "preferred_channel": ["email", "sms", "letter", "portal", "phone"][n % 5],
                "preferred_language": Language.ENGLISH if n % 11 == 3 else Language.DUTCH,
            },
        )
        if not created:
            continue
        made_people += 1
        home = {
            "street": STREETS[n % len(STREETS)],
            "house_number": 1 + (n * 13) % 180,
            "house_number_addition": "A" if n % 9 == 0 else "",
            "postcode": _postcode(n),
            "city": "Voorbeeldstad",
        }
        Address.objects.create(party=party, kind=Address.Kind.RESIDENTIAL, **home)
        if n % 6 == 1:
            Address.objects.create(
                party=party,
                kind=Address.Kind.CORRESPONDENCE,
                street="Postbus",
                house_number=1000 + n,
                postcode=_postcode(n + 40),
                city="Voorbeeldstad",
            )
        DigitalAddress.objects.create(
            party=party, kind=DigitalAddress.Kind.PHONE, value=f"+3161{n:07d}", is_default=True, verified_at=now
        )
        if n % 4 != 3:
            DigitalAddress.objects.create(
                party=party,
                kind=DigitalAddress.Kind.EMAIL,
                value=f"{GIVEN[n % len(GIVEN)].lower()}.{surname.lower().replace(' ', '')}{n}@voorbeeld.nl",
                is_default=True,
                verified_at=now if n % 2 == 0 else None,
            )
        BankAccount.objects.create(party=party, iban=_nl_iban(n), is_default=True)
        if n % 3 == 0:
            Consent.objects.create(
                party=party,
                purpose=Consent.Purpose.SMS_NOTIFICATIONS,
                granted=True,
                channel="portal",
                changed_at=now,
                granted_at=now,
                recorded_by="demo",
            )
        if n % 5 == 0:
            Consent.objects.create(
                party=party,
                purpose=Consent.Purpose.SHARE_CONTACT_HISTORY,
                granted=n % 10 == 0,
                channel="phone",
                changed_at=now,
                granted_at=now if n % 10 == 0 else None,
                withdrawn_at=None if n % 10 == 0 else now,
                recorded_by="demo",
            )
    for n, name in enumerate(BUSINESSES):
        party, created = Party.objects.get_or_create(
            kvk_number=f"{90000000 + n * 1117:08d}",
            defaults={
                "kind": Party.Kind.BUSINESS,
                "business_name": name,
                "rsin": _valid_bsn(500 + n),
                "preferred_channel": "email",
            },
        )
        if not created:
            continue
        made_businesses += 1
        Address.objects.create(
            party=party,
            kind=Address.Kind.RESIDENTIAL,
            street=STREETS[(n + 3) % len(STREETS)],
            house_number=10 + n,
            postcode=_postcode(n + 70),
            city="Voorbeeldstad",
        )
        DigitalAddress.objects.create(
            party=party, kind=DigitalAddress.Kind.EMAIL, value=f"info{n}@bedrijf.voorbeeld.nl", is_default=True
        )
        BankAccount.objects.create(party=party, iban=_nl_iban(100 + n), is_default=True)
    return [
        f"Register: {len(rules)} bronafspraken, {made_people} personen en {made_businesses} bedrijven toegevoegd "
        f"(totaal {Party.objects.count()} partijen)."
    ]
