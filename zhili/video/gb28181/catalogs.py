"""A device's catalog as it arrives: the items of one query (its SN) gathered across the
MESSAGEs it is split into, until SumNum of them are in; then loaded at once. A catalog whose
remaining messages never come is loaded as it stands after `patience` seconds of silence."""

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from zhili.video.gb28181 import manscdp

log = logging.getLogger(__name__)
Loader = Callable[[str, list[manscdp.CatalogItem]], Awaitable[None]]


@dataclass
class Pending:
    total: int = 0
    items: dict[str, manscdp.CatalogItem] = field(default_factory=dict)
    touched: float = field(default_factory=time.monotonic)


class Catalogs:
    def __init__(self, load: Loader, patience: float = 5.0) -> None:
        self.load = load
        self.patience = patience
        self.pending: dict[tuple[str, int], Pending] = {}

    def expect(self, device: str, sn: int) -> None:
        self.pending[(device, sn)] = Pending()

    async def add(self, device: str, doc: manscdp.Doc) -> None:
        total, items = manscdp.catalog_items(doc)
        key = (device, doc.sn)
        batch = self.pending.setdefault(key, Pending())
        batch.total = max(batch.total, total)
        batch.items.update((item.device_id, item) for item in items)
        batch.touched = time.monotonic()
        if len(batch.items) >= batch.total:
            del self.pending[key]
            await self.load(device, list(batch.items.values()))

    async def flush_stale(self) -> None:
        now = time.monotonic()
        stale = [k for k, b in self.pending.items() if now - b.touched > self.patience]
        for device, sn in stale:
            batch = self.pending.pop((device, sn))
            if batch.items:
                log.warning("catalog %s of %s: %d of %d", sn, device, len(batch.items), batch.total)
                await self.load(device, list(batch.items.values()))
