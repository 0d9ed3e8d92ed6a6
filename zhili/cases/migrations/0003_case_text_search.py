"""Full-text search over CaseText.tokens, per database, and the index of existing cases.

SQLite: an FTS5 table over cases_casetext (external content, rowid = case id), kept in step
by triggers, so that every write of the index (one intake, a bulk load) reaches it.
PostgreSQL: a generated tsvector column ('simple' configuration: the tokens are already
jieba words) with a GIN index.
"""

from typing import Any

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE cases_casetext_fts USING fts5("
    "tokens, content='cases_casetext', content_rowid='case_id', tokenize='unicode61')",
    "CREATE TRIGGER cases_casetext_fts_ai AFTER INSERT ON cases_casetext BEGIN "
    "INSERT INTO cases_casetext_fts(rowid, tokens) VALUES (new.case_id, new.tokens); END",
    "CREATE TRIGGER cases_casetext_fts_ad AFTER DELETE ON cases_casetext BEGIN "
    "INSERT INTO cases_casetext_fts(cases_casetext_fts, rowid, tokens) "
    "VALUES ('delete', old.case_id, old.tokens); END",
    "CREATE TRIGGER cases_casetext_fts_au AFTER UPDATE OF tokens ON cases_casetext BEGIN "
    "INSERT INTO cases_casetext_fts(cases_casetext_fts, rowid, tokens) "
    "VALUES ('delete', old.case_id, old.tokens); "
    "INSERT INTO cases_casetext_fts(rowid, tokens) VALUES (new.case_id, new.tokens); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS cases_casetext_fts_au",
    "DROP TRIGGER IF EXISTS cases_casetext_fts_ad",
    "DROP TRIGGER IF EXISTS cases_casetext_fts_ai",
    "DROP TABLE IF EXISTS cases_casetext_fts",
]
POSTGRESQL = [
    "ALTER TABLE cases_casetext ADD COLUMN search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED",
    "CREATE INDEX casetext_search ON cases_casetext USING GIN (search)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS casetext_search",
    "ALTER TABLE cases_casetext DROP COLUMN IF EXISTS search",
]


def _run(schema_editor: Any, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def create_search(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def drop_search(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


def index_existing(apps: Any, schema_editor: Any) -> None:
    """Index the cases registered before this migration (jieba: about 10,000 cases/s)."""
    from zhili.cases.text import analyse, cell_of, group_of

    Case = apps.get_model("cases", "Case")
    CaseText = apps.get_model("cases", "CaseText")
    last = 0
    while True:
        chunk = list(
            Case.objects.filter(pk__gt=last)
            .order_by("pk")
            .values(
                "pk",
                "title",
                "description",
                "category__path",
                "registered_at",
                "grid_id",
                "township_id",
                "lat",
                "lng",
            )[:2000]
        )
        if not chunk:
            return
        rows = []
        for c in chunk:
            tokens, sig = analyse(f"{c['title']}\n{c['description']}")
            rows.append(
                CaseText(
                    case_id=c["pk"],
                    tokens=tokens,
                    signature=sig,
                    group=group_of(c["category__path"]),
                    registered_at=c["registered_at"],
                    grid_id=c["grid_id"],
                    township_id=c["township_id"],
                    cell=cell_of(c["lat"], c["lng"]),
                    lat=c["lat"],
                    lng=c["lng"],
                )
            )
        CaseText.objects.bulk_create(rows)
        last = chunk[-1]["pk"]


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_text")]

    operations = [
        migrations.RunPython(create_search, drop_search, elidable=False),
        migrations.RunPython(index_existing, migrations.RunPython.noop, elidable=False),
    ]
