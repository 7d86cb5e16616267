"""SMS text that stays cheap: GSM-7 characters only (one character outside it turns the whole message
into UCS-2, 70 characters a segment instead of 160) and at most two segments."""

import unicodedata

# GSM 03.38: the basic set (one septet each) and its extension table (an escape plus one: two septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
# Typography that word processors put into article texts, in plain characters.
_PLAIN = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
        "•": "-",
        "\t": " ",
    }
)
# A concatenated message carries a header: 153 septets a segment.
SEGMENT_SEPTETS = 153
MAX_SEGMENTS = 2
ELLIPSIS = "..."


def gsm7_fold(text: str) -> str:
    """`text` in GSM-7: typography made plain, accents outside the set dropped (ë -> e), the rest omitted."""
    out = []
    for char in (text or "").translate(_PLAIN):
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out.append("".join(c for c in base if c in GSM7_BASIC))
    return "".join(out)


def septets(text: str) -> int:
    return sum(2 if char in GSM7_EXTENSION else 1 for char in text)


def sms_text(text: str, *, reserve: int = 0) -> str:
    """`text` folded to GSM-7 and cut at a word to fit two concatenated segments, less `reserve` septets
    for what the caller appends."""
    folded = " ".join(gsm7_fold(text).split())
    budget = SEGMENT_SEPTETS * MAX_SEGMENTS - reserve
    if septets(folded) <= budget:
        return folded
    cut = folded[:budget]  # a character is at least one septet
    while septets(cut) > budget - len(ELLIPSIS):
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > budget // 2:  # end on a whole word unless that loses half the message
        cut = cut[:space]
    return cut.rstrip(" ,;:") + ELLIPSIS
