from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class GridsChanged(DomainEvent):
    """Grid geometry changed: routing by place may now give other answers."""

    name = "orgs.grids_changed"
    grid_ids: tuple[int, ...]
    village_code: str


@dataclass(frozen=True)
class StaffRolesChanged(DomainEvent):
    """A staff member was created or their roles changed."""

    name = "orgs.staff_roles_changed"
    user_id: int
    roles: tuple[str, ...]
