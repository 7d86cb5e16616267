"""Import the scanners' watched folder once (beat does it every minute: channels_app.tasks.import_scan_inbox)."""

from django.core.management.base import BaseCommand

from channels_app.scan.services import scan_inbox_import


class Command(BaseCommand):
    help = "Importeer de gescande brieven uit SCAN_INBOX_DIR (verwerkt naar processed/, geweigerd naar failed/)."

    def handle(self, *args, **options):
        counts = scan_inbox_import()
        self.stdout.write(" ".join(f"{name}={count}" for name, count in counts.items()))
