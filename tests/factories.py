"""Factories shared by every app's tests. App-specific factories live in tests/<app>/factories.py."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
    """The first 9-digit number from seed*10 onwards that passes the elfproef."""
    from stdnum.nl import bsn

    candidate = 100000000 + seed * 10
    while not bsn.is_valid(str(candidate)):
        candidate += 1
    return str(candidate)


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
