"""Queries whose SQL is built once per process and run with new values.

Building a queryset with several subqueries and compiling it to SQL costs the ORM about twenty
times what the database spends answering it: on the thread page, 1.8 ms of CPU to build and
compile a query that runs in 0.1 ms. A page asks the same few questions on every request with
different ids, so a hot query is declared once as a ``PreparedQuery``: a function that builds
the queryset from named placeholders (``slots``). The first run in a process builds it with a
unique stand-in value for each slot, compiles it and finds where each stand-in lands in the
SQL's parameters; every later run puts the request's values in those places and runs the same
SQL. Rows become results through Django's own iterables (model instances with converters,
``select_related`` and annotations as usual, or ``values()`` and ``values_list()`` rows).

Rules, checked when the query is first built (an error names the slot and why):

- a slot is an ``int`` (an id), a ``str``, a ``date`` or an aware ``datetime``, nothing else;
  an id beyond a 64-bit column's range (a number typed into an address) matches no row, as
  Django answers such a lookup, without asking the database, which may refuse the number;
  anything that changes the query's shape (a flag, a choice of filter) is a ``shape``
  argument, part of the key, so each shape is built once;
- every slot must reach the parameters as it was given: one used in a LIMIT, folded into a
  pattern (``icontains``) or turned into another type is refused. A slot named in
  ``optional`` may be left out by a shape whose condition Django drops (an empty ``IN``);
- nothing that changes with time or the request may be baked in: the active time zone and
  language are part of the key, and a date or time among the parameters that is not a slot
  (``Membership.objects.active()`` reads today's date) is refused.
"""

from __future__ import annotations

import copy
import datetime
import weakref
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
)
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone, translation

# What a row becomes: a model instance, or a values() or values_list() row.
R = TypeVar("R")

# Stand-ins: inside the range of every integer column (a stand-in past a column's range makes
# Django drop the condition, which the build then reports), and far above any real id.
_INT_BASE = 2_146_000_000
_STR_MARK = "\x00slot:{}\x00"
_DATE_BASE = datetime.date(2199, 1, 1)
# The range of a 64-bit integer column: no id lies outside it.
_INT64 = range(-(2**63), 2**63)
# Shapes kept per query: a shape may hold ids (the organisations a person supervises in), so
# a full set starts afresh rather than growing with the people who visit.
MAX_SHAPES = 256
_MOMENT_BASE = datetime.datetime(2199, 1, 1, 3, 7, 11, tzinfo=datetime.UTC)


class PreparedQueryError(ValueError):
    """A prepared query's build broke one of the rules above."""


class Slots:
    """The stand-in values a build function reads its slots from (``slots.user_id``)."""

    def __init__(self, names: dict[str, type]):
        self._values: dict[str, Any] = {}
        for index, (name, kind) in enumerate(names.items()):
            if kind is int:
                self._values[name] = _INT_BASE + index
            elif kind is str:
                self._values[name] = _STR_MARK.format(name)
            elif kind is datetime.date:
                self._values[name] = _DATE_BASE + datetime.timedelta(days=index)
            elif kind is datetime.datetime:
                self._values[name] = _MOMENT_BASE + datetime.timedelta(days=index)
            else:
                raise PreparedQueryError(
                    f"Slot {name!r} must be int, str, date or datetime, not {kind!r}."
                )

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            message = f"The build read slot {name!r}, which is not declared."
            raise PreparedQueryError(message) from None


def _adapters(connection: Any) -> dict[type, Callable[[Any], Any]]:
    """How the database's driver is given a value of each slot kind: a date or a moment as the
    ORM adapts it for this database (on SQLite, text), ids and text as they are."""
    return {
        int: lambda value: value,
        str: lambda value: value,
        datetime.date: connection.ops.adapt_datefield_value,
        datetime.datetime: connection.ops.adapt_datetimefield_value,
    }


class _Compiled:
    """One shape's SQL, where each slot goes in its parameters, and the compiler that read the
    rows' columns (``select``, ``klass_info``, annotations) when it built the SQL."""

    def __init__(
        self,
        compiler: SQLCompiler,
        sql: str,
        params: tuple,
        places: tuple[str | None, ...],
        *,
        iterable: type,
        fields: tuple[str, ...] | None,
    ):
        self.compiler = compiler
        self.sql = sql
        self.params = params
        self.places = places
        self.iterable = iterable
        self.fields = fields


class _KeptQuery:
    """Stands in for a ``Query`` inside a ``QuerySet``: ``ModelIterable`` asks it for a
    compiler, and gets the kept one bound to this thread's connection and this run's
    parameters. Anything else asked of it (its limits, read by tools that watch queries) is
    the compiled query's."""

    def __init__(self, compiled: _Compiled, alias: str, params: tuple):
        self._compiled = compiled
        self._alias = alias
        self._params = params

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_compiled"].compiler.query, name)

    def get_compiler(
        self, using: str | None = None, connection: Any = None, elide_empty: bool = True
    ) -> SQLCompiler:
        compiled, params = self._compiled, self._params
        compiler = copy.copy(compiled.compiler)
        compiler.connection = _statements(connections[self._alias])
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)  # type: ignore[method-assign]
        return compiler


# --- Statements the database keeps ----------------------------------------------------------
# A prepared query's SQL text is the same on every run, so PostgreSQL can keep it too: parsed and
# planned once per connection (a server-side prepared statement), then run with new values.
# Planning is most of the database's work on these small reads. Django sends every other query
# with its values written in (client-side binding), so only these queries are sent this way:
# their SQL is fixed and tested. ``settings.HOPE_PREPARED_STATEMENTS`` turns it off for a
# connection pooler that cannot keep a statement between transactions (PgBouncer before 1.21 in
# transaction mode).


def _statements(connection: Any) -> Any:
    if connection.vendor != "postgresql" or not settings.HOPE_PREPARED_STATEMENTS:
        return connection
    return _PreparingConnection(connection)


class _PreparingConnection:
    """The connection as a kept compiler sees it: everything is the real connection's, but its
    cursors bind values on the server and ask PostgreSQL to keep the statement."""

    def __init__(self, connection: Any):
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_connection"], name)

    def cursor(self) -> Any:
        connection = self._connection
        if connection.queries_logged:
            # Queries are being logged (DEBUG, or a test counting them): Django logs each with
            # its values written in, which it reads from a cursor that binds on the client.
            return connection.cursor()
        # What ``BaseDatabaseWrapper._cursor`` does, with a cursor that prepares; wrapped the
        # same way, so execute wrappers and error translation apply.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        from django.db.backends.postgresql.base import ServerBindingCursor

        raw = connection.connection
        if raw.prepare_threshold is None:
            # Django leaves psycopg's preparing off. At 0 psycopg prepares a statement the first
            # time a cursor that binds on the server runs it; Django's own cursors bind on the
            # client and never prepare, so this changes nothing but these statements.
            raw.prepare_threshold = 0
        with connection.wrap_database_errors:
            return connection._prepare_cursor(ServerBindingCursor(raw))  # type: ignore[call-arg]  # the stubs omit psycopg's arguments


# Rows as model instances, dicts (values()), tuples or single values (values_list()).
_ITERABLES = (ModelIterable, ValuesIterable, ValuesListIterable, FlatValuesListIterable)

_ALL: weakref.WeakSet[PreparedQuery] = weakref.WeakSet()


class PreparedQuery(Generic[R]):
    """``build(slots, *shape)`` returns the queryset; ``all(shape=..., **values)`` runs it."""

    def __init__(
        self,
        name: str,
        build: Callable[..., QuerySet[Any, R]],
        *,
        slots: dict[str, type],
        optional: frozenset[str] = frozenset(),
    ):
        self.name = name
        self._build = build
        self._slots = dict(slots)
        self._optional = optional
        self._compiled: dict[Hashable, _Compiled] = {}
        self._model: type[Model] | None = None
        _ALL.add(self)

    def _key(self, alias: str, shape: tuple) -> tuple:
        return (
            alias,
            connections[alias].vendor,
            timezone.get_current_timezone_name(),
            translation.get_language(),
            shape,
        )

    def _compile(self, alias: str, shape: tuple) -> _Compiled:
        stand_ins = Slots(self._slots)
        queryset = self._build(stand_ins, *shape)
        if queryset._iterable_class not in _ITERABLES:
            raise PreparedQueryError(
                f"{self.name}: a prepared query returns model instances, values() or "
                "values_list() rows (not named rows)."
            )
        if getattr(queryset, "_prefetch_related_lookups", ()):
            raise PreparedQueryError(f"{self.name}: prefetch_related is not kept; read it apart.")
        self._model = queryset.model
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            raise PreparedQueryError(
                f"{self.name}: this shape can match nothing (an empty IN, or a slot out of a "
                "column's range); return an empty list before running it."
            ) from None
        adapt = _adapters(connections[alias])
        by_value: dict[Any, str] = {}
        for slot, value in stand_ins._values.items():
            by_value[adapt[self._slots[slot]](value)] = slot
        places: list[str | None] = []
        for value in params:
            place: str | None
            try:
                place = by_value.get(value)
            except TypeError:  # an unhashable parameter (a list) is never a slot
                place = None
            if place is None and isinstance(value, datetime.date | datetime.time):
                raise PreparedQueryError(
                    f"{self.name}: a date or time ({value!r}) would be fixed at the first "
                    "build; pass it as a slot (today's date, the moment now)."
                )
            places.append(place)
        for slot, value in stand_ins._values.items():
            if str(value) in sql:
                raise PreparedQueryError(
                    f"{self.name}: slot {slot!r} is written into the SQL itself (a LIMIT or "
                    "OFFSET?), so it cannot change between runs."
                )
            if slot not in places and slot not in self._optional:
                raise PreparedQueryError(
                    f"{self.name}: slot {slot!r} does not reach the query's parameters as "
                    "given (unused, out of a column's range, or changed by a lookup)."
                )
        return _Compiled(
            compiler,
            sql,
            tuple(params),
            tuple(places),
            iterable=queryset._iterable_class,
            fields=getattr(queryset, "_fields", None),
        )

    def all(self, *, shape: tuple = (), **values: Any) -> list[R]:
        """The rows for ``values`` (one query; the SQL is built on the first run per shape)."""
        if values.keys() != self._slots.keys():
            raise TypeError(f"{self.name} takes exactly {sorted(self._slots)}.")
        for slot, value in values.items():
            if type(value) is not self._slots[slot]:
                raise TypeError(f"{self.name}: {slot} must be {self._slots[slot].__name__}.")
            if isinstance(value, datetime.datetime) and value.tzinfo is None:
                raise TypeError(f"{self.name}: {slot} must be an aware datetime.")
            if type(value) is int and value not in _INT64:
                return []
        alias = router.db_for_read(self._model) if self._model else "default"
        key = self._key(alias, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(alias, shape)
            if len(self._compiled) >= MAX_SHAPES:
                self._compiled.clear()  # a shape made of ids (a person's organisations)
            self._compiled[key] = compiled
        adapt = _adapters(connections[alias])
        given = {slot: adapt[self._slots[slot]](value) for slot, value in values.items()}
        params = tuple(
            compiled.params[i] if slot is None else given[slot]
            for i, slot in enumerate(compiled.places)
        )
        assert self._model is not None
        queryset: QuerySet[Any, R] = QuerySet(
            model=self._model,
            query=_KeptQuery(compiled, alias, params),  # type: ignore[arg-type]
            using=alias,
        )
        # How rows become results (instances, dicts, tuples or single values), as built.
        queryset._iterable_class = compiled.iterable
        queryset._fields = compiled.fields  # type: ignore[attr-defined]
        return list(queryset)

    def first(self, *, shape: tuple = (), **values: Any) -> R | None:
        """The first row, or ``None`` (the build sets the order and ``[:1]``)."""
        rows = self.all(shape=shape, **values)
        return rows[0] if rows else None

    def forget(self) -> None:
        """Drop the kept SQL (tests that change the database's settings)."""
        self._compiled.clear()


def forget_all(**_kwargs: Any) -> None:
    """Every prepared query builds its SQL afresh (a setting changed under a test)."""
    for query in list(_ALL):
        query.forget()


setting_changed.connect(forget_all, dispatch_uid="hope_prepared_forget_all")
