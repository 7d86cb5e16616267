from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from channels_app.sms.commands import BODY_MAX
from contactcentre.registry.validators import normalise_phone

KEYS = frozenset("0123456789*#")


class TwilioSimulatorForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wat doet de burger?"),
        choices=[("voice", _("Bellen")), ("sms", _("Een sms sturen"))],
        widget=forms.RadioSelect,
        initial="voice",
    )
    sender = forms.CharField(
        label=_("Telefoonnummer van de burger"),
        max_length=32,
        help_text=_("Bijvoorbeeld +31612345678 of 0612345678."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    digits = forms.CharField(
        label=_("Toetsen in de keuzemenu's"),
        required=False,
        max_length=100,
        help_text=_("Per menu de toetsen, gescheiden door komma's, bijvoorbeeld 1,2. Alleen bij bellen."),
    )
    speech = forms.CharField(
        label=_("Wat de beller zegt"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Eén zin per regel, voor menu's die naar spraak luisteren. Alleen bij bellen."),
    )
    body = forms.CharField(
        label=_("Tekst van de sms"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld STATUS Z-2026-000123 1234, STOP, START of een vraag. Alleen bij sms."),
    )

    def clean_sender(self):
        try:
            return normalise_phone(self.cleaned_data["sender"])
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean_digits(self):
        keys = [key.strip() for key in self.cleaned_data["digits"].split(",") if key.strip()]
        if any(set(key) - KEYS for key in keys):
            raise ValidationError(_("Alleen de cijfers 0-9, * en #, per menu gescheiden door komma's."))
        return keys

    def clean_speech(self):
        return [line.strip() for line in self.cleaned_data["speech"].splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "sms" and not (data.get("body") or "").strip():
            self.add_error("body", _("Schrijf de tekst van de sms."))
        return data
