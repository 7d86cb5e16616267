"""Every URL pattern of the project as a concrete path (sample values for its parameters) and its
name: the deny-by-default walk (tests/api/test_url_access.py) and the role walk (tests/test_page_walk.py)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE = {
    "int": "1",
    "slug": "voorbeeld",
    "str": "voorbeeld",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "path": "x",
}


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else None


def _concrete(route: str) -> str | None:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    if any(ch in route for ch in "()[]?*+\\"):
        return None  # a regex we cannot fill in generically; the admin's catch-all
    return "/" + route


def all_routes():
    return sorted({(path, name) for route, name in _walk(get_resolver()) if (path := _concrete(route))}, key=str)


def parameterised_names() -> set[str]:
    """The names of the routes that take a parameter (an id, a code, a reference)."""
    return {name for route, name in _walk(get_resolver()) if name and "<" in route}
