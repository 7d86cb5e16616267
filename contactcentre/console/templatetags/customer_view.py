"""The customer view's codes as staff read them: the rows are plain data (firstline.selectors), so the
labels of their choices are looked up here, at the edge."""

from django import template

from contactcentre.interactions.models import Channel as ContactChannel
from contactcentre.registry.models import Channel, Consent

register = template.Library()


def _label(choices, code) -> str:
    return dict(choices.choices).get(code, code or "")


@register.filter
def contact_channel(code: str) -> str:
    return _label(ContactChannel, code)


@register.filter
def preferred_channel(code: str) -> str:
    return _label(Channel, code)


@register.filter
def consent_purpose(code: str) -> str:
    return _label(Consent.Purpose, code)


@register.filter
def address_line(address) -> str:
    """A (possibly masked) address as one line, with the parts this viewer may see."""
    if not isinstance(address, dict):
        return str(address or "")
    street = " ".join(str(address[key]) for key in ("street", "house_number") if address.get(key))
    street += str(address.get("house_number_addition") or "")
    place = " ".join(str(address[key]) for key in ("postcode", "city") if address.get(key))
    return ", ".join(part for part in (street, place) if part)
