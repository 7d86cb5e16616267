"""The customer view's codes shown as staff read them."""

from contactcentre.console.templatetags.customer_view import (
    address_line,
    consent_purpose,
    contact_channel,
    preferred_channel,
)


def test_codes_become_their_labels_and_unknown_codes_stay_as_they_are():
    assert (contact_channel("phone"), preferred_channel("portal")) == ("Telefoon", "Website (Mijn omgeving)")
    assert consent_purpose("sms_notifications") == "Berichten per sms ontvangen"
    assert (contact_channel("pigeon"), preferred_channel("")) == ("pigeon", "")


def test_an_address_is_one_line_of_the_parts_the_viewer_may_see():
    full = {
        "street": "Dorpsstraat",
        "house_number": 12,
        "house_number_addition": "a",
        "postcode": "1234 AB",
        "city": "Ons Dorp",
    }
    assert address_line(full) == "Dorpsstraat 12a, 1234 AB Ons Dorp"
    assert address_line({"city": "Voorbeeldstad"}) == "Voorbeeldstad"  # masked: the city only
    assert address_line("Dorpsstraat ***") == "Dorpsstraat ***"
