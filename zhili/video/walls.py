"""The video wall's saved layouts, per user: every write here, each checked and audited.

A layout lists cameras by code; only cameras the user sees may be saved (another's camera is
refused like an unknown one, naming `cameras`). Seeing the wall plays each camera's sub stream
through the live view (`live.live_open`), so each tile is a view of its own, audited there.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.video.models import Camera, WallLayout
from zhili.video.selectors import camera_scope

TILES = (1, 4, 9, 16)
PATROL_SECONDS = (0, 10, 15, 30, 60, 120)
MAX_CAMERAS = 256


def _check(
    tiles: int, cameras: Sequence[str], patrol_seconds: int, name: str, actor: Actor
) -> list[str]:
    if not name.strip():
        raise InvalidInput("请填写布局名称", field="name")
    if tiles not in TILES:
        raise InvalidInput("分屏应为 1、4、9 或 16", field="tiles")
    if patrol_seconds not in PATROL_SECONDS:
        raise InvalidInput(
            "轮巡间隔应为 0（不轮巡）、10、15、30、60 或 120 秒", field="patrol_seconds"
        )
    codes = list(dict.fromkeys(code.strip() for code in cameras if code.strip()))
    if len(codes) > MAX_CAMERAS:
        raise InvalidInput(f"一个布局最多 {MAX_CAMERAS} 个点位", field="cameras")
    seen = set(
        Camera.objects.filter(camera_scope(actor), code__in=codes).values_list("code", flat=True)
    )
    unknown = [code for code in codes if code not in seen]
    if unknown:
        raise InvalidInput(f"点位不存在或不在可见范围内：{'、'.join(unknown[:5])}", field="cameras")
    return codes


def wall_layout_save(
    *,
    actor: Actor,
    name: str,
    tiles: int,
    cameras: Sequence[str],
    patrol_seconds: int = 0,
) -> WallLayout:
    """Save the user's layout `name` (a new one, or the same name again: replaced)."""
    require(actor, Action.CAMERAS_VIEW)
    codes = _check(tiles, cameras, patrol_seconds, name, actor)
    with transaction.atomic():
        layout, _created = WallLayout.objects.update_or_create(
            user=actor,
            name=name.strip(),
            defaults={
                "tiles": tiles,
                "cameras": codes,
                "patrol_seconds": patrol_seconds,
                "updated_at": timezone.now(),
            },
        )
        audit(actor, "video.wall.save", layout, tiles=tiles, cameras=len(codes))
    return layout


def wall_layout_delete(*, actor: Actor, layout_id: int) -> None:
    with transaction.atomic():
        layout = one_or_not_found(WallLayout.objects.filter(user=actor), "布局不存在", pk=layout_id)
        audit(actor, "video.wall.delete", layout, name=layout.name)
        layout.delete()
