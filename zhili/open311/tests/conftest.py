"""Open311 fixtures: the cases catalog and rules, an Open311 API key, and questions on the
noise service (one of each kind the spec knows)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.conftest import Tree
from zhili.integrations.services import apikey_create
from zhili.open311.models import Datatype, ServiceAttribute, ServiceAttributeValue

BASE = "/open311/v2"


@pytest.fixture
def key(db: Any) -> str:
    return apikey_create(actor=None, channel="open311", name="市民随手拍App")[1]


@pytest.fixture
def questions(catalog: Tree) -> Tree:  # noqa: F811
    def ask(code: str, datatype: str, description: str, **fields: Any) -> ServiceAttribute:
        values = fields.pop("values", [])
        attribute = ServiceAttribute.objects.create(
            category=catalog.noise, code=code, datatype=datatype, description=description, **fields
        )
        for order, (value_key, name) in enumerate(values):
            ServiceAttributeValue.objects.create(
                attribute=attribute, key=value_key, name=name, order=order
            )
        return attribute

    return Tree(
        source=ask(
            "SOURCE",
            Datatype.SINGLEVALUELIST,
            "噪音来源",
            required=True,
            order=1,
            values=[("construction", "建筑施工"), ("shop", "商铺经营"), ("home", "邻里生活")],
        ),
        period=ask(
            "PERIOD",
            Datatype.MULTIVALUELIST,
            "发生时段",
            order=2,
            values=[("day", "白天"), ("night", "夜间22时后"), ("dawn", "凌晨")],
        ),
        decibel=ask("DECIBEL", Datatype.NUMBER, "估计音量（分贝）", order=3),
        since=ask("SINCE", Datatype.DATETIME, "开始时间", order=4),
        note=ask("NOTE", Datatype.TEXT, "夜间施工须持有夜间施工许可证", variable=False, order=5),
        retired=ask("OLD", Datatype.STRING, "已停用的问题", required=True, is_active=False),
    )


@pytest.fixture
def post(client: Client, key: str, rules: Tree) -> Callable[..., Any]:  # noqa: F811
    """post(fmt, **params): POST requests.{fmt} with the key and a valid noise request."""

    def send(fmt: str = "json", **params: Any) -> Any:
        data: dict[str, Any] = {
            "api_key": key,
            "service_code": "HJ01",
            "lat": "34.505",
            "long": "118.705",
            "description": "小区旁工地夜间施工，噪音很大。联系电话13912345678",
            "first_name": "先生",
            "last_name": "王",
            "phone": "13912345678",
        }
        data.update(params)
        data = {k: v for k, v in data.items() if v is not None}
        return client.post(f"{BASE}/requests.{fmt}", data)

    return send
