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
    ("portal-my-data.png", "/mijn/gegevens/"),
    ("portal-consents.png", "/mijn/toestemmingen/"),
    ("portal-who-saw-my-data.png", "/mijn/inzage/"),
]
STAFF = [
    ("staff-home.png", "/medewerker/"),
    ("twilio-simulator.png", "/demo/twilio/"),
]


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

        page = browser.new_page(viewport=viewport, locale="nl-NL")
        page.goto(base + "/aanmelden/")
        page.get_by_label("Gebruikersnaam").fill("agent")
        page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        for name, path in STAFF:
            shoot(page, base, name, path)
        browser.close()


if __name__ == "__main__":
    main()
