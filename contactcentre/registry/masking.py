"""Masked forms of sensitive values, for audit trails and for viewers below the needed assurance.

A masked value never validates as the original identifier (it contains '*'), so it cannot leak one.
"""


def mask_email(value: str) -> str:
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_phone(value: str) -> str:
    if len(value) <= 6:
        return "***"
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


def mask_iban(value: str) -> str:
    compact = value.replace(" ", "")
    if len(compact) < 8:
        return "***"
    return compact[:2] + "**" + "*" * (len(compact) - 8) + compact[-4:]


def mask_address(address: dict) -> dict:
    """Only the city: enough to confirm "you live in Voorbeeldstad?" without giving the address away."""
    return {"city": address.get("city", "")}


def mask_address_text(address: dict) -> str:
    return f"*** {address.get('city', '')}".strip()
