"""Gap-free sequence numbers (case numbers, supervision order numbers) from counter rows.

A counter row (a model with its key fields and `last`) is bumped in the caller's transaction:
concurrent callers queue on its row lock (PostgreSQL) or on the write lock (SQLite), and a
rollback gives the number back, so the numbers have no gaps. Take the number as late in the
transaction as possible: the row stays locked until commit.
"""

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, connection, models, transaction


def take_next(model: type[models.Model], **key: Any) -> int:
    """`last` + 1 of the counter row `key` (created at 1 when it does not exist yet)."""
    meta = model._meta
    columns = [meta.get_field(name).column for name in key]  # type: ignore[union-attr]
    where = " AND ".join(f"{column} = %s" for column in columns)
    sql = f"UPDATE {meta.db_table} SET last = last + 1 WHERE {where} RETURNING last"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, list(key.values()))
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    try:
        with transaction.atomic():
            model._default_manager.create(last=1, **key)
    except IntegrityError:
        return take_next(model, **key)  # another caller created the row first
    return 1


def take_block(model: type[models.Model], count: int, **key: Any) -> int:
    """The first of `count` consecutive numbers of the counter row `key`, all taken at once
    (bulk imports); gap-free like `take_next`, whose rules it follows."""
    if count < 1:
        raise ValueError("count must be at least 1")
    meta = model._meta
    columns = [meta.get_field(name).column for name in key]  # type: ignore[union-attr]
    where = " AND ".join(f"{column} = %s" for column in columns)
    sql = f"UPDATE {meta.db_table} SET last = last + %s WHERE {where} RETURNING last"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, *key.values()])
        row = cursor.fetchone()
    if row is not None:
        return int(row[0]) - count + 1
    try:
        with transaction.atomic():
            model._default_manager.create(last=count, **key)
    except IntegrityError:
        return take_block(model, count, **key)  # another caller created the row first
    return 1


def take_blocks(model: type[models.Model], field: str, counts: Mapping[Any, int]) -> dict[Any, int]:
    """`take_block` of many counter rows keyed by one field, e.g. {day: count} -> {day: first
    number}: what a loop of `take_block` over the sorted keys gives, gap-free alike. On
    PostgreSQL it costs at most three statements whatever the number of keys (a bulk import's
    batch spans a year of days). The existing rows are locked in key order, as the loop would;
    rows created here come after them, so two loads that create the same new keys at the same
    time may deadlock: PostgreSQL then rolls one back whole (its numbers unused, no gap). The
    counter model is its key field and `last`, the key unique."""
    if any(count < 1 for count in counts.values()):
        raise ValueError("count must be at least 1")
    keys = sorted(counts)
    if connection.vendor != "postgresql" or len(keys) < 2:
        return {key: take_block(model, counts[key], **{field: key}) for key in keys}
    meta = model._meta
    column = meta.get_field(field)
    array = f"{column.db_type(connection)}[]"
    table, name = meta.db_table, column.column  # type: ignore[union-attr]
    values = [column.get_db_prep_value(key, connection) for key in keys]  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE {name} = ANY(%s::{array}) ORDER BY {name} FOR UPDATE",  # noqa: S608
            [values],
        )
        cursor.execute(
            f"UPDATE {table} AS c SET last = c.last + v.n"  # noqa: S608
            f" FROM unnest(%s::{array}, %s::integer[]) AS v(k, n)"
            f" WHERE c.{name} = v.k RETURNING c.{name}, c.last",
            [values, [counts[key] for key in keys]],
        )
        last = dict(cursor.fetchall())
        missing = [(k, v) for k, v in zip(keys, values, strict=True) if v not in last]
        if missing:
            # New rows start at their count; a row another caller created meanwhile is left
            # to take_block below.
            cursor.execute(
                f"INSERT INTO {table} ({name}, last)"  # noqa: S608
                f" SELECT * FROM unnest(%s::{array}, %s::integer[])"
                f" ON CONFLICT ({name}) DO NOTHING RETURNING {name}, last",
                [[v for _, v in missing], [counts[k] for k, _ in missing]],
            )
            last |= dict(cursor.fetchall())
    firsts = {}
    for key, value in zip(keys, values, strict=True):
        if value in last:
            firsts[key] = int(last[value]) - counts[key] + 1
        else:
            firsts[key] = take_block(model, counts[key], **{field: key})
    return firsts
