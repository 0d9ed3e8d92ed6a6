"""`zhili demo`: the demo's key petitioners as roles of the people register, made the way the
service makes them (services/key_roles.py), by the petition officer who listed them.

The demo knows where its people live, the service does not always: a petitioner whose
address names a village of several grids is first registered by a worker of one of them, a
grid the demo draws, through the registers' own `person_create` (as the grid would have),
and the listing then finds the person by ID number. A petitioner without an ID number stays
on the key register without a role, its note saying why, as it would in the county.

The petitions demo runs before the registers' (config/demo.py): the people made here are in
the register before it draws its own residents, which skips ID numbers already taken.
"""

import random

from django.db import transaction

from zhili.core.errors import DomainError
from zhili.orgs.gazetteer import address_match
from zhili.orgs.models import User
from zhili.petitions.models import KeyPetitioner, Petitioner
from zhili.petitions.services.key_roles import grid_of, key_role_open
from zhili.registers import services as registers


def key_roles(rng: random.Random, records: list[KeyPetitioner], officer: User | None) -> int:
    """Put each record's role on its person; the number of records that have one."""
    if officer is None:
        return 0
    for record in records:
        _registered_by_the_grid(rng, record.petitioner)
        key_role_open(actor=officer, record=record)
    return sum(1 for r in records if r.role is not None and not r.role_note)


def key_roles_missing(officer: User | None) -> int:
    """A demo loaded before the key register became roles: its records never linked."""
    records = KeyPetitioner.objects.filter(is_demo=True, role__isnull=True, role_note="")
    rows = list(records.select_related("petitioner__township", "responsible_unit"))
    with transaction.atomic():
        return key_roles(random.Random(len(rows)), rows, officer)


def _registered_by_the_grid(rng: random.Random, petitioner: Petitioner) -> None:
    number = petitioner.id_number
    if not number or registers.person_of_id_number(number) is not None:
        return
    if grid_of(petitioner)[0] is not None:
        return  # the address names one grid: the service registers the person there itself
    match = address_match(petitioner.address)
    if match.village is None or not match.grids:
        return  # the address does not say which village: nobody could tell the grid
    grid = rng.choice(match.grids)
    worker = grid.workers.order_by("pk").first()
    if worker is None:
        return
    values = {
        "id_number": number,
        "name": petitioner.name,
        "phone": petitioner.phone,
        "current_address": petitioner.address[:200],
        "grid": grid.code,
    }
    try:
        with transaction.atomic():
            registers.person_create(actor=worker, values=values)
    except DomainError:
        return  # left to the service, whose note will say why
