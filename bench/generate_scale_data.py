#!/usr/bin/env python
"""Fill a PostgreSQL database with a nation-sized data set, in bulk, for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/generate_scale_data.py --parties 200000 --cases 1000000 --contacts 2000000

What it does, in one transaction so a failure leaves the database as it was:
1. migrates, loads the organisations, source rules and case types (with their ordered statuses)
   through the project's own import services, and makes a few agent accounts;
2. empties the generated tables (TRUNCATE ... RESTART IDENTITY CASCADE), drops their secondary
   indexes, unique constraints and foreign keys;
3. streams every row with PostgreSQL COPY (psycopg `cursor.copy()`), with explicit ids so foreign
   keys point at real rows;
4. re-creates the unique constraints and indexes, then the foreign keys: re-adding a foreign key
   or a unique constraint checks every row, so a bad id or a duplicate reference fails the run;
5. sets the id sequences and ANALYZEs.

Data shape (seeded, reproducible with --seed):
- parties: 93% persons with unique BSNs that pass the elfproef, 7% businesses (KvK + RSIN); a
  residential address for every person, some correspondence addresses, e-mail, phone (E.164),
  IBAN (valid mod 97) and notification consents for a share of them;
- cases: the number per party follows a gamma-Poisson (negative binomial) mix with mean
  cases/parties: about 14% of parties have none, most have 1-10, a few have dozens; case types
  weighted by popularity; opened over five years; whether a case is still open depends on its age
  against the legal term, so most recent cases are open and a share of those are overdue; some
  extended or suspended; a few confidential or secret; references unique per organisation;
- status history: each case walks its own case type's statuses in order (open cases stop at a
  non-final status, closed ones end in a final one), and the case's current status is the last;
- contact moments: over three years, across all channels, 95% tied to a party (people with more
  cases contact more often), with an agent for phone, chat and counter contacts.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

CHUNK_ROWS = 20_000
BENCH_AGENTS = 40
BENCH_AGENT_PREFIX = "bench-agent-"

GIVEN_NAMES = [
    "Jan",
    "Piet",
    "Klaas",
    "Kees",
    "Willem",
    "Henk",
    "Johan",
    "Pieter",
    "Ahmed",
    "Mohamed",
    "Daan",
    "Sem",
    "Lucas",
    "Levi",
    "Finn",
    "Noah",
    "Mila",
    "Emma",
    "Julia",
    "Sophie",
    "Tess",
    "Anna",
    "Sara",
    "Fenna",
    "Zoë",
    "Nora",
    "Yara",
    "Saar",
    "Lotte",
    "Eva",
    "Maria",
    "Fatima",
    "Anouk",
    "Iris",
    "Lisa",
    "Mustafa",
    "Ilse",
    "Ingrid",
    "Gerrit",
    "Bram",
    "Ruben",
    "Thijs",
    "Jesse",
    "Mees",
    "Noor",
    "Liv",
    "Roos",
    "Femke",
    "Joost",
    "Marloes",
    "Esther",
    "Hanneke",
    "Mehmet",
    "Ayşe",
    "Wouter",
    "Sanne",
    "Niels",
    "Linda",
    "Kevin",
]
SURNAMES = [
    "Jansen",
    "Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Dijk",
    "Leeuwen",
    "Wit",
    "Boer",
    "Graaf",
    "Kok",
    "Jacobs",
    "Vermeulen",
    "Berg",
    "Haan",
    "Koster",
    "Dijkstra",
    "Willems",
    "Maas",
    "Verhoeven",
    "Kuipers",
    "Schouten",
    "Post",
    "Bosch",
    "Kramer",
    "Vink",
    "Postma",
    "Yılmaz",
    "Kaya",
    "Öztürk",
    "Bouali",
    "Amrani",
    "Wijk",
    "Hoekstra",
    "Prins",
    "Huisman",
    "Kuiper",
    "Veenstra",
    "Zijlstra",
    "Groen",
    "Scholten",
]
PREFIXES = ["", "", "", "", "", "van", "de", "van der", "van den", "van de", "de", "ter"]
BUSINESS_WORDS = [
    "Bouw",
    "Advies",
    "Techniek",
    "Zorg",
    "Transport",
    "Bakkerij",
    "Installatie",
    "Schilders",
    "Fietsen",
    "Catering",
    "Media",
]
BUSINESS_FORMS = ["B.V.", "V.O.F.", "Holding B.V.", "", "& Zn."]
CITIES = [
    "Voorbeeldstad",
    "Voorbeeldstad",
    "Voorbeeldstad",
    "Amsterdam",
    "Utrecht",
    "Rotterdam",
    "Zwolle",
    "Groningen",
]
STREETS = [
    "Dorpsstraat",
    "Kerkstraat",
    "Schoolstraat",
    "Molenweg",
    "Stationsweg",
    "Julianastraat",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Kastanjelaan",
    "Eikenlaan",
    "Beukenlaan",
    "Parallelweg",
    "Industrieweg",
    "Havenkade",
    "Marktplein",
    "Nieuwstraat",
    "Prinsengracht",
    "Lindenlaan",
]
BANKS = ["ABNA", "INGB", "RABO", "SNSB", "TRIO", "KNAB", "ASNB", "BUNQ"]
EMAIL_DOMAINS = ["example.nl", "example.com", "example.org", "voorbeeld.example"]

# ContactMoment channels and their shares; who and how people are identified on each.
CHANNELS = [
    ("phone", 40, ("phone", "bsn", "case_reference", ""), "low"),
    ("web", 25, ("digid",), "substantial"),
    ("email", 12, ("email",), "low"),
    ("webchat", 8, ("digid", ""), "substantial"),
    ("counter", 8, ("bsn",), "high"),
    ("sms", 4, ("phone",), "low"),
    ("post", 3, ("bsn",), "low"),
]
OUTCOMES = (
    ["answered"] * 45
    + ["status_given"] * 25
    + ["data_changed"] * 6
    + ["escalated"] * 10
    + ["callback_requested"] * 5
    + ["referred"] * 6
    + ["abandoned"] * 3
)
TOPICS = [
    ("Huurtoeslag", "Wanneer hoor ik iets over mijn aanvraag huurtoeslag?"),
    ("Verhuizing", "Ik ben verhuisd, is mijn adres al aangepast?"),
    ("Zorgtoeslag", "Mijn zorgtoeslag is stopgezet, waarom?"),
    ("Paspoort", "Kan ik mijn paspoort al ophalen?"),
    ("Parkeervergunning", "Hoe lang duurt het aanvragen van een parkeervergunning?"),
    ("Uitkering", "Wanneer wordt mijn WW-uitkering betaald?"),
    ("Bijstand", "Ik heb een brief gekregen over mijn bijstand."),
    ("Omgevingsvergunning", "Wat is de status van mijn vergunningaanvraag voor een dakkapel?"),
    ("Belastingaanslag", "Ik wil bezwaar maken tegen de aanslag."),
    ("Geboorte", "Hoe doe ik aangifte van de geboorte van mijn kind?"),
    ("Afval", "De container is niet geleegd."),
    ("Wmo", "Ik wil hulp bij het huishouden aanvragen."),
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


# --- identifiers ---------------------------------------------------------------------------------


def elfproef_numbers(rng: random.Random, count: int, exclude: set[int] = frozenset()) -> list[str]:
    """`count` distinct 9-digit numbers that pass the elfproef (BSN/RSIN): 9*d1 + ... + 2*d8 - d9 = 0 mod 11."""
    found: list[str] = []
    for prefix in rng.sample(range(10_000_000, 100_000_000), int(count * 1.15) + 1000):
        if prefix in exclude:
            continue
        digits = str(prefix)
        total = sum((9 - i) * int(ch) for i, ch in enumerate(digits))
        check = total % 11
        if check == 10:
            continue
        found.append(digits + str(check))
        if len(found) == count:
            return found
    raise RuntimeError("not enough elfproef numbers")


def dutch_iban(bank: str, account: int) -> str:
    bban = f"{bank}{account:010d}"
    numeric = "".join(str(int(ch, 36)) for ch in bban + "NL00")
    return f"NL{98 - int(numeric) % 97:02d}{bban}"


def valid_postcodes(rng: random.Random, count: int) -> list[str]:
    from stdnum.exceptions import ValidationError
    from stdnum.nl import postcode

    pool: list[str] = []
    letters = "ABCDEFGHJKLMNPRTVWXZ"
    while len(pool) < count:
        candidate = f"{rng.randint(1000, 9999)} {rng.choice(letters)}{rng.choice(letters)}"
        try:
            pool.append(postcode.validate(candidate))
        except ValidationError:
            continue
    return pool


# --- COPY text helpers ---------------------------------------------------------------------------

NULL = r"\N"


class Clock:
    """Fast text timestamps for COPY: seconds since the epoch of the data set -> ISO text (UTC)."""

    def __init__(self, start: datetime, days: int):
        self.start = start
        self.epoch = int(start.timestamp())
        self.day_text = [(start.date() + timedelta(days=d)).isoformat() for d in range(days + 3000)]

    def ts(self, seconds: int) -> str:
        day, rest = divmod(seconds, 86400)
        hour, rest = divmod(rest, 3600)
        minute, second = divmod(rest, 60)
        return f"{self.day_text[day]} {hour:02d}:{minute:02d}:{second:02d}+00"

    def day(self, seconds: int) -> str:
        return self.day_text[seconds // 86400]


class TableLoader:
    """COPY rows into a model's table. `columns` are the fields the generator fills (attnames);
    every other column gets its model default (constant or evaluated once) or NULL, so a field added
    to the model later does not break the generator unless it is required and has no default."""

    def __init__(self, cursor, model, columns: list[str]):
        self.cursor = cursor
        self.model = model
        self.table = model._meta.db_table
        self.columns = columns
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in by_attname]
        if unknown:
            raise SystemExit(f"{self.table}: the model has no field(s) {unknown}; update the generator")
        extra_cols, extra_vals = [], []
        for attname, field in by_attname.items():
            if attname in columns or field.primary_key:
                continue  # an omitted primary key comes from its identity sequence
            if field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = datetime.now(UTC)
            elif field.blank and field.get_internal_type() in ("CharField", "TextField", "SlugField"):
                value = ""
            else:
                raise SystemExit(f"{self.table}.{field.column} is required and has no default; update the generator")
            extra_cols.append(field.column)
            extra_vals.append(self.text(field.get_db_prep_save(value, connection)))
        self.column_names = [by_attname[c].column for c in columns] + extra_cols
        self.suffix = ("\t" + "\t".join(extra_vals)) if extra_vals else ""
        self.rows = 0

    @staticmethod
    def text(value) -> str:
        if value is None:
            return NULL
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        if hasattr(value, "adapted"):  # psycopg Jsonb wrapper from JSONField.get_db_prep_save
            value = json.dumps(value.obj)
        if isinstance(value, datetime | date):
            return value.isoformat()
        return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")

    def load(self, rows) -> int:
        """`rows` yields lists of already formatted text values, in `columns` order."""
        sql = f'COPY "{self.table}" ({", ".join(chr(34) + c + chr(34) for c in self.column_names)}) FROM STDIN'
        suffix = self.suffix
        with self.cursor.copy(sql) as copy:
            for chunk in iter(lambda: list(itertools.islice(rows, CHUNK_ROWS)), []):
                copy.write("".join("\t".join(row) + suffix + "\n" for row in chunk))
                self.rows += len(chunk)
        return self.rows


# --- schema handling -----------------------------------------------------------------------------


def secondary_schema(cursor, tables: list[str]) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """Foreign keys and unique constraints (table, name, definition) and other indexes (name, definition)."""
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype
        FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
        ORDER BY contype DESC
        """,
        (tables,),
    )
    constraints = [(table, name, definition) for table, name, definition, _kind in cursor.fetchall()]
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND i.indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x'))
        """,
        (tables,),
    )
    return constraints, cursor.fetchall()


# --- the generator -------------------------------------------------------------------------------


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        now = datetime.now(UTC).replace(microsecond=0)
        self.now = now
        self.years = 6
        start = (now - timedelta(days=365 * self.years)).replace(hour=0, minute=0, second=0)
        self.clock = Clock(start, 365 * self.years + 2)
        self.now_s = int(now.timestamp()) - self.clock.epoch
        self.today_day = self.now_s // 86400
        self.counts: dict[str, int] = {}
        self.stats: dict[str, int] = {}

    # base data through the project's own services
    def base_data(self) -> None:
        from contactcentre import kennisbank
        from contactcentre.api.roles import roles_sync
        from contactcentre.registry.services import data_source_rules_seed, organisations_import

        call_command("migrate", interactive=False, verbosity=0)
        organisations_import(rows=kennisbank.load("organisations"))
        data_source_rules_seed()
        if self.has_model("lifeevents", "LifeEvent"):
            from lifeevents.services import kennisbank_import

            kennisbank_import(directory=kennisbank.KENNISBANK_DIR)
        if self.has_model("casemanagement", "CaseType"):
            from casemanagement.services import case_types_import

            case_types_import(rows=kennisbank.load("case_types"), article_rows=kennisbank.load("articles"))
        self.life_event_ids = (
            list(apps.get_model("lifeevents", "LifeEvent").objects.values_list("id", flat=True))
            if self.has_model("lifeevents", "LifeEvent")
            else []
        )
        roles_sync()
        from django.contrib.auth.models import Group, User

        agent_group = Group.objects.get(name="agent")
        for n in range(1, BENCH_AGENTS + 1):
            user, created = User.objects.get_or_create(username=f"{BENCH_AGENT_PREFIX}{n:02d}")
            if created:
                user.set_unusable_password()
                user.save()
            user.groups.add(agent_group)
        self.agent_ids = list(
            User.objects.filter(username__startswith=BENCH_AGENT_PREFIX).order_by("id").values_list("id", flat=True)
        )

    @staticmethod
    def has_model(app_label: str, name: str) -> bool:
        try:
            apps.get_model(app_label, name)
            return True
        except LookupError:
            return False

    def run(self) -> None:
        started = time.perf_counter()
        self.base_data()
        log("migrated; organisations, source rules, case types and agents in place")
        models = self.models()
        # Read what the generator needs through Django before the bulk transaction locks the tables.
        self.types = self.case_types() if "case" in models else []
        tables = [m._meta.db_table for m in models.values()]
        url = settings.DATABASES["default"]
        conninfo = psycopg.conninfo.make_conninfo(
            dbname=url["NAME"],
            user=url.get("USER") or None,
            password=url.get("PASSWORD") or None,
            host=url.get("HOST") or None,
            port=str(url.get("PORT") or "") or None,
        )
        with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("SET synchronous_commit = off")
            self.rng = random.Random(self.args.seed)
            truncate = [*tables, apps.get_model("processinglog", "ProcessingRecord")._meta.db_table]
            cursor.execute(f"TRUNCATE {', '.join(truncate)} RESTART IDENTITY CASCADE")
            constraints, indexes = secondary_schema(cursor, tables)
            for table, name, _definition in reversed(constraints):  # foreign keys first
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
            log(f"emptied {len(tables)} tables; dropped {len(constraints)} constraints and {len(indexes)} indexes")

            phase = time.perf_counter()
            self.parties(cursor, models)
            self.stats["seconds_parties"] = round(time.perf_counter() - phase, 1)
            if "case" in models:
                phase = time.perf_counter()
                self.cases(cursor, models)
                self.stats["seconds_cases"] = round(time.perf_counter() - phase, 1)
            if "contact" in models:
                phase = time.perf_counter()
                self.contacts(cursor, models)
                self.stats["seconds_contacts"] = round(time.perf_counter() - phase, 1)

            phase = time.perf_counter()
            for _name, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in constraints:  # unique first, then foreign keys (checks every row)
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for table in tables:
                last = f"COALESCE((SELECT max(id) FROM {table}), 1)"
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {last})")
            self.stats["seconds_indexes_constraints"] = round(time.perf_counter() - phase, 1)
            log(f"re-created {len(indexes)} indexes and {len(constraints)} constraints (all rows checked)")
        phase = time.perf_counter()
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
        self.stats["seconds_analyze"] = round(time.perf_counter() - phase, 1)
        self.stats["seconds_total"] = round(time.perf_counter() - started, 1)
        self.report(models)

    def models(self) -> dict:
        found = {
            "party": apps.get_model("registry", "Party"),
            "address": apps.get_model("registry", "Address"),
            "digital": apps.get_model("registry", "DigitalAddress"),
            "bank": apps.get_model("registry", "BankAccount"),
            "consent": apps.get_model("registry", "Consent"),
        }
        if self.has_model("casemanagement", "Case"):
            found["case"] = apps.get_model("casemanagement", "Case")
            found["case_status"] = apps.get_model("casemanagement", "CaseStatus")
        if self.has_model("interactions", "ContactMoment"):
            found["contact"] = apps.get_model("interactions", "ContactMoment")
        return found

    # --- parties and base data -------------------------------------------------------------------

    def parties(self, cursor, models) -> None:
        rng, clock = self.rng, self.clock
        n = self.args.parties
        n_business = int(n * 0.07)
        n_person = n - n_business
        bsns = elfproef_numbers(rng, n_person)
        rsins = elfproef_numbers(rng, n_business, exclude={int(b[:8]) for b in bsns})
        kvks = rng.sample(range(10_000_000, 100_000_000), n_business)
        # Businesses are spread through the id range, as they would be registered over time.
        is_business = [False] * n_person + [True] * n_business
        rng.shuffle(is_business)
        self.party_kind = is_business
        created = clock.ts(self.now_s - 86400 * 400)
        channels = ["", "", "", "email", "email", "sms", "letter", "portal", "phone"]
        languages = ["nl"] * 40 + ["en", "de", "pl", "tr", "ar", "uk", "fy"]
        bsn_iter, rsin_iter, kvk_iter = iter(bsns), iter(rsins), iter(kvks)
        born_from = date(1930, 1, 1)
        born_days = (date(2008, 12, 31) - born_from).days

        def party_rows():
            for pid in range(1, n + 1):
                if is_business[pid - 1]:
                    name = f"{rng.choice(SURNAMES)} {rng.choice(BUSINESS_WORDS)} {rng.choice(BUSINESS_FORMS)}".strip()
                    yield [
                        str(pid),
                        "business",
                        NULL,
                        str(next(kvk_iter)),
                        next(rsin_iter),
                        "",
                        "",
                        "",
                        name,
                        NULL,
                        "f",
                        rng.choice(channels),
                        "nl",
                        created,
                        created,
                    ]
                else:
                    yield [
                        str(pid),
                        "person",
                        next(bsn_iter),
                        NULL,
                        NULL,
                        rng.choice(GIVEN_NAMES),
                        rng.choice(PREFIXES),
                        rng.choice(SURNAMES),
                        "",
                        (born_from + timedelta(days=rng.randrange(born_days))).isoformat(),
                        "t" if rng.random() < 0.003 else "f",
                        rng.choice(channels),
                        rng.choice(languages),
                        created,
                        created,
                    ]

        loader = TableLoader(
            cursor,
            models["party"],
            [
                "id",
                "kind",
                "bsn",
                "kvk_number",
                "rsin",
                "given_names",
                "surname_prefix",
                "surname",
                "business_name",
                "date_of_birth",
                "secret_address",
                "preferred_channel",
                "preferred_language",
                "created_at",
                "updated_at",
            ],
        )
        self.counts["parties"] = loader.load(party_rows())
        log(f"parties: {self.counts['parties']:,}")

        postcodes = valid_postcodes(rng, 6000)
        places = [(pc, CITIES[i % len(CITIES)], STREETS[i % len(STREETS)]) for i, pc in enumerate(postcodes)]

        def address_rows():
            for pid in range(1, n + 1):
                kinds = ["residential"]
                if is_business[pid - 1] or rng.random() < 0.08:
                    kinds.append("correspondence")
                for kind in kinds:
                    postcode, city, street = rng.choice(places)
                    yield [
                        str(pid),
                        kind,
                        street,
                        str(rng.randint(1, 250)),
                        rng.choice(("", "", "", "", "A", "B", "-2", "bis")),
                        postcode,
                        city,
                        "NL",
                        created,
                    ]

        loader = TableLoader(
            cursor,
            models["address"],
            [
                "party_id",
                "kind",
                "street",
                "house_number",
                "house_number_addition",
                "postcode",
                "city",
                "country",
                "updated_at",
            ],
        )
        self.counts["addresses"] = loader.load(address_rows())

        def digital_rows():
            for pid in range(1, n + 1):
                if rng.random() < 0.68:
                    local = f"{rng.choice(GIVEN_NAMES)}.{rng.choice(SURNAMES)}{pid}".lower()
                    verified = clock.ts(self.now_s - rng.randrange(86400 * 900)) if rng.random() < 0.6 else NULL
                    yield [str(pid), "email", f"{local}@{rng.choice(EMAIL_DOMAINS)}", "t", verified, created]
                if rng.random() < 0.78:
                    # 06-1xxxxxxx and 06-2xxxxxxx: valid Dutch mobile ranges, unique per party.
                    verified = clock.ts(self.now_s - rng.randrange(86400 * 900)) if rng.random() < 0.5 else NULL
                    yield [str(pid), "phone", f"+316{10_000_000 + pid:08d}", "t", verified, created]
                    if rng.random() < 0.1:  # an old number, no longer the default
                        yield [str(pid), "phone", f"+316{30_000_000 + pid:08d}", "f", NULL, created]

        loader = TableLoader(
            cursor, models["digital"], ["party_id", "kind", "value", "is_default", "verified_at", "created_at"]
        )
        self.counts["digital_addresses"] = loader.load(digital_rows())

        def bank_rows():
            for pid in range(1, n + 1):
                if rng.random() < 0.55:
                    iban = dutch_iban(rng.choice(BANKS), 100_000_000 + pid)
                    yield [str(pid), iban, "t", clock.ts(self.now_s - rng.randrange(86400 * 900)), created]

        loader = TableLoader(cursor, models["bank"], ["party_id", "iban", "is_default", "verified_at", "created_at"])
        self.counts["bank_accounts"] = loader.load(bank_rows())

        def consent_rows():
            purposes = [("sms_notifications", "sms"), ("email_notifications", "email"), ("proactive_signals", "portal")]
            for pid in range(1, n + 1):
                for purpose, channel in purposes:
                    if rng.random() < 0.12:
                        granted = rng.random() < 0.85
                        at = self.now_s - rng.randrange(86400 * 700)
                        yield [
                            str(pid),
                            purpose,
                            NULL,
                            "t" if granted else "f",
                            channel,
                            clock.ts(at),
                            clock.ts(at - 86400 * 30) if granted else NULL,
                            NULL if granted else clock.ts(at),
                            "burger",
                        ]

        loader = TableLoader(
            cursor,
            models["consent"],
            [
                "party_id",
                "purpose",
                "organisation_id",
                "granted",
                "channel",
                "changed_at",
                "granted_at",
                "withdrawn_at",
                "recorded_by",
            ],
        )
        self.counts["consents"] = loader.load(consent_rows())
        log(
            f"addresses {self.counts['addresses']:,}, digital addresses {self.counts['digital_addresses']:,}, "
            f"bank accounts {self.counts['bank_accounts']:,}, consents {self.counts['consents']:,}"
        )

    # --- cases and status history ----------------------------------------------------------------

    def case_types(self) -> list[dict]:
        CaseType = apps.get_model("casemanagement", "CaseType")  # noqa: N806
        types = []
        for case_type in CaseType.objects.prefetch_related("status_types").order_by("id"):
            statuses = sorted(case_type.status_types.all(), key=lambda s: s.order)
            steps = [s.pk for s in statuses if not s.is_final]
            finals = [s.pk for s in statuses if s.is_final]
            if not steps or not finals:
                continue
            types.append(
                {
                    "id": case_type.pk,
                    "organisation_id": case_type.organisation_id,
                    "term": max(case_type.legal_term_days, 1),
                    "extension": case_type.extension_days,
                    "steps": steps,
                    "finals": finals,
                    "name": case_type.name,
                }
            )
        if not types:
            raise SystemExit("no case types with statuses: load data/kennisbank/case_types.json first")
        return types

    def party_weights(self) -> list[float]:
        # Gamma(1.2) weights x Poisson draws = negative binomial: ~14% none at mean 5, a long tail.
        if not hasattr(self, "_weights"):
            self._weights = list(
                itertools.accumulate(self.rng.gammavariate(1.2, 1.0) for _ in range(self.args.parties))
            )
        return self._weights

    def cases(self, cursor, models) -> None:
        rng, clock = self.rng, self.clock
        n_cases = self.args.cases
        types = self.types
        type_weights = list(itertools.accumulate(rng.choice((1, 2, 3, 5, 8, 13)) for _ in types))
        cum = self.party_weights()
        total_weight = cum[-1]
        n_parties = self.args.parties
        span = 86400 * 365 * 5
        first = self.now_s - span
        # Opened times sorted, so ids grow with time as in a live system; more recent years are busier.
        opened = sorted(first + int(span * (rng.random() ** 0.8)) for _ in range(n_cases))
        prefix_by_year: dict[int, str] = {}
        history: list[tuple[int, int, int]] = []  # (case id, status type id, set_at seconds)
        confidentiality = ["normal"] * 95 + ["confidential"] * 4 + ["secret"]
        stats = {"open": 0, "overdue": 0, "suspended": 0, "extended": 0, "closed": 0}
        today = self.today_day
        recorders = ["behandelaar", "systeem", "zaaksysteem"]
        self.case_party = case_party = [0] * (n_cases + 1)
        self.case_reference = []

        def case_rows():
            for cid in range(1, n_cases + 1):
                ct = types[bisect.bisect_left(type_weights, rng.random() * type_weights[-1])]
                pid = min(bisect.bisect_left(cum, rng.random() * total_weight) + 1, n_parties)
                case_party[cid] = pid
                start = opened[cid - 1]
                age_days = (self.now_s - start) / 86400
                term = ct["term"]
                ratio = age_days / term
                p_open = (
                    0.97 if ratio < 0.5 else 0.85 if ratio < 1 else 0.2 if ratio < 2 else 0.03 if ratio < 6 else 0.002
                )
                is_open = rng.random() < p_open
                extended = ct["extension"] if ct["extension"] and rng.random() < 0.06 else 0
                suspended_days, suspended_since = 0, NULL
                if is_open and rng.random() < 0.03:
                    suspended_since = clock.ts(start + int((self.now_s - start) * rng.uniform(0.3, 0.9)))
                if not is_open and rng.random() < 0.04:
                    suspended_days = rng.randint(3, 40)
                deadline_day = (start // 86400) + term + extended + suspended_days
                steps, finals = ct["steps"], ct["finals"]
                if is_open:
                    reached = 1 + min(int(ratio * len(steps) * rng.random()), len(steps) - 1)
                    path = steps[:reached]
                    end = self.now_s
                else:
                    reached = rng.randint(1, len(steps))
                    final = finals[0] if rng.random() < 0.85 else rng.choice(finals)
                    path = [*steps[:reached], final]
                    end = min(start + int(86400 * term * rng.uniform(0.2, 1.3)), self.now_s - 60)
                moments = sorted(rng.randint(start, max(start, end)) for _ in path)
                moments[0] = start
                for status_id, at in zip(path, moments, strict=True):
                    history.append((cid, status_id, at))
                year = datetime.fromtimestamp(clock.epoch + start, UTC).year % 100
                prefix = prefix_by_year.setdefault(year, f"Z{year:02d}")
                # A bijection of the id onto 8 digits: unique, and not guessable from the order.
                reference = f"{prefix}{(cid * 48_271_941) % 100_000_000:08d}"
                if cid % 97 == 0:
                    self.case_reference.append((cid, reference))
                stats["open" if is_open else "closed"] += 1
                if is_open and suspended_since == NULL and deadline_day < today:
                    stats["overdue"] += 1
                if suspended_since != NULL:
                    stats["suspended"] += 1
                if extended:
                    stats["extended"] += 1
                yield [
                    str(cid),
                    str(ct["organisation_id"]),
                    str(ct["id"]),
                    reference,
                    str(pid),
                    str(path[-1]),
                    clock.ts(moments[-1]),
                    clock.ts(start),
                    clock.day_text[deadline_day],
                    str(extended),
                    "Meer tijd nodig voor advies" if extended else "",
                    suspended_since,
                    str(suspended_days),
                    "Wacht op aanvullende gegevens" if suspended_since != NULL or suspended_days else "",
                    NULL if is_open else clock.ts(moments[-1]),
                    rng.choice(confidentiality),
                ]

        loader = TableLoader(
            cursor,
            models["case"],
            [
                "id",
                "organisation_id",
                "case_type_id",
                "reference",
                "party_id",
                "status_id",
                "status_set_at",
                "opened_at",
                "deadline",
                "extended_days",
                "extension_reason",
                "suspended_since",
                "suspended_days",
                "suspension_reason",
                "closed_at",
                "confidentiality",
            ],
        )
        self.counts["cases"] = loader.load(case_rows())
        self.stats.update({f"cases_{k}": v for k, v in stats.items()})
        log(f"cases: {self.counts['cases']:,} ({stats})")

        def status_rows():
            for cid, status_id, at in history:
                yield [str(cid), str(status_id), clock.ts(at), "", rng.choice(recorders)]

        loader = TableLoader(
            cursor, models["case_status"], ["case_id", "status_type_id", "set_at", "explanation", "recorded_by"]
        )
        self.counts["case_statuses"] = loader.load(status_rows())
        del history[:]
        log(f"case statuses: {self.counts['case_statuses']:,}")

    # --- contact moments -------------------------------------------------------------------------

    def contacts(self, cursor, models) -> None:
        rng, clock = self.rng, self.clock
        n = self.args.contacts
        cum = self.party_weights()
        total_weight = cum[-1]
        n_parties = self.args.parties
        span = 86400 * 365 * 3
        first = self.now_s - span
        started = sorted(first + int(span * (rng.random() ** 0.9)) for _ in range(n))
        channel_cum = list(itertools.accumulate(c[1] for c in CHANNELS))
        agents = self.agent_ids or [None]
        classify = any(f.attname == "life_event_id" for f in models["contact"]._meta.concrete_fields)
        life_events = self.life_event_ids or [None]

        def contact_rows():
            for cid in range(1, n + 1):
                channel, _share, identified, assurance = CHANNELS[
                    bisect.bisect_left(channel_cum, rng.random() * channel_cum[-1])
                ]
                anonymous = rng.random() < 0.05
                # A fifth of contacts picked uniformly, the rest weighted like cases (busy people call more).
                if rng.random() < 0.2:
                    pid = rng.randint(1, n_parties)
                else:
                    pid = min(bisect.bisect_left(cum, rng.random() * total_weight) + 1, n_parties)
                topic, question = rng.choice(TOPICS)
                start = started[cid - 1]
                human = channel in ("phone", "webchat", "counter") or (channel == "email" and rng.random() < 0.7)
                outcome = rng.choice(OUTCOMES)
                extra = []
                if classify:  # most contacts were classified under a life event by the first line
                    event = rng.choice(life_events) if rng.random() < 0.7 else None
                    extra.append(NULL if event is None else str(event))
                yield [
                    channel,
                    "outbound" if rng.random() < 0.08 else "inbound",
                    NULL if anonymous else str(pid),
                    "" if anonymous else rng.choice(identified),
                    "" if anonymous else assurance,
                    topic,
                    question,
                    "Uitleg gegeven en verwezen naar de website." if outcome == "answered" else "",
                    outcome,
                    str(rng.choice(agents)) if human and agents[0] is not None else NULL,
                    "Balie 3" if channel == "counter" else "",
                    clock.ts(start),
                    clock.ts(min(start + rng.randint(30, 1500), self.now_s - 1)),
                    f"{channel}-{cid:010d}" if channel in ("phone", "sms", "email") else "",
                    clock.ts(start),
                    *extra,
                ]

        loader = TableLoader(
            cursor,
            models["contact"],
            [
                "channel",
                "direction",
                "party_id",
                "identified_by",
                "assurance",
                "topic",
                "question",
                "answer",
                "outcome",
                "agent_id",
                "desk",
                "started_at",
                "ended_at",
                "external_id",
                "created_at",
                *(["life_event_id"] if classify else []),
            ],
        )
        self.counts["contact_moments"] = loader.load(contact_rows())
        log(f"contact moments: {self.counts['contact_moments']:,}")

    # --- report ----------------------------------------------------------------------------------

    def report(self, models) -> None:
        from contactcentre.registry.validators import normalise_iban, normalise_phone, validate_bsn

        Party = models["party"]  # noqa: N806
        counts = {name: model.objects.count() for name, model in models.items()}
        sample = list(Party.objects.filter(bsn__isnull=False).order_by("?").values_list("bsn", flat=True)[:2000])
        for bsn in sample:
            validate_bsn(bsn)
        for iban in models["bank"].objects.order_by("?").values_list("iban", flat=True)[:500]:
            normalise_iban(iban)
        for phone in models["digital"].objects.filter(kind="phone").order_by("?").values_list("value", flat=True)[:500]:
            assert normalise_phone(phone) == phone, phone
        distribution = {}
        if "case" in models:
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    SELECT bucket, count(*) FROM (
                      SELECT CASE WHEN n = 0 THEN '0' WHEN n <= 2 THEN '1-2' WHEN n <= 5 THEN '3-5'
                                  WHEN n <= 10 THEN '6-10' WHEN n <= 20 THEN '11-20' ELSE '>20' END AS bucket
                      FROM (SELECT p.id, count(c.id) AS n FROM registry_party p
                            LEFT JOIN casemanagement_case c ON c.party_id = p.id GROUP BY p.id) per_party
                    ) b GROUP BY bucket
                    """
                )
                distribution = dict(cursor.fetchall())
                cursor.execute("SELECT max(n) FROM (SELECT count(*) n FROM casemanagement_case GROUP BY party_id) x")
                distribution["max"] = cursor.fetchone()[0]
        result = {
            "arguments": vars(self.args),
            "row_counts": counts,
            "parties_by_number_of_cases": distribution,
            "checks": f"{len(sample)} BSNs pass the elfproef, 500 IBANs mod 97, 500 phone numbers E.164",
            **self.stats,
        }
        print(json.dumps(result, indent=2, default=str))
        out = REPO / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / f"generate-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(json.dumps(result, indent=2, default=str))
        log(f"done in {self.stats['seconds_total']} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parties", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (COPY is PostgreSQL's bulk load).")
    Generator(args).run()


if __name__ == "__main__":
    main()
