"""The key-petitioner register as roles of the people register (重点上访人员, issue 17): a
listing puts the ``key_petitioner`` role on the person of the same ID number (registering
them when the address names one grid), an ending ends it, a listing again opens a new one;
a petitioner the register cannot place keeps the record without a role, and the officer is
told why; the role is seen by the grid that holds the person and by petition staff, by
nobody else, and the key register itself stays theirs."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from zhili.cases.tests.test_api import error, get
from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.core.outbox import deliver_pending
from zhili.core.personal import id_number_check_digit
from zhili.core.roles import Role
from zhili.imports.people import COLUMNS, SHEET_NAME
from zhili.imports.services import import_job_create, import_job_run
from zhili.imports.tests.conftest import workbook_bytes
from zhili.petitions import services
from zhili.petitions.models import KeyLevel, KeyPetitioner, Petitioner
from zhili.petitions.services import PersonIn
from zhili.petitions.services.key_roles import CARE, key_roles_link_registered
from zhili.petitions.tests.conftest import ID_A, ID_B
from zhili.registers import services as registers
from zhili.registers.kinds import KINDS, CareLevel, Kind
from zhili.registers.models import Person, PersonChange, PersonRole
from zhili.registers.visits import visits_due

# 甲二村 (V12) has one grid, G121; 甲一村 (V11) has two (zhili/conftest.py).
ONE_GRID = "东海县甲镇甲二村三组12号"
TWO_GRIDS = "东海县甲镇甲一村五组"
G111, G121 = "32072290100101", "32072290100201"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def grids(staff: Any, tree: Any, make_user: Any) -> Any:
    """A worker for G111 (the persona) and one for G121, and V12's village officer."""
    tree.g111.workers.add(staff.gridworker)
    staff.worker121 = make_user("worker121", tree.v12, Role.GRID_WORKER)
    tree.g121.workers.add(staff.worker121)
    staff.village12 = make_user("village12", tree.v12, Role.VILLAGE_OFFICER)
    staff.township2 = make_user("township2b", tree.t2, Role.TOWNSHIP_OFFICER)
    return staff


def petitioner(register: Any, address: str = ONE_GRID, id_number: str = ID_A) -> Petitioner:
    person = PersonIn(name="王秀英", id_number=id_number, phone="13805181234", address=address)
    return register(petitioners=[person]).parties.get().petitioner


def listing(staff: Any, who: Petitioner, level: str = "high") -> KeyPetitioner:
    return services.key_petitioner_list(
        actor=staff.petition,
        petitioner=who,
        reason="多次到县、市重复信访",
        level=level,
        responsible_unit="320722901",
        measures="包案领导每月约谈",
    )


def test_listing_registers_the_person_in_the_one_grid_and_opens_the_role(
    register: Any, grids: Any
) -> None:
    record = listing(grids, petitioner(register))
    person = Person.objects.get(id_number=ID_A)
    assert person.grid.code == G121 and person.name == "王秀英"
    assert person.current_address == ONE_GRID and person.phone == "13805181234"
    role = PersonRole.objects.get(person=person)
    assert record.role == role and record.role_note == ""
    assert role.kind == Kind.KEY_PETITIONER and role.ended_at is None
    assert role.care_level == CareLevel.HIGH
    assert role.details == {
        "reason": "多次到县、市重复信访",
        "level": "高度关注",
        "responsible_unit": "甲镇综治中心",
        "measures": "包案领导每月约谈",
        "since": timezone.localdate().isoformat(),
    }
    # The registers' own history and audit, under the officer who listed the person.
    changes = PersonChange.objects.filter(person=person).order_by("id")
    assert [(c.action, c.actor) for c in changes] == [
        ("create", grids.petition),
        ("role_add", grids.petition),
    ]
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {
        "petitions.key_petitioner.list",
        "registers.person.create",
        "registers.person.role_add",
    } <= actions


@pytest.mark.parametrize(
    ("level", "care"),
    [("general", CareLevel.LOW), ("close", CareLevel.NORMAL), ("high", CareLevel.HIGH)],
)
def test_the_level_sets_the_care_level_and_so_the_visit_cycle(
    register: Any, grids: Any, settings: Any, level: str, care: str
) -> None:
    record = listing(grids, petitioner(register), level=level)
    assert record.role is not None and record.role.care_level == care
    days = settings.ZHILI_VISIT_DAYS[care]
    now = timezone.now()
    due = visits_due(grids.worker121, due_before=now + timedelta(days=days + 1), now=now)
    assert [(d.role, d.due_at) for d in due] == [
        (record.role, record.role.started_at + timedelta(days=days))
    ]
    assert visits_due(grids.worker121, due_before=now + timedelta(days=days - 1), now=now) == []


def test_an_existing_person_takes_the_role_wherever_they_live(register: Any, grids: Any) -> None:
    """A person the grid registered already: the address does not matter."""
    person = registers.person_create(
        actor=grids.gridworker, values={"id_number": ID_A, "name": "王秀英", "grid": G111}
    )
    record = listing(grids, petitioner(register, address=""))
    assert record.role is not None and record.role.person == person
    assert Person.objects.count() == 1


def test_an_open_role_the_grid_added_is_brought_in_line_not_doubled(
    register: Any, grids: Any
) -> None:
    person = registers.person_create(
        actor=grids.gridworker, values={"id_number": ID_A, "name": "王秀英", "grid": G111}
    )
    # Registered before the petition register kept the kind (the grid may not add it now:
    # registers.services._not_kept).
    own = PersonRole.objects.create(person=person, kind=Kind.KEY_PETITIONER, care_level="low")
    record = listing(grids, petitioner(register))
    own.refresh_from_db()
    assert record.role == own and own.care_level == CareLevel.HIGH
    assert own.details["reason"] == "多次到县、市重复信访"
    assert PersonRole.objects.count() == 1
    assert PersonChange.objects.filter(person=person, action="role_update").count() == 1


def test_delisting_ends_the_role_and_listing_again_opens_a_new_one(
    register: Any, grids: Any
) -> None:
    record = listing(grids, petitioner(register))
    first = record.role
    assert first is not None
    services.key_petitioner_end(actor=grids.petition, record=record, reason="诉求已依法解决")
    first.refresh_from_db()
    assert first.ended_at is not None and first.ended_why == "撤销列管：诉求已依法解决"
    assert AuditLog.objects.filter(action="registers.person.role_end").count() == 1
    assert visits_due(grids.worker121, due_before=timezone.now() + timedelta(days=400)) == []

    again = listing(grids, record.petitioner, level="close")
    assert again.pk == record.pk and again.role is not None and again.role != first
    assert again.role.ended_at is None and again.role.care_level == CareLevel.NORMAL
    first.refresh_from_db()
    assert first.ended_at is not None  # the ended period stays, as history
    assert list(PersonRole.objects.order_by("id")) == [first, again.role]


@pytest.mark.parametrize(
    ("id_number", "words"),
    [
        ("", "未登记身份证号码"),
        # Passes the petitions' checksum, not the registers' province check.
        ("99" + ID_A[2:17] + id_number_check_digit("99" + ID_A[2:17]), "未通过校验"),
    ],
)
def test_a_petitioner_without_a_valid_id_number_stays_listed_without_a_role(
    register: Any, grids: Any, id_number: str, words: str
) -> None:
    record = listing(grids, petitioner(register, id_number=id_number))
    assert record.is_active and record.role is None
    assert words in record.role_note and "未纳入实有人口" in record.role_note
    assert not Person.objects.exists() and not PersonRole.objects.exists()


def test_the_officer_is_told_when_the_grid_cannot_be_decided(register: Any, grids: Any) -> None:
    petition = register(
        petitioners=[PersonIn(name="王秀英", id_number=ID_A, phone="", address=TWO_GRIDS)]
    )
    who = petition.parties.get().petitioner
    response = client_for(grids.petition).post(
        f"/petitions/{petition.number}/key/{who.pk}/",
        {"level": "close", "responsible_unit": "320722901", "reason": "反复信访", "measures": ""},
        follow=True,
    )
    body = response.content.decode()
    assert "已将 王秀英 列为重点上访人员" in body
    assert "住址只能确定到甲一村（有 2 个网格），无法确定所属网格" in body
    assert 'data-testid="key-role-note"' in body and 'data-testid="key-role-link"' in body
    record = KeyPetitioner.objects.get()
    assert record.is_active and record.role is None and not Person.objects.exists()
    # The grid registers the person; 重新关联 then links the record, audited.
    registers.person_create(
        actor=grids.gridworker, values={"id_number": ID_A, "name": "王秀英", "grid": G111}
    )
    response = client_for(grids.petition).post(
        f"/petitions/key-petitioners/{record.pk}/", {"action": "link"}, follow=True
    )
    assert "已纳入实有人口" in response.content.decode()
    record.refresh_from_db()
    assert record.role is not None and record.role.person.grid.code == G111
    assert record.role_note == "" and record.is_active
    link = AuditLog.objects.get(action="petitions.key_petitioner.link")
    assert link.extra == {"role": record.role.pk, "note": ""}


@pytest.mark.parametrize(
    ("address", "township", "words"),
    [
        ("", None, "未登记住址"),
        ("东海县甲镇", None, "住址只能确定到甲镇"),
        ("某某路8号", None, "没有可识别的乡镇"),
        (ONE_GRID, "320722902", "与信访人所属的乙乡不一致"),
    ],
)
def test_no_grid_is_invented(
    register: Any, grids: Any, tree: Any, address: str, township: str | None, words: str
) -> None:
    who = petitioner(register, address=address)
    if township:
        who.township = tree.t2
        who.save()
    record = listing(grids, who)
    assert record.role is None and words in record.role_note
    assert not Person.objects.exists()


def test_an_archived_person_takes_no_role(register: Any, grids: Any) -> None:
    person = registers.person_create(
        actor=grids.gridworker, values={"id_number": ID_A, "name": "王秀英", "grid": G111}
    )
    registers.person_archive(actor=grids.gridworker, person_id=person.pk, why="迁出本县")
    record = listing(grids, petitioner(register))
    assert record.role is None and "已在实有人口中注销（迁出本县）" in record.role_note


def test_the_role_is_seen_by_the_grid_holding_the_person_and_petition_staff_only(
    client: Any, register: Any, grids: Any
) -> None:
    record = listing(grids, petitioner(register))
    assert record.role is not None
    url = f"/api/v1/people/{record.role.person_id}"
    role_url = f"{url}/roles/{record.role.pk}"
    AuditLog.objects.all().delete()
    for user in (grids.worker121, grids.village12, grids.township, grids.petition, grids.leader):
        detail = get(client, user, url)
        assert detail.status_code == 200, user
        assert [r["kind"] for r in detail.json()["roles"]] == ["key_petitioner"], user
        assert get(client, user, role_url).status_code == 200, user
    reads = AuditLog.objects.filter(action="registers.special.read")
    assert set(reads.values_list("actor__username", flat=True)) == {
        "worker121",
        "village12",
        "township",
        "petition",
        "leader",
    }
    # Another grid's worker, another village's officer, another township, a department.
    for user in (grids.gridworker, grids.village, grids.township2, grids.police):
        error(get(client, user, url), 404)
        error(get(client, user, role_url), 404)
    # The county center reads the register but not this special group.
    assert get(client, grids.dispatcher, url).json()["roles"] == []
    error(get(client, grids.dispatcher, role_url), 404)
    # The person's page shows the role to petition staff, with the key register's fields.
    page = client_for(grids.petition).get(f"/registers/people/{record.role.person_id}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="role-key_petitioner"' in body
    assert "列管原因：多次到县、市重复信访" in body and "责任单位：甲镇综治中心" in body
    # Ended, the role no longer opens the person to petition staff; the grid keeps them.
    services.key_petitioner_end(actor=grids.petition, record=record, reason="已化解")
    error(get(client, grids.petition, url), 404)
    assert get(client, grids.worker121, url).status_code == 200


def test_the_key_register_itself_stays_with_petition_staff(register: Any, grids: Any) -> None:
    record = listing(grids, petitioner(register))
    for user in (grids.worker121, grids.village12, grids.township):
        client = client_for(user)
        assert client.get("/petitions/key-petitioners/").status_code == 404
        assert client.get(f"/petitions/key-petitioners/{record.pk}/").status_code == 404
        assert (
            client.post(f"/petitions/key-petitioners/{record.pk}/", {"action": "link"}).status_code
            == 404
        )
    page = client_for(grids.petition).get(f"/petitions/key-petitioners/{record.pk}/")
    body = page.content.decode()
    assert 'data-testid="key-role-person"' in body and 'data-testid="key-role-link"' not in body


def test_the_api_tells_the_person_or_why_not(client: Any, register: Any, grids: Any) -> None:
    placed = listing(grids, petitioner(register))
    unplaced = listing(grids, petitioner(register, address=TWO_GRIDS, id_number=ID_B))
    rows = {
        r["id"]: r for r in get(client, grids.petition, "/api/v1/petitions/key-petitioners").json()
    }
    assert placed.role is not None
    assert rows[placed.pk]["person_id"] == placed.role.person_id
    assert rows[placed.pk]["role_note"] == ""
    assert rows[unplaced.pk]["person_id"] is None
    assert "无法确定所属网格" in rows[unplaced.pk]["role_note"]


def test_only_the_kinds_working_role_keeps_a_kept_role(register: Any, grids: Any) -> None:
    person = registers.person_create(
        actor=grids.gridworker, values={"id_number": ID_A, "name": "王秀英", "grid": G111}
    )
    with pytest.raises(Forbidden):
        registers.kept_role_open(
            actor=grids.gridworker,
            person=person,
            kind=Kind.KEY_PETITIONER,
            care_level="high",
            details={},
        )
    with pytest.raises(InvalidInput):
        registers.kept_role_open(
            actor=grids.petition, person=person, kind=Kind.CORRECTION, care_level="high", details={}
        )


def test_the_kinds_table_matches_the_key_register() -> None:
    spec = KINDS[Kind.KEY_PETITIONER]
    assert spec.special and spec.works_with == "key_petitioners.view"
    assert spec.fields["level"].choices == tuple(KeyLevel.labels)
    assert set(CARE) == set(KeyLevel) and set(CARE.values()) == set(CareLevel)
    for kind in registers.KEPT_ELSEWHERE:
        assert KINDS[kind].works_with is not None


def test_a_grid_registering_the_person_links_the_waiting_record(register: Any, grids: Any) -> None:
    """Once the grid registers the person, the record waiting for them is linked without an
    officer's click (registers.people_registered), in its lister's name, audited as such."""
    record = listing(grids, petitioner(register, address=TWO_GRIDS))
    assert record.role is None and record.role_note
    registers.person_create(
        actor=grids.gridworker, values={"id_number": ID_A, "name": "王秀英", "grid": G111}
    )
    assert deliver_pending(worker_id="test") >= 1
    record.refresh_from_db()
    assert record.role is not None and record.role_note == ""
    assert record.role.person.grid.code == G111 and record.role.kind == Kind.KEY_PETITIONER
    assert record.role.care_level == CARE[KeyLevel.HIGH]
    link = AuditLog.objects.get(action="petitions.key_petitioner.link")
    assert link.actor == grids.petition and link.extra == {
        "role": record.role.pk,
        "automatic": True,
    }
    assert key_roles_link_registered() == 0  # delivered again: nothing more


def test_an_import_of_people_links_the_waiting_record(
    register: Any, grids: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    record = listing(grids, petitioner(register, address=TWO_GRIDS))
    other = listing(grids, petitioner(register, address=TWO_GRIDS, id_number=ID_B))
    rows = [{"公民身份号码": ID_A, "姓名": "王秀英", "所属网格编码": G111}]
    content = workbook_bytes(rows, [c.header for c in COLUMNS], title=SHEET_NAME)
    upload = SimpleUploadedFile("人口.xlsx", content)
    job = import_job_create(actor=grids.gridworker, upload=upload, kind="people")
    assert import_job_run(job.pk).created_count == 1
    deliver_pending(worker_id="test")
    record.refresh_from_db()
    other.refresh_from_db()
    assert record.role is not None and record.role.person.name == "王秀英"
    assert other.role is None and other.role_note  # their person is still not registered


def test_a_record_without_a_lister_who_keeps_the_register_waits(register: Any, grids: Any) -> None:
    record = listing(grids, petitioner(register, address=TWO_GRIDS))
    KeyPetitioner.objects.filter(pk=record.pk).update(created_by=None)
    registers.person_create(
        actor=grids.gridworker, values={"id_number": ID_A, "name": "王秀英", "grid": G111}
    )
    deliver_pending(worker_id="test")
    record.refresh_from_db()
    assert record.role is None and record.role_note  # for an officer's 重新关联
    assert not AuditLog.objects.filter(action="petitions.key_petitioner.link").exists()
