"""The dossier lists stay fast: the dispute ledger (纠纷台账) and the petition list (信访事项)
at 10k and 100k rows, as whole pages (the selector, the counts, the template), for a
county-wide user and a township officer (scoped).

Setup loads the Donghai demo's organizations, the mediation demo and the petition demo; the
bulk is their rows cloned with new numbers and dates spread over two years, so every column
holds the demo's mix of states, kinds, committees and units.
"""

import io
import random
import time
from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhili.mediation.models import Dispute
from zhili.orgs.models import User
from zhili.petitions.models import Petition

SIZES = [10_000, 100_000]
BATCH = 5000
# The page, its URL name, and the date column the clones spread over.
LISTS: dict[str, tuple[type[models.Model], str, str]] = {
    "disputes": (Dispute, "mediation:list", "registered_at"),
    "petitions": (Petition, "petitions:list", "received_at"),
}


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command(
        "demo", "--only", "zhili.orgs", "zhili.mediation", "zhili.petitions", stdout=io.StringIO()
    )


def _date_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]


def top_up(model: type[models.Model], date_field: str, target: int, seed: int) -> None:
    """Clone the demo's rows until `model` has `target` rows: a new number, and every date
    shifted together by a random offset within two years, so the row's own timeline holds."""
    rng = random.Random(seed)
    templates = list(model.objects.filter(is_demo=True).values())  # type: ignore[attr-defined]
    dates = _date_fields(model)
    have = model.objects.count()  # type: ignore[attr-defined]
    now = timezone.now()
    while have < target:
        rows = []
        for i in range(have, min(target, have + BATCH)):
            row = dict(rng.choice(templates), id=None, number=f"BENCH-{i:07d}")
            shift = timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
            for name in dates:
                if row[name] is not None:
                    row[name] = min(row[name] - shift, now)
            rows.append(model(**row))
        with transaction.atomic():
            model.objects.bulk_create(rows)  # type: ignore[attr-defined]
        have += len(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def timed_ms(fn: Any, repeat: int = 10) -> float:
    fn()
    started = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - started) / repeat * 1000


def page_ms(user: User, url: str) -> float:
    client = Client()
    client.force_login(user)

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return timed_ms(get)


def run() -> dict[str, tuple[float, str]]:
    setup()
    users = {
        "county": User.objects.get(username="dispatcher"),
        "township": User.objects.get(username="township"),
    }
    results: dict[str, tuple[float, str]] = {}
    for size in SIZES:
        label = f"{size // 1000}k"
        for name, (model, url_name, date_field) in LISTS.items():
            top_up(model, date_field, size, seed=size)
            url = reverse(url_name)
            for who, user in users.items():
                results[f"{name}.list.{who}.first_page.{label}"] = (page_ms(user, url), "ms")
                deep = f"{url}?page=50"
                results[f"{name}.list.{who}.page_50.{label}"] = (page_ms(user, deep), "ms")
    return results
