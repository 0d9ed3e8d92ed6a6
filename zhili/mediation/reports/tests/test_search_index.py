"""The full-text index of closed disputes (migration 0004): present on the database the suite
runs on, kept in step with every write of `search_tokens`, safe with any query text."""

import pytest
from django.db import connection

from zhili.mediation.models import Dispute, DisputeState
from zhili.mediation.reports.selectors import SearchFilters, dispute_search, fts_match
from zhili.mediation.reports.tests.conftest import make_dispute
from zhili.mediation.services import dispute_act

pytestmark = pytest.mark.django_db


def numbers(user, **filters):
    return {d.number for d in dispute_search(user=user, filters=SearchFilters(**filters))}


def test_the_index_exists_on_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE tbl_name = 'mediation_dispute' "
                "AND type = 'trigger'"
            )
            # A migration that makes Django rebuild mediation_dispute on SQLite drops these:
            # it must call create_triggers (see migrations/0004_dispute_search.py).
            assert {r[0] for r in cursor.fetchall()} == {
                "mediation_dispute_fts_ai",
                "mediation_dispute_fts_ad",
                "mediation_dispute_fts_au",
            }
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'mediation_dispute_fts'")
            assert cursor.fetchone() is not None
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'mediation_dispute_search'"
            )
            assert "gin (search)" in cursor.fetchone()[0].lower()


def test_the_search_uses_the_index(world):
    sql = str(dispute_search(user=world.chair, filters=SearchFilters(text="宅基地")).query)
    index = {"sqlite": "MATCH", "postgresql": "@@"}[connection.vendor]
    where = sql.split(" WHERE ", 1)[1]
    assert index in where and "search_tokens" not in where  # not a scan of the column


def test_the_archive_service_makes_a_dispute_findable(world):
    dispute = make_dispute(
        world.c1,
        title="排水沟堵塞纠纷",
        outcome="no_agreement",
        archived=False,
        summary="王某修建猪圈堵塞排水沟，雨天积水淹没李某菜地。",
    )
    assert numbers(world.chair, text="排水沟") == set()  # not archived yet, no tokens
    dispute = dispute_act(actor=world.chair, dispute=dispute, action="archive")
    assert dispute.state == DisputeState.ARCHIVED
    assert numbers(world.chair, text="排水沟 菜地") == {dispute.number}
    assert numbers(world.chair2, text="排水沟") == set()  # another township's chair


def test_updates_and_deletes_reach_the_index(world):
    dispute = make_dispute(world.c1, title="鱼塘承包款纠纷", outcome="no_agreement")
    assert numbers(world.chair, text="鱼塘") == {dispute.number}
    # A bulk update (the demo's bulk_update, the service's conditional update) replaces them.
    Dispute.objects.filter(pk=dispute.pk).update(search_tokens="山林 界桩")
    assert numbers(world.chair, text="鱼塘") == set()
    assert numbers(world.chair, text="界桩 山林") == {dispute.number}
    # A bulk insert is indexed too (the bench and importers write that way).
    copy = Dispute.objects.get(pk=dispute.pk)
    copy.pk, copy.number = None, "TJ2026-B00001"
    Dispute.objects.bulk_create([copy])
    assert numbers(world.chair, text="界桩") == {dispute.number, "TJ2026-B00001"}
    Dispute.objects.filter(number="TJ2026-B00001").delete()
    assert numbers(world.chair, text="界桩") == {dispute.number}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # The FTS index itself agrees with its content table.
            cursor.execute(
                "INSERT INTO mediation_dispute_fts(mediation_dispute_fts, rank) "
                "VALUES ('integrity-check', 1)"
            )


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '宅基地"',
        "AND",
        "宅基地 OR 鱼塘",
        "NEAR(宅基地 鱼塘)",
        "宅基*",
        "^宅基地",
        "(",
        "a:b",
        "'",
        "-",
    ],
)
def test_query_syntax_is_plain_text(world, text):
    dispute = make_dispute(world.c1, title="宅基地纠纷", outcome="no_agreement")
    found = numbers(world.chair, text=text)
    assert found <= {dispute.number}
    # Operators are words to look for, never FTS syntax: "OR" is required, not a union.
    if text == "宅基地 OR 鱼塘":
        assert found == set()


def test_fts_match_quotes_every_term():
    assert fts_match(["宅基", 'a"b']) == '"宅基" "a""b"'
