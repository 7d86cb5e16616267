"""Fill the embedded system with demo data: organisations, demo users per role, and what later
features add (each app's `demo.seed()`, called in layer order)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contactcentre.api import demo as api_demo
from contactcentre.registry import demo as registry_demo


class Command(BaseCommand):
    help = "Load demo data and demo log-ins (refused unless DEMO_MODE is on)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo needs DEMO_MODE=1; it is never available in production.")
        with transaction.atomic():
            registry_demo.seed()
            users = api_demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo log-ins (http://127.0.0.1:8000/admin/):"))
        for username, label, password in users:
            self.stdout.write(f"  {label:<24} {username:<12} {password}")
