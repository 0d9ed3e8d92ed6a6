import importlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from zhili.cases.models import Case, State
from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.mediation.models import Dispute
from zhili.mediation.services import dispute_register
from zhili.mediation.tests.conftest import med  # noqa: F401
from zhili.mediation.tests.conftest import registration as dispute_registration
from zhili.petitions import services as petition_services
from zhili.petitions.models import Petition
from zhili.petitions.tests.conftest import registration


@pytest.fixture(autouse=True)
def default_rules(db: Any) -> None:
    """The rules migration 0002 installs, installed again by its own function: a
    transactional test (a browser's) empties every table after it, migrated rows included."""
    for migration in ("0002_default_rules", "0003_surge_rule", "0006_visit_overdue_rule"):
        importlib.import_module(f"zhili.warnings.migrations.{migration}").create(apps, None)


@pytest.fixture
def case_at(register: Callable[..., Case]) -> Callable[..., Case]:  # noqa: F811
    """case_at(hours_ago, **intake fields, closed_hours_ago=None): a case registered through
    the intake, then dated `hours_ago` before now (and closed, when asked)."""

    def make(hours_ago: float, *, closed_hours_ago: float | None = None, **fields: Any) -> Case:
        case = register(**fields)
        now = timezone.now()
        changes: dict[str, Any] = {"registered_at": now - timedelta(hours=hours_ago)}
        if closed_hours_ago is not None:
            changes |= {"state": State.CLOSED, "closed_at": now - timedelta(hours=closed_hours_ago)}
        Case.objects.filter(pk=case.pk).update(**changes)
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def petition_at(staff: Any) -> Callable[..., Petition]:  # noqa: F811
    """petition_at(hours_ago, **registration fields): a petition registered by the petition
    officer, then dated `hours_ago` before now."""

    def make(hours_ago: float, **overrides: Any) -> Petition:
        petition = petition_services.petition_register(
            actor=staff.petition, data=registration(**overrides)
        )
        at = timezone.now() - timedelta(hours=hours_ago)
        Petition.objects.filter(pk=petition.pk).update(received_at=at)
        return petition

    return make


@pytest.fixture
def dispute_at(med: Any) -> Callable[..., Dispute]:  # noqa: F811
    """dispute_at(hours_ago, **registration fields): a dispute registered by 甲镇's mediator,
    then dated `hours_ago` before now."""

    def make(hours_ago: float, **overrides: Any) -> Dispute:
        dispute = dispute_register(
            actor=med.mediator1, registration=dispute_registration(**overrides)
        )
        at = timezone.now() - timedelta(hours=hours_ago)
        Dispute.objects.filter(pk=dispute.pk).update(registered_at=at)
        return dispute

    return make


def at(hours_ago: float) -> datetime:
    return timezone.now() - timedelta(hours=hours_ago)
