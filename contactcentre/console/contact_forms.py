"""The contact workspace's forms: they parse what the agent typed; the services decide. A domain
error's field errors land on the form's fields (`errors_onto`), the rest on the form as a whole."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contactcentre.errors import DomainError
from contactcentre.firstline.services import ClaimKind, IdentityClaim
from contactcentre.interactions.models import Channel, ContactMoment
from contactcentre.interactions.selectors import work_queues_active
from contactcentre.registry.models import Attribute

# Where an agent opens a contact by hand: the doors with a person on the other side.
CONTACT_CHANNELS = [Channel.PHONE, Channel.COUNTER, Channel.EMAIL, Channel.POST, Channel.WEBCHAT]
# Search fields -> the identity claim `contact_open` resolves and the criterion `party_find` takes.
CLAIMS = {
    "bsn": (ClaimKind.BSN, "bsn"),
    "phone": (ClaimKind.PHONE, "phone"),
    "email": (ClaimKind.EMAIL, "email"),
    "kvk_number": (ClaimKind.KVK, "kvk_number"),
    "case_reference": (ClaimKind.CASE_REFERENCE, None),  # party_find has no case reference: contact_open only
}
# The base data an agent can change in one field here; addresses are changed at the source or the counter.
CHANGEABLE = [
    Attribute.PHONE,
    Attribute.EMAIL,
    Attribute.IBAN,
    Attribute.PREFERRED_CHANNEL,
    Attribute.PREFERRED_LANGUAGE,
    Attribute.RESIDENTIAL_ADDRESS,
]
# The contact's door as the registry names the channel a change arrived through.
CHANGE_CHANNEL = {Channel.WEB: "portal", Channel.WEBCHAT: "portal", Channel.POST: "letter"}


def errors_onto(form: forms.Form, error: DomainError, fields: dict[str, str] | None = None) -> None:
    """The service's field errors on the form's fields (renamed by `fields`), else its message."""
    placed = False
    for name, messages in error.field_errors.items():
        target = (fields or {}).get(name, name)
        if target in form.fields:
            for message in messages if isinstance(messages, list) else [error.message]:
                form.add_error(target, str(message))
            placed = True
    if not placed:
        form.add_error(None, error.message)


def first_message(error: DomainError) -> str:
    """One line for a message: the first field error, else the error's own message."""
    for messages in error.field_errors.values():
        if isinstance(messages, list) and messages:
            return str(messages[0])
    return error.message


class PanelForm(forms.Form):
    """Each form on the workspace names its fields' ids after its panel, so ids stay unique."""

    panel = "form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.panel}-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def shortcut(letter: str, widget_class=forms.TextInput, **attrs):
    """A widget that Alt+`letter` focuses (static/console/keyboard.js)."""
    return widget_class(attrs={"data-shortcut": letter, **attrs})


class PersonSearchForm(PanelForm):
    """Exactly one way to find the person: an identifier, or surname with date of birth."""

    panel = "persoon"

    bsn = forms.CharField(label=_("BSN"), required=False, max_length=20, widget=shortcut("p"))
    phone = forms.CharField(label=_("Telefoonnummer"), required=False, max_length=32)
    email = forms.CharField(label=_("E-mailadres"), required=False, max_length=254)
    kvk_number = forms.CharField(label=_("KvK-nummer"), required=False, max_length=16)
    surname = forms.CharField(label=_("Achternaam"), required=False, max_length=200)
    date_of_birth = forms.DateField(
        label=_("Geboortedatum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        given = [name for name in (*CLAIMS, "surname") if data.get(name)]
        if len(given) > 1:
            raise forms.ValidationError(_("Vul één zoekgegeven in (of achternaam met geboortedatum)."))
        if data.get("date_of_birth") and not data.get("surname"):
            self.add_error("surname", _("Vul bij de geboortedatum ook de achternaam in."))
        if data.get("surname") and not data.get("date_of_birth"):
            self.add_error("date_of_birth", _("Vul bij de achternaam ook de geboortedatum in."))
        return data

    def given(self) -> str | None:
        """The search field filled in, if any."""
        return next((name for name in (*CLAIMS, "surname") if self.cleaned_data.get(name)), None)

    def party_search(self) -> dict | None:
        """The criterion for `party_find`, or None (nothing given, or a case reference)."""
        given = self.given()
        if given == "surname":
            return {"surname": self.cleaned_data["surname"], "date_of_birth": self.cleaned_data["date_of_birth"]}
        if given and CLAIMS[given][1]:
            return {CLAIMS[given][1]: self.cleaned_data[given]}
        return None


class ContactNewForm(PersonSearchForm):
    panel = "nieuw"
    channel = forms.ChoiceField(
        label=_("Kanaal"),
        choices=[(channel.value, channel.label) for channel in CONTACT_CHANNELS],
        initial="phone",
        widget=forms.Select(attrs={"autofocus": True}),  # the page is this form: start typing at once
    )
    question = forms.CharField(
        label=_("Vraag (kort)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    case_reference = forms.CharField(label=_("Zaaknummer"), required=False, max_length=64)

    field_order = ["channel", "question", "bsn", "phone", "email", "surname", "date_of_birth", "case_reference"]

    def identity_claim(self) -> IdentityClaim | None:
        given = self.given()
        if given in CLAIMS:
            return IdentityClaim(kind=CLAIMS[given][0], value=self.cleaned_data[given])
        return None


class ChooseForm(PersonSearchForm):
    party = forms.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(PanelForm):
    panel = "uitkomst"
    outcome = forms.ChoiceField(
        label=_("Uitkomst"), choices=ContactMoment.Outcome.choices, widget=shortcut("u", forms.Select)
    )
    answer = forms.CharField(
        label=_("Wat is er gezegd of afgesproken (optioneel)"),
        # The citizen reads it as our answer in "Mijn contacten": no notes for colleagues here.
        help_text=_("De klant ziet dit als ons antwoord in Mijn contacten."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BaseDataForm(PanelForm):
    panel = "gegevens"
    attribute = forms.ChoiceField(
        label=_("Gegeven"),
        choices=[(item.value, item.label) for item in CHANGEABLE],
        widget=shortcut("w", forms.Select),
    )
    value = forms.CharField(label=_("Nieuwe waarde"), max_length=300)
    reason = forms.CharField(label=_("Toelichting (optioneel)"), required=False, max_length=300)


class CodeForm(PanelForm):
    panel = "code"
    challenge = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "data-focus": ""}),
    )


class EscalationForm(PanelForm):
    panel = "doorzetten"
    question = forms.CharField(
        label=_("Vraag voor de tweede lijn"), max_length=4000, widget=shortcut("e", forms.Textarea, rows=3)
    )
    context = forms.CharField(label=_("Wat is al geprobeerd (optioneel)"), required=False, max_length=4000)
    life_event = forms.TypedChoiceField(label=_("Levensgebeurtenis"), required=False, coerce=int, empty_value=None)
    share_history = forms.BooleanField(label=_("Contacthistorie meesturen (met toestemming)"), required=False)

    def __init__(self, *args, life_events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["life_event"].choices = [("", _("(geen)"))] + [(event.pk, event.name) for event in life_events]


class CallbackForm(PanelForm):
    panel = "terugbellen"
    phone_number = forms.CharField(label=_("Terugbellen op"), max_length=32, widget=shortcut("t", type="tel"))
    queue = forms.ModelChoiceField(label=_("Team"), queryset=work_queues_active(), empty_label=None)
    question = forms.CharField(label=_("Vraag"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    call_after = forms.DateTimeField(
        label=_("Bellen vanaf"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    call_before = forms.DateTimeField(
        label=_("Bellen vóór"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
