"""The demo county's responsibility rules (权责清单), and the units its dispatchers fall back on.

County-wide rules send a whole group to the department in charge, with a few leaves going
elsewhere. Townships handle disputes, rural matters and homesteads themselves, and each
township's police station takes public order there. In three townships the village centers
settle neighbour disputes first. Some leaves (health insurance, telecoms, consultations) have
no rule on purpose, so that the county dispatcher's "unmatched" queue has cases to show.
"""

from zhili.orgs.demo.data import COUNTY

# group code -> department code suffix (320722-<suffix>), for the whole county
COUNTY_GROUPS = {
    "SZ": "ZJJ",
    "HB": "STHJJ",
    "SR": "CGJ",
    "JT": "JTYSJ",
    "LD": "RSJ",
    "SC": "SCJGJ",
    "ZF": "ZJJ",
    "GT": "ZRZYJ",
    "SL": "SLJ",
    "AQ": "YJGLJ",
    "ZA": "GAJ",
    "MZ": "MZJ",
}
# leaf name -> department suffix, for the whole county (nearer than the group's rule)
COUNTY_LEAVES = {
    "路灯损坏": "CGJ",
    "建筑施工噪音": "CGJ",
    "违章停车": "GAJ",
    "违章建筑": "CGJ",
    "道路交通安全": "GAJ",
    "消防隐患": "YJGLJ",
    "学校管理": "JYJ",
    "入学招生": "JYJ",
    "校外培训": "JYJ",
    "医疗服务": "WJW",
    "公共卫生": "WJW",
    "停电": "GDGS",
    "电力设施隐患": "GDGS",
    "电费问题": "GDGS",
    "退役军人服务": "MZJ",
}
# In every township: group code or leaf name -> "center" (the township center itself) or
# "police" (the township's police station, 320722-GAJ-<township>).
TOWNSHIP_RULES = {
    "MD": "center",
    "NY": "center",
    "宅基地": "center",
    "ZA": "police",
}
# Leaf names that the village centers of these townships handle themselves.
VILLAGE_TOWNSHIPS = ("320722001", "320722003", "320722007")
VILLAGE_LEAVES = ("邻里纠纷", "婚姻家庭纠纷")

# What a dispatcher picks when no rule matched and the case has no township to hand it to.
FALLBACK_UNITS = {
    "JW": "WJW",
    "GD": "GDGS",
    "QT": "XFJ",
    "MD": "SFJ",
    "NY": "ZRZYJ",
}
# Where a returned case goes next (改派), by the department that sent it back.
REASSIGN_TO = {
    "ZJJ": "CGJ",
    "CGJ": "ZJJ",
    "STHJJ": "CGJ",
    "JTYSJ": "GAJ",
    "GAJ": "CGJ",
    "RSJ": "SFJ",
    "SCJGJ": "CGJ",
    "ZRZYJ": "ZJJ",
    "SLJ": "ZJJ",
    "YJGLJ": "ZJJ",
    "MZJ": "RSJ",
    "WJW": "SCJGJ",
    "JYJ": "WJW",
    "GDGS": "ZJJ",
    "SFJ": "XFJ",
    "XFJ": "SFJ",
}


def department(suffix: str) -> str:
    return f"{COUNTY}-{suffix}"


def police_station(township: str) -> str:
    return f"{COUNTY}-GAJ-{township}"
