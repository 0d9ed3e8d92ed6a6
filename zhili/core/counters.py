"""Gap-free sequence numbers (case numbers, supervision order numbers) from counter rows.

A counter row (a model with its key fields and `last`) is bumped in the caller's transaction:
concurrent callers queue on its row lock (PostgreSQL) or on the write lock (SQLite), and a
rollback gives the number back, so the numbers have no gaps. Take the number as late in the
transaction as possible: the row stays locked until commit.
"""

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
