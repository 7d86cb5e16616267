"""Call or text the running app as Twilio would, without a Twilio account (DEMO_MODE only):

    manage.py twilio_simulate voice --from +31612345678 --digits 1,2
    manage.py twilio_simulate sms --from +31612345678 --body "STATUS Z-2026-000123 1234"

Prints each signed webhook sent and the TwiML the app answered."""

from django.core.management.base import BaseCommand, CommandError

from channels_app.simulator.twilio import Simulation, SimulatorError, sms_simulate, voice_simulate


class Command(BaseCommand):
    help = "Stuur ondertekende Twilio-webhooks (bellen of sms) naar de app en toon de TwiML (alleen DEMO_MODE)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["voice", "sms"])
        parser.add_argument("--from", dest="sender", required=True, help="Het nummer van de beller of afzender.")
        parser.add_argument("--to", default="", help="Het nummer dat gebeld of ge-sms't wordt.")
        parser.add_argument("--digits", default="", help="Toetsen per keuzemenu, met komma's: 1,2")
        parser.add_argument("--speech", action="append", default=[], help="Wat de beller zegt (herhaalbaar).")
        parser.add_argument("--body", default="", help="De tekst van de sms.")
        parser.add_argument("--message-sid", default="", help="Een eerdere MessageSid, om herhaling te tonen.")
        parser.add_argument("--url", default=None, help="Waar de app draait, als dat niet TWILIO_WEBHOOK_BASE_URL is.")

    def handle(self, *args, kind, sender, to, digits, speech, body, message_sid, url, **options):
        try:
            if kind == "sms":
                simulation = sms_simulate(sender=sender, body=body, to=to, message_sid=message_sid, transport_base=url)
            else:
                keys = [key.strip() for key in digits.split(",") if key.strip()]
                simulation = voice_simulate(sender=sender, digits=keys, speech=speech, to=to, transport_base=url)
        except SimulatorError as error:
            raise CommandError(str(error)) from None
        self._print(simulation)

    def _print(self, simulation: Simulation) -> None:
        for number, exchange in enumerate(simulation.exchanges, start=1):
            self.stdout.write(self.style.MIGRATE_HEADING(f"{number}. POST {exchange.url} -> {exchange.status}"))
            shown = {
                key: exchange.params[key]
                for key in ("From", "Body", "Digits", "SpeechResult")
                if key in exchange.params
            }
            self.stdout.write(f"   {shown}")
            self.stdout.write(exchange.twiml)
            if exchange.action:
                self.stdout.write(f"   -> {exchange.action}")
        for text in simulation.heard:
            self.stdout.write(f"> {text}")
        self.stdout.write(simulation.ended)
