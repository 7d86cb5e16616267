"""Model instances from database rows without Model.__init__.

For a row with every column, Django's `Model.from_db` calls `Model(*values)`: it sends pre_init and
post_init, walks the fields and sets each attribute through `setattr`. Skipping that took 2.9% off
the customer view's instructions (about twenty instances with their select_related objects) and 5%
off a page of the case list (bench/README.md, fifth session). `FastFromDb.from_db`
does what that comes down to for such a model: the values straight into the instance's `__dict__` under
the fields' attribute names, and a ModelState saying the row came from `db`.

That is the same instance only when nothing observes or intercepts the setting, so the fast path is
taken only for a model whose every concrete field is set through Django's plain deferred-attribute
descriptors (no FileField, no custom descriptor with a setter), that nobody listens to pre_init or
post_init for (checked on every call: listeners may be connected at any time), and a row with every
column (deferred fields take Django's own path).
"""

from __future__ import annotations

import functools
import inspect

from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


@functools.cache
def _plain_attnames(model) -> tuple[str, ...] | None:
    """The concrete fields' attribute names in row order, or None when one is not a plain attribute."""
    attnames = tuple(field.attname for field in model._meta.concrete_fields)
    if all(type(inspect.getattr_static(model, name, None)) in _PLAIN_DESCRIPTORS for name in attnames):
        return attnames
    return None


class FastFromDb:
    """Model mixin (before models.Model in the bases): rows with every column load without __init__."""

    @classmethod
    def from_db(cls, db, field_names, values):
        attnames = _plain_attnames(cls)
        if (
            attnames is None
            or len(values) != len(attnames)
            or pre_init.has_listeners(cls)
            or post_init.has_listeners(cls)
        ):
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        new.__dict__.update(zip(attnames, values, strict=True))
        state = new._state = ModelState()
        state.adding = False
        state.db = db
        return new
