"""The demo's fixed facts: the county's units and names, and generators of plausible names."""

import random
from dataclasses import dataclass

from zhili.orgs.models import Division

COUNTY = "320722"
# The county center's hotline duty seat (值班坐席): takes the calls and the emergencies outside
# office hours, when the dispatcher persona is off (generated staff, no password).
DUTY_SEAT = f"zb{COUNTY}"
PASSWORD = "zhili-demo"  # noqa: S105 - published on purpose, demo accounts only

# --- the organization tree ------------------------------------------------------------------

OFFICES = [("ZDS", "指导室"), ("DCS", "督查室"), ("BGS", "办公室"), ("XXZX", "信息中心")]
SUBCENTERS = [
    ("XFJD", "信访接待中心"),
    ("MDTC", "矛盾纠纷调处中心"),
    ("WGFW", "网格化服务中心"),
    ("SFSS", "涉法涉诉联合接访中心"),
    ("JJJC", "纪检监察举报中心"),
    ("WWB", "维稳办"),
    ("ZCW", "仲裁委"),
]
# The seed says the county committee has 8 leading-group liaison offices but does not name
# them: these names are typical ones, hence is_demo=True.
LIAISON_OFFICES = [
    "矛盾纠纷排查调处工作领导小组联络员室",
    "社会治安重点地区排查整治工作领导小组联络员室",
    "预防青少年违法犯罪工作领导小组联络员室",
    "特殊人群服务管理工作领导小组联络员室",
    "流动人口服务管理工作领导小组联络员室",
    "铁路护路联防工作领导小组联络员室",
    "学校及周边治安综合治理工作领导小组联络员室",
    "平安建设工作领导小组联络员室",
]
DEPARTMENTS = [
    ("GAJ", "公安局"),
    ("SFJ", "司法局"),
    ("XFJ", "信访局"),
    ("CGJ", "城管局"),
    ("ZJJ", "住建局"),
    ("STHJJ", "生态环境局"),
    ("JTYSJ", "交通运输局"),
    ("SCJGJ", "市场监管局"),
    ("RSJ", "人社局"),
    ("WJW", "卫健委"),
    ("JYJ", "教育局"),
    ("MZJ", "民政局"),
    ("ZRZYJ", "自然资源和规划局"),
    ("SLJ", "水利局"),
    ("YJGLJ", "应急管理局"),
    ("GDGS", "供电公司"),
]
# The party committee's organs that sit on joint inspections (联合督查) with the center: they
# inspect, they handle no cases (kind "committee", not a handling department).
COMMITTEES = [("JWJW", "县纪委监委"), ("ZZB", "县委组织部")]


@dataclass(frozen=True)
class TownshipSpec:
    area_name: str
    division: str
    villages: int  # how many village-level centers it has
    is_demo: bool = False

    @property
    def weight(self) -> float:
        """Relative land area: streets are dense and small, state farms few but large."""
        if self.division == Division.SUBDISTRICT:
            return self.villages * 0.6
        if self.division == Division.STATE_FARM:
            return 9.0
        return float(self.villages)


_T, _X = Division.TOWN, Division.TOWNSHIP
# Codes 320722001..021 in this order. The village counts are an invented, fixed split of 346.
TOWNSHIPS = [
    TownshipSpec("牛山街道", Division.SUBDISTRICT, 20),
    TownshipSpec("石榴街道", Division.SUBDISTRICT, 14),
    *(
        TownshipSpec(name, _T, n)
        for name, n in [
            ("白塔埠镇", 23),
            ("黄川镇", 20),
            ("石梁河镇", 19),
            ("青湖镇", 18),
            ("温泉镇", 18),
            ("双店镇", 20),
            ("桃林镇", 19),
            ("洪庄镇", 17),
            ("安峰镇", 19),
            ("房山镇", 19),
            ("平明镇", 20),
        ]
    ),
    *(
        TownshipSpec(name, _X, n)
        for name, n in [
            ("驼峰乡", 17),
            ("李埝乡", 14),
            ("山左口乡", 15),
            ("石湖乡", 15),
            ("曲阳乡", 14),
            ("张湾乡", 15),
        ]
    ),
    # The two state farms in the county (the seed counts 2 国营场 without naming them).
    TownshipSpec("东海农场", Division.STATE_FARM, 5),
    TownshipSpec("岗埠农场", Division.STATE_FARM, 5),
]


def township_code(index: int) -> str:
    return f"{COUNTY}{index + 1:03d}"


# --- names -------------------------------------------------------------------------------------

_VILLAGE_HEADS = list(
    "东西南北前后大小上下新老张王李刘陈杨赵黄周吴徐孙马朱胡郭何高罗郑梁谢宋唐许韩冯邓曹"
    "彭肖田董潘袁蒋于杜叶程魏苏吕丁沈姚卢姜崔谭陆范金石贾夏方白孟秦江薛侯史陶顾毛邵钱"
    "桃柳杏梨枣松槐榆桑青红双三五八"
)
_VILLAGE_TAILS = list("庄湖河岭埠集圩桥营店沟洼墩楼岗山塘湾口屯堡寨园林场")
_COMMUNITY_PAIRS = (
    "和平幸福光明团结友谊建设新华人民民主文化振兴富民繁荣向阳朝阳阳光锦绣"
    "金桥水晶温泉滨河湖滨站前城东城西城南城北花园翠苑惠民康乐安居和谐紫薇"
    "桂花东方中山育才健康兴隆福华迎宾世纪春晖丽景玉带龙湖凤凰"
)
_COMMUNITY_WORDS = [_COMMUNITY_PAIRS[i : i + 2] for i in range(0, len(_COMMUNITY_PAIRS), 2)]
_SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
)
_GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红梅兰晓东海燕玉春林文斌"
    "辉鹏飞丹萍宇浩凯雪琳婷颖慧俊峰波亮宁欣佳晨阳立新永庆荣德成昌兴旺学良利民"
)


def village_name(rng: random.Random, community: bool, taken: set[str]) -> str:
    while True:
        if community:
            name = rng.choice(_COMMUNITY_WORDS) + "社区"
        else:
            name = rng.choice(_VILLAGE_HEADS) + rng.choice(_VILLAGE_TAILS) + "村"
        if name not in taken:
            taken.add(name)
            return name


def person_name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given
