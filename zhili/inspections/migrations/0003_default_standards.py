"""The standards of the three levels of centers the county starts with, drawn from the seed
(Donghai's 165 model: one hub and many poles, the units stationed at each level, the
mechanisms) and the 2024 national guidance on standardised 综治中心 (场所、力量、机制、
督导、信息化); the county edits them in the admin."""

from decimal import Decimal

from django.db import migrations

GUIDANCE = "《关于加强社会治安综合治理中心规范化建设的意见》（2024）"
SEED = "东海县“165”工作模式"
# (code, level, area, text, points, basis)
STANDARDS = [
    (
        "c-premises",
        "county",
        "premises",
        "设置群众接待大厅、矛盾纠纷调解室、信访接待室、视频会商室和指挥调度中心，功能分区明确、标识规范",
        10,
        GUIDANCE,
    ),
    (
        "c-stationed",
        "county",
        "stationed",
        "信访接待、矛盾纠纷调处、网格化服务、涉法涉诉联合接访、纪检监察举报等中心和仲裁委入驻办公，人员常驻在岗",
        15,
        SEED,
    ),
    (
        "c-liaison",
        "county",
        "stationed",
        "县综治委领导小组联络员室设在中心，联络员按期到岗",
        5,
        SEED,
    ),
    (
        "c-intake",
        "county",
        "mechanisms",
        "一口受理、一体派单、一台运行：各渠道诉求统一受理、按类分拨、限时办结、回访评价闭环",
        15,
        SEED,
    ),
    (
        "c-analysis",
        "county",
        "mechanisms",
        "坚持日报告、周例会、月分析、季点评和预警研判制度，形成书面研判报告",
        10,
        SEED,
    ),
    ("c-reception", "county", "mechanisms", "县领导每日视频接访，包案化解信访积案", 10, SEED),
    (
        "c-supervision",
        "county",
        "supervision",
        "对超期、办理不力事项督办，联合纪委监委、组织部开展督查并通报",
        10,
        SEED,
    ),
    (
        "c-assessment",
        "county",
        "supervision",
        "建立考核评价办法，排名通报、评先评优、一票否决落实到位",
        10,
        SEED,
    ),
    (
        "c-systems",
        "county",
        "systems",
        "综治信息系统、视频监控、视频调解、视频接访、指挥调度和视频会议六张网互联互通",
        15,
        SEED,
    ),
    (
        "t-premises",
        "township",
        "premises",
        "群众接待大厅实行职能窗口聚集化、平时办公日常化，设调解室、接访室和视频会商点",
        15,
        SEED,
    ),
    (
        "t-stationed",
        "township",
        "stationed",
        "综治、信访、司法、派出所、法律服务等力量整合入驻，工作日窗口不少于2人在岗",
        20,
        SEED,
    ),
    (
        "t-mechanisms",
        "township",
        "mechanisms",
        "诉求受理、分流交办、跟踪督办、回访评价闭环运行，矛盾纠纷应调尽调",
        20,
        GUIDANCE,
    ),
    ("t-grid", "township", "mechanisms", "网格员按期巡查走访，重点人员走访及时录入平台", 15, SEED),
    (
        "t-supervision",
        "township",
        "supervision",
        "每月自查通报，督查发现问题按期整改销号",
        10,
        GUIDANCE,
    ),
    (
        "t-systems",
        "township",
        "systems",
        "工单签收、办理、回访在平台全程留痕，视频调解与接访设备正常可用",
        20,
        GUIDANCE,
    ),
    (
        "v-premises",
        "village",
        "premises",
        "设综治中心（工作站）牌子、调解室和群众接待点，公示网格员及联系方式",
        25,
        SEED,
    ),
    (
        "v-stationed",
        "village",
        "stationed",
        "村（社区）综治专干、网格员、调解员配备到位",
        25,
        GUIDANCE,
    ),
    (
        "v-mechanisms",
        "village",
        "mechanisms",
        "小事不出村：矛盾纠纷排查、就地调解、上报流转及时",
        25,
        SEED,
    ),
    (
        "v-systems",
        "village",
        "systems",
        "网格通（手机）在用，事件上报和走访记录按期录入",
        25,
        GUIDANCE,
    ),
]


def create(apps, schema_editor):
    standard = apps.get_model("inspections", "Standard")
    for order, (code, level, area, text, points, basis) in enumerate(STANDARDS, start=1):
        standard.objects.update_or_create(
            code=code,
            defaults={
                "level": level,
                "area": area,
                "text": text,
                "points": Decimal(points),
                "basis": basis,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_standards")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
