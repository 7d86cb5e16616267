"""The scopes an API client's token may carry. Each endpoint names the scope it needs per method."""

ALL_SCOPES = {
    "parties:read": "Partijen en basisgegevens lezen",
    "parties:write": "Basisgegevens wijzigen",
    "consents:read": "Toestemmingen lezen",
    "consents:write": "Toestemmingen registreren",
    "cases:read": "Zaken en statussen lezen",
    "cases:write": "Zaakstatussen registreren",
    "contacts:read": "Contactmomenten lezen",
    "contacts:write": "Contactmomenten registreren",
    "escalations:read": "Doorverwijzingen lezen",
    "escalations:write": "Doorverwijzingen afhandelen",
    "knowledge:read": "Kennisbank lezen",
    "scans:read": "Status van aangeleverde gescande post lezen",
    "scans:write": "Gescande post aanleveren",
    "counter:kiosk": "Balie: een nummer trekken en aanmelden voor een afspraak (kiosk)",
    "email:deliver": "Inkomende e-mail afleveren (mailserver)",
}
