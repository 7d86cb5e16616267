"""Fill the embedded system with demo data. Every project app may have a `demo` module with a
`seed()` function (returning lines to print, or None); they run in INSTALLED_APPS order, which is
layer order, so what a layer seeds can use what the layers below it seeded."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

SERVER = "http://127.0.0.1:8000"  # where `make run` serves


def demo_modules():
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if find_spec(name) is not None:
            yield import_module(name)


class Command(BaseCommand):
    help = "Load demo data and demo log-ins (refused unless DEMO_MODE is on)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo needs DEMO_MODE=1; it is never available in production.")
        lines: list[str] = []
        with transaction.atomic():
            for module in demo_modules():
                lines.extend(module.seed() or [])
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"Sign in as any demo log-in: {SERVER}{reverse('staff-login')}")
        self.stdout.write(f"The admin, for the functional administrator (beheerder): {SERVER}{reverse('admin:index')}")
