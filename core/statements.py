"""Reads compiled once per process: a QuerySet built on placeholders, its SQL reused.

Building and compiling a QuerySet with joins, subqueries and annotations costs the web worker
1-2 ms of CPU every time, more than PostgreSQL spends running it; a page that runs several such
reads (the dashboard) spent most of its time there. A `Statement` builds its QuerySet once, from
`Placeholder` expressions where the per-request values go, keeps the SQL, and on each call only
binds the values and runs it: the same SQL as the QuerySet's, the same rows, none of the work.

The builder receives placeholders, never a request's values, so nothing of one person's request
can be frozen into SQL that serves another's. Whatever the builder takes besides placeholders
(the `shape`: a sort order, a page size, each profile's checklist length) keys the cache, so it
must be hashable and take few values: an unbounded value (typed text) belongs in a placeholder.
On PostgreSQL every lookup the dashboard uses takes one (LIKE and iexact escape an expression
in SQL); a lookup that turned its value into text while compiling would raise instead of
compiling a wrong statement. Values-only QuerySets
(`.values()` rows, as dicts) are supported; that is what the hot reads return.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Expression, Field, Func, QuerySet


class Placeholder(Expression):
    """A value bound when the statement runs (`Statement.rows(name=value)`), compiled as `%s`."""

    def __init__(self, name: str, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection, **extra_context):
        return "%s", [_Slot(self.name)]  # a list: some lookups (iexact) rewrite it in place

    def __repr__(self) -> str:
        return f"Placeholder({self.name!r})"


class IsIn(Func):
    """`column = ANY(ids)`: a list bound as one array parameter, which a placeholder can hold
    (`__in` writes one placeholder per item, so its SQL changes with the list's length)."""

    output_field = BooleanField()

    def as_sql(
        self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context
    ):
        column, ids = (compiler.compile(e) for e in self.get_source_expressions())
        return f"{column[0]} = ANY({ids[0]}::bigint[])", (*column[1], *ids[1])


class _Slot:
    """Where a placeholder's value goes in the compiled parameters."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        # A LIKE or iexact lookup escapes its value as text while compiling: it would compile
        # the slot's name into the SQL as a constant, and bind nothing.
        raise TypeError(f"placeholder {self.name!r} used where its value would be rewritten")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # values, and a _Slot where a placeholder's value goes
    names: tuple[str, ...]  # the values() keys, in column order
    converters: dict  # column -> (converters, expression), as the compiler applies them
    alias: str

    def bind(self, values: dict[str, Any]) -> list:
        return [values[p.name] if isinstance(p, _Slot) else p for p in self.params]


class Statement:
    """`build(*shape, **placeholders)` returns a values() QuerySet; compiled once per shape.

    `fields` names each placeholder and its type (the type the builder's filters compare with).
    """

    def __init__(self, build: Callable[..., QuerySet], **fields: Field) -> None:
        self._build = build
        self._fields = fields
        self._compiled: dict[Hashable, _Compiled] = {}

    def _compile(self, shape: tuple) -> _Compiled:
        compiled = self._compiled.get(shape)
        if compiled is None:
            placeholders = {name: Placeholder(name, f) for name, f in self._fields.items()}
            queryset = self._build(*shape, **placeholders)
            query = queryset.query
            if queryset._fields is None:  # type: ignore[attr-defined]
                raise TypeError("a Statement reads values() rows")
            compiler = query.get_compiler(queryset.db)
            sql, params = compiler.as_sql()
            # Named and converted as Django's ValuesIterable and results_iter do.
            names = query.selected or (
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            )
            columns = [column[0] for column in compiler.select[: compiler.col_count]]
            compiled = _Compiled(
                sql, tuple(params), tuple(names), compiler.get_converters(columns), queryset.db
            )
            self._compiled[shape] = compiled
        return compiled

    def sql(self, *shape: Hashable) -> str:
        """The compiled SQL for a shape."""
        return self._compile(shape).sql

    def rows(self, *shape: Hashable, **values: Any) -> list[dict[str, Any]]:
        compiled = self._compile(shape)
        connection = connections[compiled.alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, compiled.bind(values))
            fetched = cursor.fetchall()
        names, converters = compiled.names, compiled.converters
        if converters:  # none for the dashboard's columns on PostgreSQL, but keep Django's
            fetched = [_converted(row, converters, connection) for row in fetched]
        return [dict(zip(names, row, strict=True)) for row in fetched]

    def count(self, *shape: Hashable, **values: Any) -> int:
        """How many rows the statement reads (its LIMIT, if any, applies)."""
        compiled = self._compile(shape)
        with connections[compiled.alias].cursor() as cursor:
            # The statement's own SQL, compiled from a QuerySet: no value is formatted in.
            sql = f"SELECT COUNT(*) FROM ({compiled.sql}) AS counted"  # noqa: S608
            cursor.execute(sql, compiled.bind(values))
            return cursor.fetchone()[0]


def _converted(row: tuple, converters: dict, connection) -> list:
    values = list(row)
    for position, (functions, expression) in converters.items():
        for function in functions:
            values[position] = function(values[position], expression, connection)
    return values
