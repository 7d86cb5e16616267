"""Create the missing single-source rules (and the first-line organisation); admin edits are kept."""

from django.core.management.base import BaseCommand

from contactcentre.registry.services import data_source_rules_seed


class Command(BaseCommand):
    help = "Maak ontbrekende bronafspraken aan (bestaande, in de admin aangepaste afspraken blijven staan)."

    def handle(self, *args, **options):
        rules = data_source_rules_seed()
        for rule in rules:
            self.stdout.write(
                f"{rule.attribute:<24} {rule.source_organisation.code:<20} "
                f"wijzigen={'ja' if rule.first_line_may_change else 'nee':<4} "
                f"minimaal={rule.minimum_assurance:<12} verificatie={'ja' if rule.verification_required else 'nee'}"
            )
