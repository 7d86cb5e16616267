"""Factories shared by every app's tests. App-specific factories live in tests/<app>/factories.py."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from contactcentre.principal import Principal
from contactcentre.registry.models import Organisation, Party


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = "benefits"
    tier = Organisation.Tier.SECOND


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = Party.Kind.PERSON
    # Valid (elfproef) fictitious BSNs: 9-digit numbers built to pass the 11-check.
    bsn = factory.Sequence(lambda n: _valid_bsn(100000 + n))
    given_names = "Jan"
    surname = factory.Sequence(lambda n: f"Jansen{n}")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)


def _valid_bsn(seed: int) -> str:
    """A valid BSN unique per seed: each seed owns two 8-digit prefixes (2*seed, 2*seed+1); their weighted
    sums differ by 2, so at least one has a check digit 0-9 (a prefix needing "10" has no valid BSN)."""
    for prefix in (10_000_000 + 2 * seed, 10_000_000 + 2 * seed + 1):
        digits = f"{prefix:08d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return digits + str(check)
    raise AssertionError("unreachable: one of two neighbouring prefixes always has a check digit")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-strong-test-password-1")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            from contactcentre.api.roles import roles_sync

            if not Group.objects.filter(name=extracted).exists():
                roles_sync()
            self.groups.add(Group.objects.get(name=extracted))


def staff(user) -> Principal:
    """The principal the session authentication makes of a staff member."""
    return Principal.staff(user, roles=user.groups.values_list("name", flat=True))


def organisation(client) -> Principal:
    """The principal the token authentication makes of an organisation's API client."""
    return Principal.organisation(client)
