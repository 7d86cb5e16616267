"""Screenshots of the main screens for the README, taken with Playwright in Debian's chromium from a
running demo (`make run` in another terminal). Run again after a screen changes:

    .venv/bin/python docs/screenshots.py [--base http://127.0.0.1:8000]

Each screen is a (file name, path, who signs in) entry below; the PNGs go to docs/screenshots/.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STAFF_PASSWORD = "demo-wachtwoord-2026"  # the demo log-ins of `seed_demo` (DEMO_MODE only)

PUBLIC = [
    ("public-home.png", "/"),
    ("public-life-event.png", "/levensgebeurtenissen/verhuizen/"),
    ("public-answer.png", "/antwoorden/kb-0001/"),
    ("public-search.png", "/zoeken/?q=ik+ga+verhuizen+hoe+geef+ik+mijn+adres+door"),
]
CITIZEN = [
    ("portal-my-cases.png", "/mijn/"),
    ("portal-my-messages.png", "/mijn/berichten/"),
    ("portal-my-data.png", "/mijn/gegevens/"),
    ("portal-consents.png", "/mijn/toestemmingen/"),
    ("portal-callback.png", "/mijn/terugbellen/"),
    ("portal-who-saw-my-data.png", "/mijn/inzage/"),
]
# Per demo log-in, its screens.
STAFF = {
    "agent": [
        ("staff-home.png", "/medewerker/"),
        ("console-work.png", "/medewerker/werk/"),
        ("console-new-contact.png", "/medewerker/contacten/nieuw/"),
        ("twilio-simulator.png", "/demo/twilio/"),
    ],
    "balie": [("counter-desk.png", "/balie/stadhuis/")],
    "behandelaar": [("worklist.png", "/behandelaar/")],
    "teamleider": [("supervisor-board.png", "/medewerker/bord/")],
}
DEMO_CASE = "DEMO0000"  # a demo case (casemanagement/demo.py): the agent opens its person's workspace


def shoot(page, base: str, name: str, path: str) -> None:
    page.goto(base + path)
    page.screenshot(path=str(HERE / name), full_page=True)
    print(f"{name:32} {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    base = parser.parse_args().base.rstrip("/")
    HERE.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        viewport = {"width": 1280, "height": 800}

        page = browser.new_page(viewport=viewport, locale="nl-NL")
        for name, path in PUBLIC:
            shoot(page, base, name, path)
        page.goto(base + "/mijn/inloggen/")
        page.screenshot(path=str(HERE / "portal-digid-demo.png"), full_page=True)
        page.locator("input[name=person]").first.check()
        page.get_by_role("button", name=re.compile("Inloggen")).click()
        for name, path in CITIZEN:
            shoot(page, base, name, path)
        page.close()

        for username, screens in STAFF.items():
            page = browser.new_page(viewport=viewport, locale="nl-NL")
            page.goto(base + "/aanmelden/")
            page.get_by_label("Gebruikersnaam").fill(username)
            page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
            page.get_by_role("button", name="Aanmelden").click()
            for name, path in screens:
                shoot(page, base, name, path)
            if username == "agent":
                page.goto(base + "/medewerker/contacten/nieuw/")
                page.get_by_label("Vraag (kort)").fill("Wanneer hoor ik iets over mijn aanvraag?")
                page.get_by_label("Zaaknummer").fill(DEMO_CASE)
                page.get_by_role("button", name="Contact openen").click()
                page.get_by_label("Zoek in de kennisbank").fill("status van mijn aanvraag")
                page.get_by_role("button", name="Zoeken").click()
                page.wait_for_selector("#kennis-aantal")
                page.screenshot(path=str(HERE / "console-contact.png"), full_page=True)
                print(f"{'console-contact.png':32} (a contact opened by case reference)")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
