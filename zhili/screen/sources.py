"""The screen's four sources (社情民意, 警情, 地情, 访情, the seed's 研判 themes) and which case
channels feed each: the people's own requests, the 110/120/119 linkage, what the grid, city
management and cameras find on the ground, and the petitions."""

from django.db import models

from zhili.cases.models.choices import Channel


class Source(models.TextChoices):
    PUBLIC = "public", "社情民意"
    POLICE = "police", "警情"
    GROUND = "ground", "地情"
    PETITION = "petition", "访情"


CHANNEL_SOURCE: dict[str, str] = {
    Channel.HOTLINE: Source.PUBLIC,
    Channel.WEB: Source.PUBLIC,
    Channel.OPEN311: Source.PUBLIC,
    Channel.WALK_IN: Source.PUBLIC,
    Channel.LEADER_ASSIGNED: Source.PUBLIC,
    Channel.DEPARTMENT_REFERRAL: Source.PUBLIC,
    Channel.EMERGENCY: Source.POLICE,
    Channel.CITY_MANAGEMENT: Source.GROUND,
    Channel.GRID_REPORT: Source.GROUND,
    Channel.VIDEO: Source.GROUND,
    Channel.PETITION: Source.PETITION,
}


def source_of(channel: str) -> str:
    return CHANNEL_SOURCE.get(channel, Source.PUBLIC)
