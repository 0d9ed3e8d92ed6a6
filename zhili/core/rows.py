"""Many rows into one table, fast: for bulk loads whose rows need no id back.

`bulk_create` builds an INSERT statement of placeholders field by field for every object;
at tens of thousands of rows that work is most of a bulk load's time. `insert_rows` prepares
each value the way Django's own save does (`get_db_prep_save`), then hands the rows to the
driver in one go: PostgreSQL's COPY, or SQLite's executemany of one prepared statement.
Triggers and generated columns work as for any insert (the cases text index relies on both).

Use it for append-only rows whose ids nobody needs at once (timeline rows, index rows);
objects that others point to need their ids back, so they keep `bulk_create`.
"""

from collections.abc import Iterable

from django.db import connection, models


def insert_rows(model: type[models.Model], objects: Iterable[models.Model]) -> int:
    """Insert `objects` (unsaved, without primary keys unless the key is a field one sets,
    such as a one-to-one) into `model`'s table; returns how many were written."""
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    if isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
        fields = [f for f in fields if f is not model._meta.pk]
    rows = [
        tuple(f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields)
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
