"""What an inbound SMS asks, read from its text: a case status (STATUS or ZAAK, a reference and a second
factor), an opt-out or opt-in keyword, or otherwise a question. Pure: no database."""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# Twilio's own opt-out and opt-in keywords (it blocks and unblocks the number on them too), and Dutch ones.
OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "AFMELDEN"})
OPT_IN_WORDS = frozenset({"START", "YES", "UNSTOP", "AANMELDEN"})
STATUS_WORDS = frozenset({"STATUS", "ZAAK"})
# Twilio delivers at most 1,600 characters; more is not an SMS.
BODY_MAX = 1600

_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_POSTCODE = re.compile(r"^(\d{4})\s*([A-Za-z]{2})?$")


class Intent(StrEnum):
    STATUS = "status"
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    QUESTION = "question"


@dataclass(frozen=True)
class SmsCommand:
    intent: Intent
    text: str
    reference: str = ""
    postcode_digits: str = ""
    date_of_birth: date | None = None

    @property
    def status_complete(self) -> bool:
        return bool(self.reference) and (bool(self.postcode_digits) or self.date_of_birth is not None)


def _keyword(text: str) -> str:
    return re.sub(r"[^\w]", "", text).upper()


def _date(value: str) -> date | None:
    if match := _DATE_DMY.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _DATE_ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def sms_command_parse(body: str) -> SmsCommand:
    """The command in an SMS body. A keyword counts only as the whole message ("stop." too), as Twilio's
    does; "status" counts only before something that looks like a reference (it holds a digit), so
    "status bouwvergunning?" stays a question. A second factor that is neither four postcode digits nor a
    date leaves the status command incomplete (answered with how to ask, and not counted as an attempt)."""
    text = (body or "").strip()[:BODY_MAX]
    keyword = _keyword(text)
    if keyword in OPT_OUT_WORDS:
        return SmsCommand(Intent.OPT_OUT, text)
    if keyword in OPT_IN_WORDS:
        return SmsCommand(Intent.OPT_IN, text)
    words = text.split()
    if not words or _keyword(words[0]) not in STATUS_WORDS:
        return SmsCommand(Intent.QUESTION, text)
    if len(words) == 1:
        return SmsCommand(Intent.STATUS, text)
    reference = words[1]
    if not any(char.isdigit() for char in reference):
        return SmsCommand(Intent.QUESTION, text)
    factor = " ".join(words[2:])
    if postcode := _POSTCODE.match(factor):
        return SmsCommand(Intent.STATUS, text, reference=reference, postcode_digits=postcode.group(1))
    return SmsCommand(Intent.STATUS, text, reference=reference, date_of_birth=_date(factor))
