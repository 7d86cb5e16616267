"""Worst-case e-mail parsing: the slowest messages the e-mail door accepts, against an ordinary one.

    .venv/bin/python bench/email_worst_case.py [--repeat 3]

Each shape is a whole message as raw bytes, parsed by `email_parse` end to end (MIME, charsets, HTML to
text, quoted history and signature stripped, attachments, auto-reply markers) with the door's limit
(EMAIL_MAX_MESSAGE_BYTES, 25 MiB). The adversarial shapes aim at the regular expressions of the quote
stripper (one long line of "Op ... schreef", of "On ... wrote", many header-like lines), at the HTML
converter (deep nesting, a huge table), at MIME (deeply nested multiparts, many parts) and at size (a
message just under the limit). A shape's time is the fastest of --repeat runs (the machine is shared:
this keeps other processes' bursts out, not the message's own work). Prints ms per shape and its ratio
to the ordinary message.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")

LIMIT = 25 * 1024 * 1024


def message(body: str, *, subtype: str = "plain") -> bytes:
    mail = EmailMessage()
    mail["From"] = "Jan Jansen <jan.jansen@voorbeeld.nl>"
    mail["To"] = "contact@contactcentrum.example"
    mail["Subject"] = "Vraag"
    mail["Message-ID"] = "<bench@voorbeeld.nl>"
    mail.set_content(body, subtype=subtype)
    return mail.as_bytes()


def nested_multipart(depth: int) -> bytes:
    head = b"From: jan.jansen@voorbeeld.nl\r\nSubject: diep\r\nMIME-Version: 1.0\r\n"
    parts, tail = [], []
    for level in range(depth):
        parts.append(f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'.encode())
        tail.insert(0, f"\r\n--b{level}--\r\n".encode())
    return head + b"".join(parts) + b"Content-Type: text/plain\r\n\r\nhallo" + b"".join(tail)


def many_parts(count: int) -> bytes:
    mail = EmailMessage()
    mail["From"] = "jan.jansen@voorbeeld.nl"
    mail["Subject"] = "veel bijlagen"
    mail.set_content("Zie bijlagen.\n")
    for index in range(count):
        mail.add_attachment(b"%PDF-1.4\n" + bytes(100), maintype="application", subtype="pdf", filename=f"{index}.pdf")
    return mail.as_bytes()


def shapes() -> dict[str, bytes]:
    ordinary = (
        "Goedemiddag,\n\nIk ben verhuisd. Moet ik dat doorgeven?\n\nMet vriendelijke groet,\nJan\n\n"
        "Op 4 mei 2026 om 11:00 schreef Contactcentrum <contact@contactcentrum.example>:\n> Geachte heer,\n"
    )
    return {
        "ordinary reply": message(ordinary),
        "one line of 'Op ... schreef' (1 MB)": message("Op maandag 4 mei 2026 schreef " * 35_000),
        "one line of 'On ... wrote' (1 MB)": message("On Monday 4 May 2026 wrote " * 40_000),
        "lines of 'Op ... schreef' (1 MB)": message(("Op maandag 4 mei schreef " * 30 + "\n") * 1_400),
        "header-like lines (1 MB)": message("Van: x\nAan: y\nOnderwerp: z\n" * 40_000),
        "signature words (1 MB)": message("Met vriendelijke groet\n" * 45_000),
        "HTML nested 5,000 deep": message("<div>" * 5_000 + "tekst" + "</div>" * 5_000, subtype="html"),
        "HTML table 200x200": message(
            "<table>" + ("<tr>" + "<td>cel</td>" * 200 + "</tr>") * 200 + "</table>", subtype="html"
        ),
        "multipart nested 200 deep": nested_multipart(200),
        "2,000 attachments": many_parts(2_000),
        "plain text just under 25 MiB": message(("Dit is een lange zin over een vraag. " * 30 + "\n") * 22_000),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from channels_app.email.parse import UnparseableEmail, email_parse

    results = {}
    for name, raw in shapes().items():
        best, outcome = float("inf"), "parsed"
        for _ in range(args.repeat):
            started = time.perf_counter()
            try:
                email_parse(raw, max_bytes=LIMIT)
            except UnparseableEmail as error:
                outcome = f"quarantined ({error.reason})"
            best = min(best, time.perf_counter() - started)
        results[name] = (len(raw), best * 1000, outcome)
    baseline = results["ordinary reply"][1]
    print(f"{'shape':40s} {'bytes':>10s} {'ms':>9s} {'x ordinary':>11s}  outcome")
    for name, (size, ms, outcome) in results.items():
        print(f"{name:40s} {size:10d} {ms:9.1f} {ms / baseline:11.0f}  {outcome}")


if __name__ == "__main__":
    main()
