"""A channel's recordings as they arrive (GB/T 28181-2016 §9.7): the RecordInfo answers of one
query (its SN) gathered across the MESSAGEs the device splits them into, until SumNum items
are in (none at all when SumNum is 0). The asker waits on a future with a deadline."""

import asyncio
from dataclasses import dataclass, field

from zhili.video.gb28181 import manscdp

RecordKey = tuple[str, str, str]


@dataclass
class Pending:
    future: "asyncio.Future[list[manscdp.RecordItem]]"
    total: int = -1
    items: dict[RecordKey, manscdp.RecordItem] = field(default_factory=dict)


class Records:
    def __init__(self) -> None:
        self.pending: dict[int, Pending] = {}

    def expect(self, sn: int) -> "asyncio.Future[list[manscdp.RecordItem]]":
        future: asyncio.Future[list[manscdp.RecordItem]] = (
            asyncio.get_running_loop().create_future()
        )
        self.pending[sn] = Pending(future)
        return future

    def forget(self, sn: int) -> None:
        self.pending.pop(sn, None)

    def add(self, doc: manscdp.Doc) -> None:
        batch = self.pending.get(doc.sn)
        if batch is None:  # late, or never asked: nobody waits for it
            return
        total, items = manscdp.record_items(doc)
        batch.total = max(batch.total, total)
        # A message sent twice (UDP) must not count twice: an item is its span and file.
        batch.items.update(((i.start_time, i.end_time, i.file_path), i) for i in items)
        if len(batch.items) >= batch.total:
            del self.pending[doc.sn]
            if not batch.future.done():
                batch.future.set_result(sorted(batch.items.values(), key=_start))


def _start(item: manscdp.RecordItem) -> str:
    return item.start_time
