"""python manage.py import_kennisbank [DIR]: import life events and articles (idempotent, all or nothing)."""

from django.core.management.base import BaseCommand, CommandError

from contactcentre import kennisbank
from contactcentre.errors import DomainError
from lifeevents.services import kennisbank_import


class Command(BaseCommand):
    help = "Import life_events.json and articles.json from DIR (default: data/kennisbank) as published content."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(kennisbank.KENNISBANK_DIR))

    def handle(self, *args, directory, **options):
        try:
            counts = kennisbank_import(directory=directory)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
