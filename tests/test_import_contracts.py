"""The import contracts in .importlinter hold, and they do catch what they forbid: a planted upward
import and a planted import of web plumbing into a service each break `lint-imports`."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint() -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own tool on our own tree
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def planted():
    """Write a module into the tree for one lint run; always removed."""
    made = []

    def plant(relative: str, source: str) -> None:
        path = ROOT / relative
        if not path.parent.exists():
            path.parent.mkdir()
            made.append(path.parent)
        path.write_text(source)
        made.append(path)

    yield plant
    for path in reversed(made):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def test_the_tree_keeps_every_contract():
    result = _lint()
    assert result.returncode == 0, result.stdout[-2000:]
    assert "2 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(planted):
    planted("contactcentre/registry/planted_upward.py", "import casemanagement.services  # noqa: F401\n")
    result = _lint()
    assert result.returncode != 0
    assert "House plan layers BROKEN" in result.stdout
    assert "contactcentre.registry.planted_upward -> casemanagement.services" in result.stdout


def test_web_plumbing_in_a_service_breaks_the_forbidden_contract(planted):
    planted("contactcentre/plantedapp/__init__.py", "")
    planted(
        "contactcentre/plantedapp/services.py",
        "from contactcentre.api.permissions import ScopeOrRolePermission  # noqa: F401\n",
    )
    result = _lint()
    assert result.returncode != 0
    assert "use no web plumbing" in result.stdout and "BROKEN" in result.stdout
    assert "contactcentre.plantedapp.services -> contactcentre.api.permissions" in result.stdout
