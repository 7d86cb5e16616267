"""The routing configuration - the active routing rules, the organisations' second-line endpoints and
the business calendars made from them - read once per process and kept until it changes.

Every escalation needs it and administrators change it rarely, so it is not read from the database
on every creation. A version token in the shared cache says which configuration is current: saving
or deleting any model it is built from (in the admin or anywhere else through the ORM) sets a new
token at once and again after the commit, so every process (gunicorn workers, Celery workers) reloads
on its next use and never keeps a configuration read before the change was committed. Queryset
`update()`/`bulk_create()` send no signals: call `routing_configuration_changed()` after them.
When the cache cannot be reached the configuration is read from the database each time.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from casemanagement.business_calendar import BusinessCalendar, default_calendar
from casemanagement.models import CaseType, RoutingRule, SecondLineEndpoint
from contactcentre.registry.models import Organisation
from lifeevents.models import Article, LifeEvent

logger = logging.getLogger(__name__)
VERSION_KEY = "casemanagement:routing-configuration-version"
# What the rules, their explanations, the endpoints and the calendars are made from.
SOURCES = (RoutingRule, SecondLineEndpoint, Organisation, LifeEvent, CaseType, Article)


@dataclass(frozen=True)
class RoutingConfiguration:
    """Shared by the threads of a process: read it, never change what it holds."""

    rules: tuple[RoutingRule, ...]
    endpoints: dict[int, SecondLineEndpoint]
    _calendars: dict[int, BusinessCalendar] = field(default_factory=dict, repr=False)

    @property
    def needs_municipality(self) -> bool:
        """Whether any rule asks where the person lives (else that lookup is skipped)."""
        return any(rule.municipality for rule in self.rules)

    def endpoint(self, organisation_id: int) -> SecondLineEndpoint | None:
        return self.endpoints.get(organisation_id)

    def calendar(self, organisation_id: int) -> BusinessCalendar:
        """The organisation's working hours and closing days, or the Dutch government standard."""
        calendar = self._calendars.get(organisation_id)
        if calendar is None:
            calendar = self._calendars[organisation_id] = _calendar_from(self.endpoint(organisation_id))
        return calendar


def _calendar_from(endpoint: SecondLineEndpoint | None) -> BusinessCalendar:
    closing = frozenset(date.fromisoformat(day) for day in endpoint.closing_days) if endpoint else frozenset()
    if endpoint is None or not endpoint.working_hours:
        return BusinessCalendar(hours=default_calendar().hours, closing_days=closing)
    spec = {int(day): [tuple(interval) for interval in intervals] for day, intervals in endpoint.working_hours.items()}
    return BusinessCalendar.from_spec(spec, closing_days=closing)


def _load() -> RoutingConfiguration:
    rules = RoutingRule.objects.filter(is_active=True).select_related(
        "organisation", "life_event", "case_type", "article"
    )
    return RoutingConfiguration(
        rules=tuple(rules),
        endpoints={endpoint.organisation_id: endpoint for endpoint in SecondLineEndpoint.objects.all()},
    )


_held: tuple[str, RoutingConfiguration] | None = None
_pinned: ContextVar[RoutingConfiguration | None] = ContextVar("routing_configuration_pinned", default=None)


@contextmanager
def routing_configuration_pinned() -> Iterator[RoutingConfiguration]:
    """One configuration for every read within one operation (an escalation's routing, deadlines and
    hand-over): one version check instead of one per read."""
    token = _pinned.set(routing_configuration())
    try:
        yield _pinned.get()
    finally:
        _pinned.reset(token)


def routing_configuration() -> RoutingConfiguration:
    """The current configuration: one cache read, and the database only after a change."""
    global _held
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    try:
        version = cache.get(VERSION_KEY)
        if version is None:  # first use, or the cache was emptied: start a version all processes share
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:  # noqa: BLE001 - any cache failure: read the database, as before the cache
        logger.warning("routing configuration version unavailable; reading it from the database")
        return _load()
    held = _held
    if held is not None and version is not None and held[0] == version:
        return held[1]
    configuration = _load()
    if version is not None:
        _held = (version, configuration)
    return configuration


def routing_configuration_changed() -> None:
    """A new version now (this transaction sees its own change) and after the commit (no process keeps
    what it read before the change was committed)."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    global _held
    _held = None
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - the token cannot be read either then: every read goes to the database
        logger.warning("routing configuration version not renewed (cache unavailable)")


def _changed(sender, **kwargs) -> None:
    routing_configuration_changed()


def connect_invalidation() -> None:
    """Signals used only to drop this cache (DESIGN.md rule: signals only for cache invalidation)."""
    for model in SOURCES:
        post_save.connect(_changed, sender=model, dispatch_uid=f"routing-configuration-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"routing-configuration-delete-{model._meta.label}")
