"""Full-text search over Dispute.search_tokens (closed disputes), per database.

The same design as the cases' index (zhili/cases/migrations/0003_case_text_search.py):
SQLite: an FTS5 table over mediation_dispute (external content, rowid = dispute id), kept in
step by triggers, so that every write of `search_tokens` (the archive service's conditional
update, the demo's bulk update, a bulk insert) reaches it; the existing rows are indexed by a
'rebuild'.
PostgreSQL: a generated tsvector column ('simple' configuration: the tokens are already jieba
words) with a GIN index; PostgreSQL computes it for the existing rows.
Neither is known to Django's model state, so each is created only on its own database.

SQLite caveat: a later migration that makes Django rebuild mediation_dispute on SQLite (most
AddField/AlterField do: new table, copy, drop, rename) drops the triggers with the old table.
Such a migration must end with `RunPython(create_triggers, ...)` from this module (the FTS
table itself survives: it names its content table, which comes back under the same name).
zhili/mediation/reports/tests/test_search_index.py fails when the triggers are missing.
"""

from typing import Any

from django.db import migrations

SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS mediation_dispute_fts_ai AFTER INSERT ON mediation_dispute "
    "BEGIN INSERT INTO mediation_dispute_fts(rowid, search_tokens) "
    "VALUES (new.id, new.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS mediation_dispute_fts_ad AFTER DELETE ON mediation_dispute "
    "BEGIN INSERT INTO mediation_dispute_fts(mediation_dispute_fts, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS mediation_dispute_fts_au "
    "AFTER UPDATE OF search_tokens ON mediation_dispute "
    "BEGIN INSERT INTO mediation_dispute_fts(mediation_dispute_fts, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); "
    "INSERT INTO mediation_dispute_fts(rowid, search_tokens) "
    "VALUES (new.id, new.search_tokens); END",
]
SQLITE = [
    "CREATE VIRTUAL TABLE mediation_dispute_fts USING fts5(search_tokens, "
    "content='mediation_dispute', content_rowid='id', tokenize='unicode61')",
    *SQLITE_TRIGGERS,
    # Index the disputes archived before this migration.
    "INSERT INTO mediation_dispute_fts(mediation_dispute_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS mediation_dispute_fts_au",
    "DROP TRIGGER IF EXISTS mediation_dispute_fts_ad",
    "DROP TRIGGER IF EXISTS mediation_dispute_fts_ai",
    "DROP TABLE IF EXISTS mediation_dispute_fts",
]
POSTGRESQL = [
    "ALTER TABLE mediation_dispute ADD COLUMN search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_tokens)) STORED",
    "CREATE INDEX mediation_dispute_search ON mediation_dispute USING GIN (search)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS mediation_dispute_search",
    "ALTER TABLE mediation_dispute DROP COLUMN IF EXISTS search",
]


def _run(schema_editor: Any, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def create_search(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def drop_search(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


def create_triggers(apps: Any, schema_editor: Any) -> None:
    """Re-create the SQLite triggers and re-index (after Django rebuilt mediation_dispute)."""
    rebuild = ["INSERT INTO mediation_dispute_fts(mediation_dispute_fts) VALUES ('rebuild')"]
    _run(schema_editor, {"sqlite": SQLITE_TRIGGERS + rebuild})


class Migration(migrations.Migration):
    dependencies = [("mediation", "0003_dispute_outcome_at")]

    operations = [migrations.RunPython(create_search, drop_search, elidable=False)]
