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

A `QueryBatch` runs several compiled queries as one statement, each as a subquery that returns its
rows as one JSON array (`json_agg` on PostgreSQL, `json_group_array` on SQLite): one round trip, one
plan and one result row instead of one of each per query, the cost that dominated once the ORM's was
gone. The rows are turned back into what the database driver returns for those columns and then go
through the same converters and model building, so a query gives the same rows alone or batched.

`CompiledInsert` does the same for the INSERT of new rows (the processing log writes one per person read).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, time
from enum import Enum
from itertools import chain
from typing import Any

import orjson
import psycopg._queries
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.sql import InsertQuery
from django.utils import timezone

# psycopg parses a statement's placeholders on every execute, except for statements of at most
# MAX_CACHED_STATEMENT_LENGTH bytes (4 KB), whose parse it keeps (an LRU of 128). A batch is one text
# run again and again, the customer view's 11 KB: parsing it each time was 4.6% of the view's
# instructions. tests/api/test_compiled.py checks that a batch is served from that cache.
psycopg._queries.MAX_CACHED_STATEMENT_LENGTH = max(psycopg._queries.MAX_CACHED_STATEMENT_LENGTH, 32 * 1024)


def _plain(value: Any) -> Any:
    """A choices member (an enum that is also a str or an int) as its plain value, which the database
    gets either way: psycopg finds the dumper of a subclass only by walking its MRO, a KeyError a step,
    on every execute."""
    return value._value_ if isinstance(value, Enum) and isinstance(value, str | int) else value


def _adapter(value: Any, connection) -> Callable[[Any], Any]:
    """How the ORM turns a Python value into the SQL parameter (aware datetimes differ per backend)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value
    return lambda item: item


def _positions(params: list, placeholders: dict[str, Any], connection) -> dict[str, tuple[int, Callable]]:
    positions = {}
    for name, value in placeholders.items():
        adapt = _adapter(value, connection)
        expected = adapt(value)
        found = [i for i, param in enumerate(params) if type(param) is type(expected) and param == expected]
        if len(found) != 1:
            raise ValueError(f"placeholder {name}={value!r} is not exactly one SQL parameter: {params!r}")
        positions[name] = (found[0], adapt)
    return positions


# In a batch, PostgreSQL renders these column types in JSON as ISO text; parsing it back gives what
# psycopg returns for the column. Other types come out of JSON as the driver gives them (numbers,
# strings, booleans; JSON columns are cast to text, which Django's JSONField parses as usual). On
# SQLite every value comes out of JSON as the driver returns it (dates and times are text there).
_PG_JSON_LOADERS: dict[str, Callable[[str], Any]] = {
    "DateTimeField": datetime.fromisoformat,
    "DateField": date.fromisoformat,
    "TimeField": time.fromisoformat,
}
_PG_JSON_AS_TEXT = {"JSONField"}
_JSON_SAFE = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "BooleanField",
    "CharField",
    "TextField",
    "EmailField",
    "SlugField",
    "URLField",
    "FloatField",
    *_PG_JSON_LOADERS,
    *_PG_JSON_AS_TEXT,
}


def _internal_type(field) -> str:
    while field.is_relation:  # a foreign key column holds its target's value
        field = field.target_field
    return field.get_internal_type()


class _BatchForm:
    """The query as a scalar subquery giving its rows as a JSON array of arrays."""

    __slots__ = ("sql", "params", "positions", "loaders")

    def __init__(self, queryset: QuerySet, placeholders: dict[str, Any], connection):
        compiler = queryset.query.get_compiler(queryset.db)
        inner, params = compiler.as_sql(with_col_aliases=True)
        self.params = [_plain(param) for param in params]
        self.positions = _positions(self.params, placeholders, connection)
        columns: list[str] = []
        self.loaders: list[tuple[int, Callable[[str], Any]]] = []  # (column, parser) where JSON text needs one
        postgres = connection.vendor == "postgresql"
        for position, (expression, _sql, alias) in enumerate(compiler.select):
            kind = _internal_type(expression.output_field)
            if kind not in _JSON_SAFE:
                raise ValueError(f"a {kind} column cannot be batched (column {alias})")
            column = f"r.{connection.ops.quote_name(alias)}"
            columns.append(f"{column}::text" if postgres and kind in _PG_JSON_AS_TEXT else column)
            if postgres and kind in _PG_JSON_LOADERS:
                self.loaders.append((position, _PG_JSON_LOADERS[kind]))
        if postgres:
            # As text: orjson parses it in a fraction of what psycopg's loader (the json module) takes.
            rows = f"coalesce(json_agg(json_build_array({', '.join(columns)})), '[]'::json)::text"
        elif connection.vendor == "sqlite":
            rows = f"json_group_array(json_array({', '.join(columns)}))"
        else:
            raise ValueError(f"batches are not built for {connection.vendor}")
        # The rows keep the subquery's order: the aggregate reads them as the ordered subquery yields them.
        self.sql = f"(SELECT {rows} FROM ({inner}) r)"  # noqa: S608 (the ORM's SQL, quoted aliases; values stay parameters)

    def decode(self, value) -> list[list]:
        rows = orjson.loads(value)
        if self.loaders:
            for row in rows:
                for i, load in self.loaders:
                    if row[i] is not None:
                        row[i] = load(row[i])
        return rows


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
        "batch",
    )

    def __init__(self, queryset: QuerySet, placeholders: dict[str, Any], connection):
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, [_plain(param) for param in params]
        self.positions = _positions(self.params, placeholders, connection)
        self.batch: _BatchForm | None = None
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

    def _batch_form(self, alias: str, connection) -> _BatchForm:
        compiled = self._for(alias, connection)
        if compiled.batch is None:
            with self._lock:
                queryset = self._build(**self._placeholders).using(alias)
                compiled.batch = _BatchForm(queryset, self._placeholders, connection)
        return compiled.batch

    @staticmethod
    def _bind(params: list, positions: dict, values: dict[str, Any]) -> list:
        params = list(params)
        for name, (position, adapt) in positions.items():
            params[position] = adapt(values[name])
        return params

    def rows(self, *, using: str = "default", **values: Any) -> list:
        connection = connections[using]
        compiled = self._for(using, connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, self._bind(compiled.params, compiled.positions, values))
            rows = cursor.fetchall()
        return self._materialise(compiled, rows, using, connection)

    def _materialise(self, compiled: _Compiled, rows: list, using: str, connection) -> list:
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


class Pending:
    """The rows of one query of a QueryBatch, there once the batch has run (`.rows`, or call it: a
    Pending is itself the deferred result of a selector that adds one query and reshapes nothing)."""

    __slots__ = ("_rows",)

    def __init__(self):
        self._rows: list | None = None

    @property
    def rows(self) -> list:
        if self._rows is None:
            raise RuntimeError("the batch has not run yet")
        return self._rows

    def __call__(self) -> list:
        return self.rows


class QueryBatch:
    """`batch = QueryBatch(); cases = batch.add(CASES, party_id=7); ...; batch.run(); cases.rows`.

    The queries run as one statement (see the module's docstring); a batch of one runs it as is.
    """

    def __init__(self, using: str = "default"):
        self._using = using
        self._parts: list[tuple[CompiledQuery, dict[str, Any], Pending]] = []

    def add(self, query: CompiledQuery, **values: Any) -> Pending:
        pending = Pending()
        self._parts.append((query, values, pending))
        return pending

    def run(self) -> None:
        using, parts = self._using, self._parts
        self._parts = []
        if len(parts) == 1:
            query, values, pending = parts[0]
            pending._rows = query.rows(using=using, **values)
            return
        if not parts:
            return
        connection = connections[using]
        forms, selects, params = [], [], []
        for query, values, _pending in parts:
            form = query._batch_form(using, connection)
            forms.append(form)
            selects.append(form.sql)
            params += query._bind(form.params, form.positions, values)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(selects), params)
            results = cursor.fetchone()
        for (query, _values, pending), form, value in zip(parts, forms, results, strict=True):
            compiled = query._for(using, connection)
            pending._rows = query._materialise(compiled, form.decode(value), using, connection)


def run_alone(deferred: Callable[..., Callable[[], Any]], /, **arguments: Any) -> Any:
    """The answer of a deferred selector (`deferred(batch, **arguments)` -> a callable for after the
    batch has run) on a batch of its own: its query runs as is, in one round trip."""
    batch = QueryBatch()
    answer = deferred(batch, **arguments)
    batch.run()
    return answer()


_MISSING = object()
# Field types whose get_db_prep_save returns a value of this type unchanged.
_UNPREPARED = {
    **dict.fromkeys(("CharField", "TextField", "SlugField", "EmailField", "URLField"), str),
    **dict.fromkeys(("IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField"), int),
}


def _fill(field) -> Callable[[], Any]:
    """What a new instance holds for `field` when no value is given: the time now for auto_now(_add)
    (set by pre_save), else the field's default."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now
    return field.get_default


class CompiledInsert:
    """`CompiledInsert(Model).insert(rows)`: what `save(force_insert=True)` writes for new instances of
    a model with an automatic primary key, for rows given as {attname: value} without making the
    instances: a missing field takes its default, or the time now if auto_now(_add); strings and
    integers go as they are, other values through the field's get_db_prep_save. One INSERT ...
    RETURNING the new keys, compiled once per backend and number of rows (on PostgreSQL Django inserts
    several rows from one array per column, UNNEST). No signals are sent (none are connected to such
    models here); one statement needs no transaction around it, where bulk_create adds BEGIN and COMMIT.
    Making and preparing the instances was a fifth of the processing log's write on the customer view."""

    max_rows = 100

    def __init__(self, model: type[Model]):
        meta = model._meta
        self._model = model
        self._fields = [f for f in meta.local_concrete_fields if f not in meta.pk_fields and not f.generated]
        self._attnames = frozenset(field.attname for field in self._fields)
        # (field, what a missing value becomes, the type its values have when the field's preparation
        # would leave them unchanged)
        self._columns = [(field, _fill(field), _UNPREPARED.get(field.get_internal_type())) for field in self._fields]
        self._sql: dict[tuple[str, str, int], tuple[str, bool]] = {}
        self._lock = threading.Lock()

    def _statement(self, alias: str, connection, rows: int) -> tuple[str, bool]:
        """(SQL, whether its parameters are one array per column rather than the values row by row)."""
        key = (alias, connection.vendor, rows)
        sql = self._sql.get(key)
        if sql is None:
            features = connection.features
            if not (features.can_return_columns_from_insert and features.can_return_rows_from_bulk_insert):
                raise ValueError(f"{connection.vendor} cannot return the new keys from an INSERT")
            with self._lock:
                query = InsertQuery(self._model)
                query.insert_values(self._fields, [self._model() for _ in range(rows)])
                compiler = query.get_compiler(alias)
                compiler.returning_fields = [self._model._meta.pk]
                [(statement, params)] = compiler.as_sql()
                columnar = rows > 1 and len(params) == len(self._fields)
                sql = self._sql.setdefault(key, (statement, columnar))
        return sql

    def _values(self, row: dict[str, Any], connection) -> list:
        if not row.keys() <= self._attnames:
            raise ValueError(f"not fields of {self._model.__name__}: {sorted(row.keys() - self._attnames)}")
        values = []
        for field, fill, unprepared in self._columns:
            value = row.get(field.attname, _MISSING)
            if value is _MISSING:
                value = fill()
            values.append(value if type(value) is unprepared else _plain(field.get_db_prep_save(value, connection)))
        return values

    def insert(self, rows: list[dict[str, Any]], *, using: str = "default") -> list:
        """The new keys, in the order of `rows`."""
        if not 0 < len(rows) <= self.max_rows:
            raise ValueError(f"insert 1 to {self.max_rows} rows at a time, not {len(rows)}")
        connection = connections[using]
        sql, columnar = self._statement(using, connection, len(rows))
        values = [self._values(row, connection) for row in rows]
        params = [list(column) for column in zip(*values, strict=True)] if columnar else [*chain(*values)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [key for (key,) in cursor.fetchall()]
