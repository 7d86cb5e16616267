"""The Dutch demo knowledge base shipped with the project (copied from shared/data/kennisbank)."""

import json
from pathlib import Path

KENNISBANK_DIR = Path(__file__).resolve().parent.parent / "data" / "kennisbank"


def load(name: str) -> list[dict]:
    """One of: organisations, life_events, case_types, articles, dev_queries."""
    return json.loads((KENNISBANK_DIR / f"{name}.json").read_text(encoding="utf-8"))
