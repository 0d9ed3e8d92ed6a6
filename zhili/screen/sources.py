"""The screen's four sources are the 五情 of the cases (社情民意, 警情, 地情, 访情): which case
channels feed each is set once, in zhili.cases.models.choices (`CHANNEL_SITUATION`), which the
reports count by too."""

from zhili.cases.models.choices import CHANNEL_SITUATION
from zhili.cases.models.choices import Situation as Source

__all__ = ["Source", "source_of"]


def source_of(channel: str) -> str:
    return CHANNEL_SITUATION.get(channel, Source.PUBLIC)
