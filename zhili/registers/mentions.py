"""Links between the dossiers and the base registers (一人一档): a case, a dispute, a petition or
an incident names the people and houses it concerns; a person's (a house's) page lists every
dossier that names them, within the viewer's sight.

- A dossier is found by its tracking code (zhili/core/dossier/codes.py): the kinds that are
  `Tracked` can be linked, whatever app they live in, without this app importing theirs.
- Linking needs the dossier in the actor's sight and the person or house in their sight
  (registers.view and the register's scope); it writes a row on the dossier's own timeline
  (without the person's name: the timeline is read by whoever sees the dossier) and an audit
  row. Unlinking keeps the row, marked removed.
- Suggestions match the ID numbers and phones written on the dossier (a caller's phone, the
  parties' ID numbers), and a search matches an exact ID number or phone: never a name alone,
  which would name the wrong person.
- Whoever sees a dossier but not a linked person sees that someone is linked, not who.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.dossier import record_history
from zhili.core.dossier.codes import Found, find, find_many
from zhili.core.errors import Conflict, InvalidInput, NotFound
from zhili.core.personal import validate_id_number, validate_phone
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.registers import selectors
from zhili.registers.models import House, Mention, MentionRelation, Person

PERSON_RELATIONS = [r for r in MentionRelation if r != MentionRelation.HOUSE]
SUGGESTED = 10  # at most this many suggestions or search matches


def dossier_get(actor: Actor, code: str) -> Found:
    found = find(actor, code)
    if found is None:
        raise NotFound("档案不存在", field="code")
    return found


def _open(found: Found) -> "Q":
    return Q(dossier=found.tracked.name, record_id=found.record.pk, removed_at__isnull=True)


@dataclass(frozen=True)
class Links:
    """What a dossier's page shows: the people and houses the viewer may see, how many more
    are linked out of their sight, and the people its own contacts match."""

    people: list[Mention]
    houses: list[Mention]
    hidden: int
    suggested: list[Person]


def links_of(actor: Actor, found: Found) -> Links:
    rows = list(
        Mention.objects.filter(_open(found))
        .select_related("person__grid", "house__grid")
        .order_by("created_at", "pk")
    )
    people_ids = {m.person_id for m in rows if m.person_id}
    house_ids = {m.house_id for m in rows if m.house_id}
    seen_people = set(
        selectors.people_visible(actor).filter(pk__in=people_ids).values_list("pk", flat=True)
    )
    seen_houses = set(
        selectors.houses_visible(actor).filter(pk__in=house_ids).values_list("pk", flat=True)
    )
    people = [m for m in rows if m.person_id in seen_people]
    houses = [m for m in rows if m.house_id in seen_houses]
    return Links(
        people=people,
        houses=houses,
        hidden=len(rows) - len(people) - len(houses),
        suggested=_suggested(actor, found, exclude=people_ids),
    )


def _suggested(actor: Actor, found: Found, *, exclude: set[int]) -> list[Person]:
    """The people whose ID number or phone is written on the dossier, not linked yet."""
    written = {value.strip() for value in found.tracked.contacts(found.record) if value.strip()}
    if not written or not can(actor, Action.REGISTERS_VIEW):
        return []
    ids = {value.upper() for value in written if len(value) == 18}
    phones = written - ids
    matched = selectors.people_visible(actor).filter(
        Q(id_number__in=ids) | Q(phone__in=phones), archived=False
    )
    return list(matched.exclude(pk__in=exclude).select_related("grid")[:SUGGESTED])


def match(actor: Actor, *, id_number: str = "", phone: str = "") -> list[Person]:
    """The people in the actor's sight with exactly this ID number or phone (422 naming the
    field for a malformed one; a name is not a key)."""
    id_number, phone = id_number.strip(), phone.strip()
    if not id_number and not phone:
        raise InvalidInput("请输入身份证号码或手机号码", field="id_number")
    q = Q()
    if id_number:
        q |= Q(id_number=validate_id_number(id_number))
    if phone:
        q |= Q(phone=validate_phone(phone))
    rows = selectors.people_visible(actor).filter(q).select_related("grid")
    return list(rows.order_by("archived", "name", "pk")[:SUGGESTED])


def houses_matching(actor: Actor, address: str) -> list[House]:
    """Houses in the actor's sight whose address holds `address` (an address is not
    personal data; at least 2 characters)."""
    address = address.strip()
    if len(address) < 2:
        raise InvalidInput("请输入至少两个字的地址", field="address")
    rows = selectors.houses_visible(actor).filter(address__contains=address, archived=False)
    return list(rows.select_related("grid").order_by("address", "pk")[:SUGGESTED])


def search(actor: Actor, q: str) -> tuple[list[Person], list[House]]:
    """Whom to link, from one search box: an ID number (15 characters or more, digits and a
    final X) or a phone (digits) finds people exactly; anything else is a house's address."""
    q = q.strip()
    if q.upper().rstrip("X").isdigit():
        if len(q) >= 15:
            return match(actor, id_number=q), []
        return match(actor, phone=q), []
    return [], houses_matching(actor, q)


def mention_add(
    *,
    actor: Actor,
    code: str,
    relation: str,
    person_id: int | None = None,
    house_id: int | None = None,
) -> Mention:
    """Link a person (with their relation to the dossier) or a house to the dossier `code`."""
    found = dossier_get(actor, code)
    if (person_id is None) == (house_id is None):
        raise InvalidInput("请选择一名人员或一处房屋", field="person")
    if person_id is not None:
        if relation not in PERSON_RELATIONS:
            raise InvalidInput("人员与档案的关系无效", field="relation")
        person: Person | None = selectors.person_get(actor, person_id)
        house: House | None = None
        what = f"关联人员（{MentionRelation(relation).label}）"
    else:
        relation, person = MentionRelation.HOUSE, None
        house = selectors.house_get(actor, house_id or 0)
        what = "关联房屋"
    mention = Mention(
        dossier=found.tracked.name,
        record_id=found.record.pk,
        code=found.code,
        person=person,
        house=house,
        relation=relation,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            mention.save()
            _on_timeline(actor, found, "mention", what)
            audit(actor, "registers.mention.add", person or house, code=found.code)
    except IntegrityError as exc:
        raise Conflict("已关联到该档案", code="duplicate", field="person") from exc
    return mention


def mention_remove(*, actor: Actor, code: str, mention_id: int) -> None:
    """Unlink: the row stays, marked removed, on the timeline and audited."""
    found = dossier_get(actor, code)
    mention = Mention.objects.filter(_open(found), pk=mention_id).first()
    if mention is None:
        raise NotFound("关联不存在", field="mention")
    # Only what the actor sees may be unlinked by them.
    if mention.person_id is not None:
        selectors.person_get(actor, mention.person_id)
    else:
        selectors.house_get(actor, mention.house_id or 0)
    with transaction.atomic():
        done = Mention.objects.filter(pk=mention.pk, removed_at__isnull=True).update(
            removed_at=timezone.now(), removed_by=actor
        )
        if not done:
            raise NotFound("关联不存在", field="mention")
        what = "解除房屋关联" if mention.house_id else "解除人员关联"
        _on_timeline(actor, found, "unmention", what)
        audit(actor, "registers.mention.remove", mention.person or mention.house, code=found.code)


def _on_timeline(actor: Actor, found: Found, action: str, note: str) -> None:
    state = str(getattr(found.record, "state", ""))
    record_history(
        found.tracked.kind,
        found.record,
        action,
        from_state=state,
        to_state=state,
        actor=actor,
        note=note,
    )


@dataclass(frozen=True)
class Named:
    """A dossier that names a person or a house, as their page lists it."""

    code: str
    noun: str  # 工单, 纠纷, 信访事项 ...
    title: str
    state: str
    page: str
    relation: str
    linked_at: datetime


def records_naming(
    actor: Actor, *, person: Person | None = None, house: House | None = None
) -> list[Named]:
    """The dossiers linked to `person` (or `house`) that `actor` may see, newest link first:
    one query for the links and one per kind of dossier."""
    links = Mention.objects.filter(removed_at__isnull=True)
    links = links.filter(person=person) if person is not None else links.filter(house=house)
    by_kind: dict[str, list[Mention]] = defaultdict(list)
    for link in links.order_by("-created_at", "-pk")[:500]:
        by_kind[link.dossier].append(link)
    named = []
    for name, rows in by_kind.items():
        seen = {f.record.pk: f for f in find_many(actor, name, [m.record_id for m in rows])}
        for link in rows:
            found = seen.get(link.record_id)
            if found is None:
                continue
            record = found.record
            state = getattr(record, "get_state_display", lambda: "")()
            named.append(
                Named(
                    code=found.code,
                    noun=found.tracked.kind.noun,
                    title=found.tracked.label(record),
                    state=str(state),
                    page=found.page,
                    relation=link.get_relation_display(),
                    linked_at=link.created_at,
                )
            )
    named.sort(key=lambda n: n.linked_at, reverse=True)
    return named
