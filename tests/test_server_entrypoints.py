"""The WSGI and ASGI modules servers load: the application, with what was loaded to make it frozen out
of the cyclic garbage collector's full runs (a fresh interpreter each, as a server worker starts)."""

import subprocess
import sys

import pytest

from tests.integration.conftest import ROOT


@pytest.mark.parametrize("module", ["contactcentre.wsgi", "contactcentre.asgi"])
def test_loading_the_application_freezes_what_was_loaded(module):
    probe = f"import gc; assert gc.get_freeze_count() == 0; import {module}; print(gc.get_freeze_count())"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) > 50_000  # Django, DRF and the project's modules, not a handful
