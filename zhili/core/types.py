"""Type aliases shared by every app's services.

`Actor` is the person who takes an action: a signed-in staff member (`zhili.orgs.models.User`).
Steps the platform takes itself (a sweep's red card, an outbox handler) pass `None` where a
service accepts `SystemActor`. The import is for the type checker only: core imports no app.
"""

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from zhili.orgs.auth import StaffRequest
    from zhili.orgs.models import User

Actor: TypeAlias = "User"
SystemActor: TypeAlias = "User | None"
# A page's request from a signed-in staff member (its `user` is an `Actor`, `htmx` is set).
PageRequest: TypeAlias = "StaffRequest"
