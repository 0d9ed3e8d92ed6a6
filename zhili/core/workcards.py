"""The home page's "我的待办": each role's own work, counted by the scoped selectors of the
apps that hold it, each figure a link to the list that shows the same rows.

A card is one queue of the user's: the center's dispatch queue, the unit's inbox, the grid
worker's grid, a leader's overview, supervision orders, disputes, petitions, receptions, the
administrator's integrations. Its figures are the work waiting (待办), due later today
(今日到期), overdue (已超期) and under a yellow or red card (黄牌 / 红牌), where the module has
them, then the waiting work broken down. Every figure is one aggregate query per card, over
open rows only.

Each app registers its cards (`register_card`) in its own ``workcards.py``, like the
navigation's entries: the web app imports every installed app's ``workcards`` module at start-up
(zhili/web/apps.py), and its home page shows `work_cards(user)`. Which cards a user gets depends
on their roles; the cards are shown in the order of their `position`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from zhili.core.roles import Role
from zhili.core.scope import role_codes
from zhili.core.types import Actor

Query = str | int | None


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    url: str
    tone: str = ""  # "warn" (due today, yellow), "alarm" (overdue, red): shown when not 0
    hint: str = ""


@dataclass(frozen=True)
class WorkCard:
    key: str
    title: str
    url: str
    figures: list[Figure]
    details: list[Figure] = field(default_factory=list)
    note: str = ""


CardBuilder = Callable[[Actor], WorkCard | None]


@dataclass(frozen=True)
class CardEntry:
    position: int  # the cards are shown in this order
    roles: frozenset[str]  # the roles that get the card
    build: CardBuilder


CARDS: list[CardEntry] = []


def register_card(position: int, roles: Iterable[str], build: CardBuilder) -> None:
    """`build(user)` makes the card (None: nothing for this user) for users with one of
    `roles`; registering the same builder again replaces it."""
    CARDS[:] = [entry for entry in CARDS if entry.build is not build]
    CARDS.append(CardEntry(position, frozenset(roles), build))
    CARDS.sort(key=lambda entry: entry.position)


def url(name: str, **query: Query) -> str:
    """The named page with its filters as the query string (empty ones left out)."""
    base = reverse(name)
    query = {k: v for k, v in query.items() if v not in ("", None)}
    return f"{base}?{urlencode(query)}" if query else base


def total(label: str, figures: list[Figure], link: str, hint: str = "") -> Figure:
    """A figure summing `figures` (the waiting work broken down)."""
    return Figure(label, sum(f.value for f in figures), link, hint=hint)


def queue_card(
    key: str, title: str, page: str, waiting: list[Figure], clock: list[Figure]
) -> WorkCard:
    """A queue's card: the waiting work's total (待办, a link to the page named `page`), the
    clock figures, and the waiting work broken down."""
    link = reverse(page)
    return WorkCard(key, title, link, [total("待办", waiting, link), *clock], waiting)


def clock_figures(counts: dict[str, int], link: Callable[..., str]) -> list[Figure]:
    """今日到期, 已超期, 黄牌, 红牌 of a queue whose rows carry a clock and cards."""
    return [
        Figure("今日到期", counts["due_today"], link(due="today"), "warn", "今天内到期、尚未超期"),
        Figure("已超期", counts["overdue"], link(due="overdue"), "alarm", "已过办理时限仍在办"),
        Figure("黄牌", counts["yellow"], link(due="open", card="yellow"), "warn", "在办且亮黄牌"),
        Figure("红牌", counts["red"], link(due="open", card="red"), "alarm", "在办且亮红牌"),
    ]


def roles_of(user: Actor) -> set[str]:
    """The user's role codes; a superuser without a role counts as an administrator."""
    roles = set(role_codes(user))
    if user.is_superuser and not roles:
        roles.add(Role.ADMIN)
    return roles


def work_cards(user: Actor) -> list[WorkCard]:
    """The user's cards, each built once, in the order of their position."""
    roles = roles_of(user)
    cards: list[WorkCard] = []
    built: set[CardBuilder] = set()
    for entry in CARDS:
        if entry.build in built or not roles & entry.roles:
            continue
        built.add(entry.build)
        card = entry.build(user)
        if card is not None:
            cards.append(card)
    return cards
