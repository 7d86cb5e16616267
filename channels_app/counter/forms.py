"""The counter desk's forms: the desk the clerk sits at, how the visitor is identified, the identity
document checked and the outcome of the visit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from channels_app.counter.services import DESK_MAX
from contactcentre.firstline.services import ClaimKind, IdentityClaim
from contactcentre.interactions.models import ContactMoment, IdentityDocument


class DeskForm(forms.Form):
    desk = forms.CharField(
        label=_("Naam van uw balie"),
        max_length=DESK_MAX,
        help_text=_("Zoals op het wachtkamerscherm, bijvoorbeeld “Balie 3”."),
    )


class ServeForm(forms.Form):
    """Who the visitor is: the BSN on the identity document they hand over, or the reference of their
    case; or nobody yet (a general question)."""

    ANONYMOUS = "anonymous"

    kind = forms.ChoiceField(
        label=_("Bezoeker vinden met"),
        choices=[
            (ClaimKind.BSN, _("BSN van het identiteitsbewijs")),
            (ClaimKind.CASE_REFERENCE, _("Zaaknummer")),
            (ANONYMOUS, _("Niet nodig (algemene vraag)")),
        ],
        initial=ClaimKind.BSN,
        widget=forms.RadioSelect,
    )
    value = forms.CharField(
        label=_("BSN of zaaknummer"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") not in (None, self.ANONYMOUS) and not data.get("value", "").strip():
            self.add_error("value", _("Vul het BSN of het zaaknummer in."))
        return data

    def identity_claim(self) -> IdentityClaim | None:
        kind = self.cleaned_data["kind"]
        return None if kind == self.ANONYMOUS else IdentityClaim(kind=kind, value=self.cleaned_data["value"])


class IdentityCheckForm(forms.Form):
    """Only the kind of document: its number is never asked, so it is never stored."""

    document = forms.ChoiceField(label=_("Gecontroleerd identiteitsbewijs"), choices=IdentityDocument.choices)


class FinishForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Resultaat van het bezoek"), choices=ContactMoment.Outcome.choices)
