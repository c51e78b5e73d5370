"""The bulk writer of ``seed_scale``: rows as tuples, written with COPY on PostgreSQL and with
``executemany`` elsewhere (SQLite in tests). Ids are given by the seeder, so rows can refer to
each other without reading anything back; sequences are moved past them at the end.

On PostgreSQL the foreign keys of the tables being loaded are dropped first and added back at
the end (``finish``): adding a foreign key checks every row in one pass, where a deferred check
per row would queue millions of trigger events.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models

CHUNK = 5000


def _defaults_for_unnamed(model: type[models.Model], columns: list[str]) -> dict[str, object]:
    """Each column of ``model`` not in ``columns`` that may not be null, with its field's
    default prepared for the database (one value for every row)."""
    named = set(columns)
    out: dict[str, object] = {}
    for field in model._meta.local_concrete_fields:
        if field.column in named or field.null or field.primary_key:
            continue
        value = field.get_default()  # "" for a text field with no default of its own
        if value is not None:
            out[field.column] = field.get_db_prep_save(value, connection)
    return out


def max_id(model: type[models.Model]) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


class Writer:
    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.written: Counter[str] = Counter()
        self._models: dict[str, type[models.Model]] = {}
        self._dropped: list[tuple[str, str, str]] = []  # (table, constraint, definition)

    # --- foreign keys (PostgreSQL) -----------------------------------------------------
    def drop_foreign_keys(self, model_list: Iterable[type[models.Model]]) -> None:
        if not self.postgres:
            return
        tables = [m._meta.db_table for m in model_list]
        with connection.cursor() as cursor:
            # Checks still waiting (pages saved by the curriculum's seeding) run now: a table
            # with pending trigger events cannot be altered. Later checks run per statement.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype = 'f' "
                "AND c.conrelid = ANY(%s::regclass[])",
                [tables],
            )
            rows = cursor.fetchall()
            for table, name, _definition in rows:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        self._dropped.extend(rows)

    def restore_foreign_keys(self) -> None:
        if not self._dropped:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, name, definition in self._dropped:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        self._dropped = []

    # --- rows ----------------------------------------------------------------------------
    def write(self, model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
        """Write ``rows`` (tuples in ``columns`` order) into ``model``'s table. A column the
        seeder does not name that may not be null is written with its field's default, so a
        field added to a model later never breaks the bulk load (the database has no default
        of its own: Django keeps defaults in Python)."""
        filled = _defaults_for_unnamed(model, columns)
        if filled:
            columns = [*columns, *filled]
            extra = tuple(filled.values())
            rows = (tuple(row) + extra for row in rows)
        table = model._meta.db_table
        self._models[table] = model
        quote = connection.ops.quote_name
        cols = ", ".join(quote(c) for c in columns)
        n = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {quote(table)} ({cols}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row)
                        n += 1
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})"  # noqa: S608
                batch: list[tuple] = []
                for row in rows:
                    batch.append(tuple(_sqlite_value(v) for v in row))
                    if len(batch) >= CHUNK:
                        cursor.executemany(sql, batch)
                        n += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    n += len(batch)
        self.written[table] += n
        return n

    def write_instances(self, model: type[models.Model], objs: Iterable[models.Model]) -> int:
        """Write model instances (one table: the model's own local fields), prepared by the
        fields themselves. For the few thousand rows of pages and other small tables."""
        fields = list(model._meta.local_concrete_fields)
        columns = [f.column for f in fields]
        rows = (
            tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields)
            for obj in objs
        )
        return self.write(model, columns, rows)

    def finish(self) -> None:
        """Foreign keys back (checking every row) and sequences past the ids written."""
        self.restore_foreign_keys()
        sql = connection.ops.sequence_reset_sql(no_style(), list(self._models.values()))
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)

    def analyse(self) -> None:
        """Statistics for the planner (VACUUM ANALYZE on PostgreSQL: call outside a
        transaction)."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self._models:
                if self.postgres and connection.get_autocommit():
                    cursor.execute(f"VACUUM ANALYZE {quote(table)}")
                else:
                    cursor.execute(f"ANALYZE {quote(table)}")


def _sqlite_value(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return value.hex
    return value
