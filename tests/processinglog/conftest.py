import pytest


@pytest.fixture(autouse=True)
def _reference_checkers_of_this_layer_only(monkeypatch):
    """These tests are about this layer's own rules. Whether a stated contact or case is real is decided
    by the checkers interactions and casemanagement register; those are tested in their own layers and
    end to end (tests/firstline/test_purpose_binding.py)."""
    monkeypatch.setattr("contactcentre.processinglog.services._reference_checkers", dict)
