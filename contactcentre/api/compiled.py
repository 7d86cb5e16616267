"""Querysets compiled to SQL once per process, then run with new parameter values.

Building a queryset and compiling it costs this CPU ~0.35 ms per query, several times what running
the SQL costs; on the hottest reads (the customer view) that was most of the request. A
`CompiledQuery` builds its queryset once with placeholder values, keeps the SQL Django made for it
(so the statement is exactly the ORM's, on SQLite and PostgreSQL alike), and later only swaps the
parameter values, runs it through the connection's cursor (query logging and counting as usual) and
applies the same database converters Django would. Rows come back as `values()` dicts, or as model
instances (with their select_related objects) built as ModelIterable builds them.

Only parameters passed as placeholders change between runs; everything else in the queryset (other
filters, ordering, slicing) is fixed at build time. Each placeholder must reach the SQL parameters
exactly once, unchanged (integers, strings) or as the backend adapts an aware datetime; that is
checked when compiling.

`CompiledInsert` does the same for the INSERT of one new row (the processing log writes one per read).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.sql import InsertQuery


def _adapter(value: Any, connection) -> Callable[[Any], Any]:
    """How the ORM turns a Python value into the SQL parameter (aware datetimes differ per backend)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value
    return lambda item: item


class _Compiled:
    __slots__ = (
        "sql",
        "params",
        "positions",
        "names",
        "converters",
        "model",
        "model_slice",
        "populators",
        "annotations",
    )

    def __init__(self, queryset: QuerySet, placeholders: dict[str, Any], connection):
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, list(params)
        self.positions: dict[str, tuple[int, Callable[[Any], Any]]] = {}
        for name, value in placeholders.items():
            adapt = _adapter(value, connection)
            expected = adapt(value)
            found = [i for i, param in enumerate(self.params) if type(param) is type(expected) and param == expected]
            if len(found) != 1:
                raise ValueError(f"placeholder {name}={value!r} is not exactly one SQL parameter: {self.params!r}")
            self.positions[name] = (found[0], adapt)
        select = compiler.select
        self.converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        self.model = None
        if queryset._iterable_class is ValuesIterable:
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        elif queryset._iterable_class is ModelIterable and not queryset._known_related_objects:
            # What ModelIterable does with a compiler's select list, once.
            klass_info = compiler.klass_info
            self.model = klass_info["model"]
            select_fields = klass_info["select_fields"]
            self.model_slice = (select_fields[0], select_fields[-1] + 1)
            self.names = [column[0].target.attname for column in select[self.model_slice[0] : self.model_slice[1]]]
            self.populators = get_related_populators(klass_info, select, queryset.db)
            self.annotations = dict(compiler.annotation_col_map or {})
        else:
            raise ValueError("only values() querysets or model querysets can be compiled")


class CompiledQuery:
    """`CompiledQuery(lambda party_id: Model.objects.filter(party_id=party_id).values(...), party_id=-7)`
    then `.rows(party_id=42)` -> list of dicts (or model instances)."""

    def __init__(self, build: Callable[..., QuerySet], **placeholders: Any):
        self._build = build
        self._placeholders = placeholders
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def _for(self, alias: str, connection) -> _Compiled:
        key = (alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                queryset = self._build(**self._placeholders).using(alias)
                compiled = self._compiled.setdefault(key, _Compiled(queryset, self._placeholders, connection))
        return compiled

    def rows(self, *, using: str = "default", **values: Any) -> list:
        connection = connections[using]
        compiled = self._for(using, connection)
        params = list(compiled.params)
        for name, (position, adapt) in compiled.positions.items():
            params[position] = adapt(values[name])
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [self._convert(row, compiled.converters, connection) for row in rows]
        names = compiled.names
        if compiled.model is None:
            return [dict(zip(names, row, strict=True)) for row in rows]
        start, end = compiled.model_slice
        objects = []
        for row in rows:
            obj = compiled.model.from_db(using, names, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for attribute, position in compiled.annotations.items():
                setattr(obj, attribute, row[position])
            objects.append(obj)
        return objects

    @staticmethod
    def _convert(row, converters, connection) -> list:
        row = list(row)
        for position, (functions, expression) in converters.items():
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        return row


class CompiledInsert:
    """`CompiledInsert(Model).insert(obj)`: what `obj.save(force_insert=True)` does for a new row of a
    model with an automatic primary key (pre_save, e.g. auto_now_add, then one INSERT ... RETURNING
    the key, which it sets on obj), with the statement compiled once per backend. No signals are sent
    (none are connected to such models here)."""

    def __init__(self, model: type[Model]):
        meta = model._meta
        self._model = model
        self._fields = [f for f in meta.local_concrete_fields if f not in meta.pk_fields and not f.generated]
        self._sql: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def _statement(self, alias: str, connection) -> str:
        key = (alias, connection.vendor)
        sql = self._sql.get(key)
        if sql is None:
            if not connection.features.can_return_columns_from_insert:
                raise ValueError(f"{connection.vendor} cannot return the new key from an INSERT")
            with self._lock:
                query = InsertQuery(self._model)
                query.insert_values(self._fields, [self._model()])
                compiler = query.get_compiler(alias)
                compiler.returning_fields = [self._model._meta.pk]
                [(statement, _params)] = compiler.as_sql()
                sql = self._sql.setdefault(key, statement)
        return sql

    def insert(self, obj: Model, *, using: str = "default") -> None:
        connection = connections[using]
        sql = self._statement(using, connection)
        params = [field.get_db_prep_save(field.pre_save(obj, True), connection=connection) for field in self._fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            obj.pk = cursor.fetchone()[0]
        obj._state.adding, obj._state.db = False, using
