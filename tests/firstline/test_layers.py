"""The house's layers (DESIGN.md): a module imports only from its own layer or below. Checked for the
non-interface modules of interactions (2), casemanagement (3) and firstline (4); their api/, admin and
demo modules are interfaces (layer 5)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYER = {
    "contactcentre.registry": 0,
    "contactcentre.processinglog": 0,
    "contactcentre.api": 0,
    "contactcentre.realtime": 0,
    "contactcentre.errors": 0,
    "contactcentre.kennisbank": 0,
    "lifeevents": 1,
    "contactcentre.interactions": 2,
    "casemanagement": 3,
    "contactcentre.firstline": 4,
    "contactcentre.console": 5,
    "contactcentre.portal": 5,
    "channels_app": 5,
}
CHECKED = {"contactcentre/interactions": 2, "casemanagement": 3, "contactcentre/firstline": 4}
INTERFACES = ("api", "admin.py", "demo.py", "migrations", "management")


def _layer_of(module: str) -> int | None:
    best = None
    for prefix, layer in LAYER.items():
        if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, layer)
    return best[1] if best else None


def _modules():
    for folder, layer in CHECKED.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT / folder)
            if relative.parts[0] in INTERFACES:
                continue
            yield pytest.param(path, layer, id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize(("path", "layer"), list(_modules()))
def test_no_imports_from_a_higher_layer(path, layer):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    upward = [name for name in imported if (found := _layer_of(name)) is not None and found > layer]
    assert upward == []


def test_the_check_sees_an_upward_import():
    assert _layer_of("casemanagement.selectors") == 3
    assert _layer_of("contactcentre.firstline.services") == 4
    assert _layer_of("contactcentre.registry.models") == 0
    assert len(list(_modules())) >= 8
