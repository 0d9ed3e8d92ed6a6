import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.conftest import Tree
from zhili.core.roles import Role
from zhili.inspections import services
from zhili.inspections.models import Finding, Inspection

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def photo(name: str = "整改后现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def people(staff: Any, tree: Any, make_user: Any) -> Tree:  # noqa: F811
    """The county center's director and analyst (inspectors), the county leader (a verifier),
    甲镇's secretary and officer (the rectifying unit) and 甲镇's own center director, who
    may re-check in general but never in his own township."""
    return Tree(
        **staff.__dict__,
        director=make_user("director", tree.county, Role.CENTER_DIRECTOR, full_name="周主任"),
        analyst=make_user("analyst", tree.county, Role.ANALYST, full_name="吴分析"),
        secretary=make_user("secretary", tree.t1, Role.TOWNSHIP_SECRETARY, full_name="陈书记"),
        t1_director=make_user("t1director", tree.t1, Role.CENTER_DIRECTOR),
    )


@pytest.fixture
def inspection(people: Tree, tree: Any) -> Inspection:
    today = timezone.localdate()
    return services.inspection_create(
        actor=people.director,
        data=services.InspectionInput(
            kind="joint",
            title="第四季度综治中心规范化建设联合督查",
            basis="对照《综治中心规范化建设指引》",
            starts_on=today,
            ends_on=today + timedelta(days=5),
            team=[tree.county.code, tree.gaj.code],
            targets=[tree.t1.code, tree.t2.code],
            checklist=[("矛盾纠纷多元化解机制运行", "dispute_rate"), ("网格员巡查走访记录", "")],
        ),
    )


def finding_input(tree: Any, **overrides: Any) -> services.FindingInput:
    values: dict[str, Any] = {
        "unit": tree.t1.code,
        "problem": "调解室台账不全，11月有3件纠纷未建档",
        "requirement": "补齐台账，建立纠纷登记建档制度",
        "due_on": timezone.localdate() + timedelta(days=10),
        "unit_leader": "陈书记",
    }
    return services.FindingInput(**(values | overrides))


@pytest.fixture
def finding(people: Tree, inspection: Inspection, tree: Any) -> Finding:
    return services.finding_issue(
        actor=people.director, inspection=inspection, data=finding_input(tree), center=tree.county
    )


@pytest.fixture(autouse=True)
def default_standards(db: Any) -> None:
    """The standards migration 0003 installs, installed again by its own function: a
    transactional test (a browser's) empties every table after it, migrated rows included."""
    importlib.import_module("zhili.inspections.migrations.0003_default_standards").create(
        apps, None
    )
