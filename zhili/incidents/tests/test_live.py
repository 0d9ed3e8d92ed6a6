"""A dispatch reaches the force's handheld over its socket at once; its 到场 reaches the
commanding organization's desks and changes the force's status (in-memory channel layer)."""

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from zhili.cases.tests.test_live import communicator, memory_layer  # noqa: F401  (fixture)
from zhili.forces.models import Force
from zhili.incidents import services
from zhili.incidents.models import Dispatch
from zhili.incidents.tests.conftest import HERE, place

live_db = pytest.mark.django_db(transaction=True)


@live_db
def test_dispatch_reaches_the_handheld_and_its_arrival_the_desks(
    plans: Any,
    forces: Any,
    township_commander: Any,
    other_township: Any,
    memory_layer: Any,  # noqa: F811
) -> None:
    place(forces.a, HERE[0] + 0.002, HERE[1])
    incident = services.incident_open(
        actor=township_commander,
        category="QTJJ",
        title="村部门前聚集",
        lat=HERE[0],
        lng=HERE[1],
        level="large",
    )
    handheld, desk, other = (
        communicator(forces.hand),
        communicator(township_commander),
        communicator(other_township),
    )

    async def scenario() -> None:
        for comm in (handheld, desk, other):
            assert (await comm.connect())[0]
        await database_sync_to_async(services.incident_act)(
            township_commander, incident, "dispatch", {"force": "F-A"}
        )
        got = await handheld.receive_json_from(timeout=1)
        assert got["type"] == "incident.dispatch"
        assert (got["number"], got["title"]) == (incident.number, "村部门前聚集")
        assert 200 < got["distance_m"] < 240
        dispatch_id = got["dispatch"]
        seen = await desk.receive_json_from(timeout=1)
        assert (seen["type"], seen["action"], seen["force"]) == (
            "incident.update",
            "dispatch",
            "F-A",
        )
        await database_sync_to_async(services.dispatch_answer)(
            actor=forces.hand, dispatch_id=dispatch_id, answer="arrive", lat=HERE[0], lng=HERE[1]
        )
        arrived = await desk.receive_json_from(timeout=1)
        assert (arrived["action"], arrived["label"], arrived["force"]) == (
            "arrive",
            "力量到场",
            "F-A",
        )
        assert await other.receive_nothing(timeout=0.2)  # another township hears nothing
        for comm in (handheld, desk, other):
            await comm.disconnect()

    async_to_sync(scenario)()
    dispatch = Dispatch.objects.get()
    assert dispatch.arrive_at is not None and dispatch.arrive_lat == pytest.approx(HERE[0])
    # 网格员's statuses have no 到场: the force's status stays what its team type knows
    assert Force.objects.get(code="F-A").status == "idle"


@live_db
def test_arrival_changes_a_patrols_status(plans: Any, forces: Any, personas: Any) -> None:
    place(forces.police, *HERE)
    forces.police.user = personas.police
    forces.police.save()
    incident = services.incident_open(
        actor=personas.dispatcher,
        category="QTJJ",
        title="路口聚集",
        lat=HERE[0],
        lng=HERE[1],
        level="ordinary",
    )
    services.incident_act(personas.dispatcher, incident, "dispatch", {"force": "F-P"})
    sent = Dispatch.objects.get()
    services.dispatch_answer(
        actor=personas.police, dispatch_id=sent.pk, answer="arrive", lat=None, lng=None
    )
    assert Force.objects.get(code="F-P").status == "on_scene"
