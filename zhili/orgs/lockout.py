"""The login lockout: django-axes, with two limits and an administrator's unlock.

A lock by account alone lets anyone shut an officer out (five requests with a wrong password);
a lock by address alone shuts out a whole township office behind one public address. So:

- a (username, client address) pair is locked after `AXES_FAILURE_LIMIT` failures (5): the
  same officer still signs in from another address;
- a client address is locked after `ZHILI_LOGIN_FAILURES_PER_ADDRESS` failures (30) summed
  over every username it tried, so one address cannot walk through the staff list;
- both for `AXES_COOLOFF_TIME`, counted by axes' `AccessAttempt` rows (one per username,
  address and browser), on every way in: the login page, `/admin/login/` and
  `POST /api/v1/auth/token`.

The client address is `zhili.core.ratelimit.client_ip` (REMOTE_ADDR, or X-Forwarded-For from
the proxies in `ZHILI_TRUSTED_PROXIES`). axes compares one number with one limit: the
handler's `get_failures` answers the pair's failures, raised to the pair's limit once the
address has reached its own, and leaves on the request how many tries are left
(`remaining`), for the page's and the API's warning (`warning`).
"""

from dataclasses import dataclass
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from zhili.core import ratelimit
from zhili.core.audit import audit
from zhili.core.types import Actor

REMAINING = "zhili_login_remaining"


def client_address(request: HttpRequest) -> str | None:
    """The address axes records (`AXES_CLIENT_IP_CALLABLE`); None when there is none."""
    address = ratelimit.client_ip(request)
    return address or None


def address_limit() -> int:
    return int(settings.ZHILI_LOGIN_FAILURES_PER_ADDRESS)


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler; `AXES_LOCKOUT_PARAMETERS` is [[username, ip_address],
    ip_address]: the pair's attempts, then the address's."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        pair_attempts, address_attempts = self.get_user_attempts(request, credentials)
        pair, address = _failures(pair_attempts), _failures(address_attempts)
        per_pair = get_failure_limit(request, credentials)
        left = min(per_pair - pair, address_limit() - address)
        setattr(request, REMAINING, max(left, 0))
        return max(pair, per_pair) if address >= address_limit() else pair

    def reset_user_attempts(self, request: Any, credentials: dict | None = None) -> int:
        # A success clears the pair's failures only: signing in with one account must not
        # wipe what the same address did to the others.
        pair_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair_attempts.delete()
        return count


def remaining(request: HttpRequest) -> int | None:
    """Tries left for this username from this address, as the last failure left them."""
    return getattr(request, REMAINING, None)


def warning(request: HttpRequest) -> str:
    """ "还可尝试 N 次" once `ZHILI_LOGIN_WARN_AFTER` failures are spent (3 of 5), else ""."""
    left = remaining(request)
    if left is None or left <= 0:
        return ""
    warn_from = settings.AXES_FAILURE_LIMIT - settings.ZHILI_LOGIN_WARN_AFTER
    if left > warn_from:
        return ""
    return f"还可尝试 {left} 次，之后将临时锁定 {_cool_off_label()}"


def _cool_off_label() -> str:
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return f"{minutes // 60} 小时" if minutes % 60 == 0 else f"{minutes} 分钟"


@dataclass(frozen=True)
class LockState:
    pair_failures: int
    address_failures: int
    pair_locked: bool
    address_locked: bool

    @property
    def locked(self) -> bool:
        return self.pair_locked or self.address_locked


def _recent(attempts: QuerySet[AccessAttempt]) -> QuerySet[AccessAttempt]:
    cool_off = get_cool_off()
    if cool_off is None:
        return attempts
    return attempts.filter(attempt_time__gte=timezone.now() - cool_off)


def lock_state(username: str, address: str | None) -> LockState:
    """The state of a (username, address) pair, for the admin's list."""
    rows = _recent(AccessAttempt.objects.filter(ip_address=address))
    pair = _failures(rows.filter(username=username))
    total = _failures(rows)
    return LockState(
        pair_failures=pair,
        address_failures=total,
        pair_locked=pair >= settings.AXES_FAILURE_LIMIT,
        address_locked=total >= address_limit(),
    )


def login_unlock(*, actor: Actor, username: str, address: str | None) -> LockState:
    """Lift the lock of (username, address): the pair's failures are cleared, and the
    address's too when the address itself is locked. Audited (`orgs.login.unlock`)."""
    with transaction.atomic():
        state = lock_state(username, address)
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if not state.address_locked:
            attempts = attempts.filter(username=username)
        cleared, _ = attempts.delete()
        audit(
            actor,
            "orgs.login.unlock",
            None,
            username=username,
            address=address,
            pair_failures=state.pair_failures,
            address_failures=state.address_failures,
            address_cleared=state.address_locked,
            rows=cleared,
        )
    return state
