"""A dispute's tracking code and its links to the registers: the parties' ID numbers suggest
the people they are, and the dispute page shows its code (zhili/registers/mentions.py)."""

from typing import Any

from zhili.cases.tests.test_api import get, post
from zhili.conftest import Tree
from zhili.mediation.tests.conftest import id_number
from zhili.registers import services as registers


def test_a_partys_id_number_suggests_the_person_and_the_code_opens_the_dispute(
    client: Any, med: Tree, tree: Tree, make_dispute: Any
) -> None:
    tree.g111.workers.add(med.gridworker)
    values = {"id_number": id_number(), "name": "张建华", "grid": tree.g111.code}
    person = registers.person_create(actor=med.gridworker, values=values)
    dispute = make_dispute()

    url = f"/api/v1/dossiers/{dispute.number}/mentions"
    shown = get(client, med.leader, url).json()
    assert shown["dossier"]["kind"] == "纠纷" or shown["dossier"]["code"] == dispute.number
    assert [p["id"] for p in shown["suggested"]] == [person.pk]
    made = post(client, med.leader, url, {"person": person.pk, "relation": "party"})
    assert made.status_code == 201, made.content
    assert dispute.events.filter(action="mention").exists()
    records = get(client, med.leader, f"/api/v1/people/{person.pk}").json()["records"]
    assert [r["code"] for r in records] == [dispute.number]

    client.force_login(med.leader)
    assert (
        client.get(f"/d/{dispute.number}/")["Location"] == f"/mediation/disputes/{dispute.number}/"
    )
    page = client.get(f"/mediation/disputes/{dispute.number}/").content.decode()
    assert 'data-testid="dossier-code"' in page and 'data-testid="linked-person"' in page
    assert "关联人员或房屋" in page  # the timeline's step, named by the kernel
    # The mediator sees the dispute, not the register: the link is there, not who.
    client.force_login(med.mediator1)
    page = client.get(f"/mediation/disputes/{dispute.number}/").content.decode()
    assert 'data-testid="links-hidden"' in page and 'data-testid="linked-person"' not in page
