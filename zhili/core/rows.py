"""Many rows into one table, fast: for bulk loads whose rows need no id back.

`bulk_create` builds an INSERT statement of placeholders field by field for every object;
at tens of thousands of rows that work is most of a bulk load's time. `insert_rows` prepares
each value the way Django's own save does (`get_db_prep_save`), then hands the rows to the
driver in one go: PostgreSQL's COPY, or SQLite's executemany of one prepared statement.
Triggers and generated columns work as for any insert (the cases text index relies on both).

Use it for append-only rows whose ids nobody needs at once (timeline rows, index rows);
objects that others point to need their ids back, so they keep `bulk_create`.

`insert_row` is the same for one row written on a hot path (the case, its audit row, outbox
event, timeline and index rows at every intake), and `update_row` writes a few columns of one
row, and `find_pk` asks whether a row with some values exists: `Model.objects.create`,
`QuerySet.update` and `.first()` compile their SQL anew on each call, which costs about three
times what running it does.
"""

from collections.abc import Iterable
from functools import cache
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

M = TypeVar("M", bound=models.Model)


def insert_rows(model: type[models.Model], objects: Iterable[models.Model]) -> int:
    """Insert `objects` into `model`'s table; returns how many were written. An automatic
    primary key is written when the objects carry one (`reserve_ids`), else the database
    gives it and the objects do not learn it."""
    objects = list(objects)
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    auto = isinstance(model._meta.pk, models.AutoField | models.BigAutoField)
    if auto and not all(obj.pk is not None for obj in objects):
        fields = [f for f in fields if f is not model._meta.pk]
    # The connection itself, not the `connection` proxy: every attribute read through the
    # proxy looks the connection up again, and a 100,000-row import reads millions of them.
    wrapper = connections[DEFAULT_DB_ALIAS]
    steps = [(f.pre_save, f.get_db_prep_save) for f in fields]
    rows = [
        tuple([prepare(pre_save(obj, True), wrapper) for pre_save, prepare in steps])
        for obj in objects
    ]
    if not rows:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
    return len(rows)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys of `model` (an automatic integer key), for rows written with
    `insert_rows` that others must point to. PostgreSQL takes them from the key's sequence.
    SQLite has no sequence to draw from: the caller's transaction must already have written
    (SQLite then holds the database's write lock until commit, so no one else can take the
    same numbers); the keys continue after the highest ever given (AUTOINCREMENT's rule)."""
    if count < 1:
        return []
    table = model._meta.db_table
    column = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [int(row[0]) for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids on SQLite needs the caller's open transaction")
        key, quoted = connection.ops.quote_name(column), connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX({key}), 0) FROM {quoted}")  # noqa: S608
        highest = int(cursor.fetchone()[0])
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        first = max(highest, int(row[0]) if row else 0) + 1
    return list(range(first, first + count))


@cache
def _insert_sql(model: type[models.Model], vendor: str, with_pk: bool) -> tuple[str, tuple]:
    """The INSERT of one row of `model` (and its fields in order), made once per process."""
    meta = model._meta
    fields = tuple(
        f
        for f in meta.concrete_fields
        if not getattr(f, "generated", False) and (with_pk or f is not meta.pk)
    )
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    if not with_pk:
        sql += f" RETURNING {quote(str(meta.pk.column))}"
    return sql, fields


def insert_row(obj: M) -> M:
    """Insert `obj` as a new row, as `obj.save(force_insert=True)` would (field defaults and
    `auto_now_add` applied, no signals: the project sends none), and give it its new key."""
    model = type(obj)
    auto = isinstance(model._meta.pk, models.AutoField | models.BigAutoField)
    with_pk = not auto or obj.pk is not None
    wrapper = connections[DEFAULT_DB_ALIAS]  # not the proxy: see insert_rows
    sql, fields = _insert_sql(model, wrapper.vendor, with_pk)
    values = [f.get_db_prep_save(f.pre_save(obj, add=True), wrapper) for f in fields]
    with wrapper.cursor() as cursor:
        cursor.execute(sql, values)
        if not with_pk:
            obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = wrapper.alias
    return obj


@cache
def _update_sql(
    model: type[models.Model], vendor: str, names: tuple[str, ...]
) -> tuple[str, tuple]:
    meta = model._meta
    fields = tuple(meta.get_field(name) for name in names)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)  # type: ignore[union-attr]
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(str(meta.pk.column))} = %s"  # noqa: S608
    return sql, fields


def update_row(obj: models.Model, *names: str) -> None:
    """Write the fields `names` of `obj` to its row, as `obj.save(update_fields=names)` would
    without signals or `auto_now` (name such a field to have it written)."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    sql, fields = _update_sql(type(obj), wrapper.vendor, names)
    values = [f.get_db_prep_save(getattr(obj, f.attname), wrapper) for f in fields]  # type: ignore[union-attr]
    with wrapper.cursor() as cursor:
        cursor.execute(sql, [*values, obj.pk])


@cache
def _find_sql(model: type[models.Model], vendor: str, names: tuple[str, ...]) -> tuple[str, tuple]:
    meta = model._meta
    fields = tuple(meta.get_field(name) for name in names)
    quote = connection.ops.quote_name
    where = " AND ".join(f"{quote(str(f.column))} = %s" for f in fields)  # type: ignore[union-attr]
    pk = quote(str(meta.pk.column))
    return f"SELECT {pk} FROM {quote(meta.db_table)} WHERE {where} LIMIT 1", fields  # noqa: S608


def find_pk(model: type[models.Model], **equal: object) -> int | str | None:
    """The key of a row of `model` whose fields equal `equal` (any one of them), or None."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    sql, fields = _find_sql(model, wrapper.vendor, tuple(equal))
    values = [f.get_db_prep_value(v, wrapper) for f, v in zip(fields, equal.values(), strict=True)]  # type: ignore[union-attr]
    with wrapper.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    return row[0] if row else None
