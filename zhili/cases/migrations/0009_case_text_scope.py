"""Who may see each case, on its text-index row (`CaseText.scope`), so that a full-text search
narrows to the user's part of the index on the index table alone.

The column comes with a database default ('') by a plain ADD COLUMN, on both databases: no
table rewrite, and on SQLite no table rebuild (a rebuild would drop the FTS triggers of
0003). It is filled from the cases' paths and assisting units in chunks of consecutive ids,
one statement per chunk; then, on PostgreSQL, indexed (GIN over the keys as an array, which
the planner combines with the GIN index of the words). Building the index after the fill is
cheaper than keeping it up during the fill.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import migrations, models

CHUNK = 10_000

ADD_COLUMN = "ALTER TABLE cases_casetext ADD COLUMN scope text NOT NULL DEFAULT ''"
DROP_COLUMN = "ALTER TABLE cases_casetext DROP COLUMN scope"
POSTGRESQL_INDEX = (
    "CREATE INDEX casetext_scope ON cases_casetext USING GIN (string_to_array(scope, ' '))"
)
POSTGRESQL_DROP_INDEX = "DROP INDEX IF EXISTS casetext_scope"


def _write(schema_editor: Any, rows: list[tuple[int, str]]) -> None:
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE cases_casetext t SET scope = v.scope "
                "FROM unnest(%s::bigint[], %s::text[]) AS v(case_id, scope) "
                "WHERE t.case_id = v.case_id",
                [[r[0] for r in rows], [r[1] for r in rows]],
            )
        else:
            cursor.executemany(
                "UPDATE cases_casetext SET scope = %s WHERE case_id = %s",
                [(keys, case_id) for case_id, keys in rows],
            )


@contextmanager
def _indexes_set_aside(schema_editor: Any) -> Iterator[None]:
    """PostgreSQL writes a new version of every row it updates, enters it into each index of
    the table (the GIN index of the words takes some fifty entries per row) and computes the
    generated tsvector again. The secondary indexes are dropped for the fill and built again
    after it, from their own definitions: a few times faster at a million rows."""
    if schema_editor.connection.vendor != "postgresql":
        yield
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'cases_casetext' AND indexname <> 'cases_casetext_pkey'"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def fill_scope(apps: Any, schema_editor: Any) -> None:
    with _indexes_set_aside(schema_editor):
        _fill(apps, schema_editor)


def _fill(apps: Any, schema_editor: Any) -> None:
    from zhili.cases.text import scope_keys

    Case = apps.get_model("cases", "Case")
    CaseAssist = apps.get_model("cases", "CaseAssist")
    known: dict[tuple[str, ...], str] = {}  # most cases share their paths with many others
    last = 0
    while True:
        chunk = list(
            Case.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "area_path", "dispatch_path", "unit_path")[:CHUNK]
        )
        if not chunk:
            return
        assisting: dict[int, list[str]] = {}
        links = CaseAssist.objects.filter(case_id__gt=last, case_id__lte=chunk[-1][0])
        for case_id, path in links.values_list("case_id", "organization__path"):
            assisting.setdefault(case_id, []).append(path)
        rows = []
        for pk, *paths in chunk:
            key = (*paths, *sorted(assisting.get(pk, [])))
            if key not in known:
                known[key] = scope_keys(key)
            rows.append((pk, known[key]))
        _write(schema_editor, rows)
        last = chunk[-1][0]


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_INDEX)


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_closed_loop")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="casetext",
                    name="scope",
                    field=models.TextField(blank=True, default=""),
                )
            ],
            database_operations=[migrations.RunSQL(ADD_COLUMN, DROP_COLUMN)],
        ),
        migrations.RunPython(fill_scope, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
