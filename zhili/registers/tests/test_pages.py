"""The register's pages: the list masks and filters, the person page shows roles and the
reveal writes an audit row; a person out of scope is 404."""

from typing import Any

from zhili.core.models import AuditLog
from zhili.registers import services
from zhili.registers.tests.conftest import ID, People


def make_person(user: Any) -> Any:
    person = services.person_create(
        actor=user,
        values={"id_number": ID, "name": "李娜", "grid": "32072290100101", "phone": "13812345678"},
    )
    services.role_add(
        actor=user,
        person_id=person.pk,
        kind="correction",
        care_level="high",
        details={"category": "缓刑"},
    )
    return person


def test_list_and_person_page(client: Any, people: People) -> None:
    person = make_person(people.village)
    client.force_login(people.village)
    page = client.get("/registers/people/").content.decode()
    assert "李娜" in page and ID not in page and "138****5678" in page
    page = client.get(f"/registers/people/{person.pk}/").content.decode()
    assert "社区矫正人员" in page and "查看完整号码" in page and ID not in page
    page = client.post(f"/registers/people/{person.pk}/", {"field": "id_number"}).content.decode()
    assert ID in page
    assert AuditLog.objects.filter(action="personal_data.reveal", actor=people.village).exists()
    assert "按姓名查询须" in client.get("/registers/people/?q=李娜").content.decode()
    client.force_login(people.other_township)
    assert client.get(f"/registers/people/{person.pk}/").status_code == 404
