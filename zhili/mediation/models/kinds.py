"""The dispute kinds: the 15 statistical types of the justice bureau's monthly report, shared by
the disputes and the mediators' specialities."""

from django.db import models


class DisputeKind(models.TextChoices):
    """The 15 statistical types of the justice bureau's monthly report, in its order."""

    MARRIAGE_FAMILY = "marriage_family", "婚姻家庭"
    NEIGHBOURHOOD = "neighbourhood", "邻里"
    HOUSING_HOMESTEAD = "housing_homestead", "房屋宅基地"
    CONTRACT = "contract", "合同"
    BUSINESS = "business", "生产经营"
    DAMAGES = "damages", "损害赔偿"
    LAND_FOREST = "land_forest", "山林土地"
    EXPROPRIATION = "expropriation", "征地拆迁"
    POLLUTION = "pollution", "环境污染"
    LABOUR = "labour", "劳动争议"
    CONSUMER = "consumer", "消费"
    MEDICAL = "medical", "医疗"
    TRAFFIC = "traffic", "道路交通事故"
    PROPERTY_MGMT = "property_mgmt", "物业"
    OTHER = "other", "其它"
