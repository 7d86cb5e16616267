import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttles and lock-outs live in the cache; each test starts clean."""
    cache.clear()
    yield
    cache.clear()
