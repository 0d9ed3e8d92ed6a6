"""The words the registers demo draws from: names, places of origin, occupations, the roles'
own facts and the visits' notes. All generated; any match with a real person is a
coincidence. No database."""

import random

# Common surnames of northern Jiangsu, the most common first (drawn with these weights).
SURNAMES = list("王李张刘陈徐孙朱杨赵吴周马胡高葛魏邵许郭董韩戴时仲蒋沈彭宋程谢梁")
SURNAME_WEIGHTS = [len(SURNAMES) - i for i in range(len(SURNAMES))]
MALE_GIVEN = list("建国军强伟勇刚明杰涛磊超斌峰辉鹏浩宇轩博文俊志海林春成德兴旺立新永庆荣")
FEMALE_GIVEN = list("秀英兰芳娟艳丽敏静婷雪琳颖慧霞萍梅红玉凤桂珍翠莲欣怡佳悦晨雨")


def surname(rng: random.Random) -> str:
    return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]


def given(rng: random.Random, male: bool) -> str:
    chars = MALE_GIVEN if male else FEMALE_GIVEN
    return rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.75 else "")


# Where the floating population (流动人口) comes from: (GB/T 2260 county code, its name as a
# 籍贯, the registered address's head). Neighbouring counties and provinces, as in Donghai.
ORIGINS = [
    ("320723", "江苏灌云", "江苏省连云港市灌云县"),
    ("320724", "江苏灌南", "江苏省连云港市灌南县"),
    ("321322", "江苏沭阳", "江苏省宿迁市沭阳县"),
    ("320382", "江苏邳州", "江苏省徐州市邳州市"),
    ("320381", "江苏新沂", "江苏省徐州市新沂市"),
    ("371322", "山东郯城", "山东省临沂市郯城县"),
    ("371329", "山东临沭", "山东省临沂市临沭县"),
    ("371327", "山东莒南", "山东省临沂市莒南县"),
    ("341321", "安徽砀山", "安徽省宿州市砀山县"),
    ("411525", "河南固始", "河南省信阳市固始县"),
    ("522427", "贵州威宁", "贵州省毕节市威宁彝族回族苗族自治县"),
]
# Hong Kong and Macau names with their romanization (the 通行证's Latin script).
HK_SURNAMES = [("陈", "CHAN"), ("黄", "WONG"), ("李", "LEE"), ("张", "CHEUNG"), ("刘", "LAU")]
HK_GIVEN = {
    True: [("家明", "KA MING"), ("志强", "CHI KEUNG"), ("伟文", "WAI MAN"), ("国荣", "KWOK WING")],
    False: [("嘉欣", "KA YAN"), ("美玲", "MEI LING"), ("慧敏", "WAI MAN"), ("咏诗", "WING SZE")],
}
HK_DISTRICTS = {
    "810000": ["九龙城区", "沙田区", "观塘区", "湾仔区"],
    "820000": ["花地玛堂区", "风顺堂区"],
}
OVERSEAS_WORK = ("企业管理人员", "港资石英制品企业")
HOME_VILLAGE = list("张王李刘前后东西南北大小新老杨马")

FLOAT_REASONS = ["务工"] * 7 + ["经商"] * 2 + ["投靠亲友", "就学"]
# Where a tenant works: the township's own trades (Donghai is the county of crystal).
TENANT_WORK = [
    ("石英制品加工工人", "白塔埠镇石英制品厂"),
    ("水晶加工工人", "水晶饰品加工作坊"),
    ("建筑工人", "建筑工地"),
    ("快递员", "快递网点"),
    ("个体工商户", "自营店铺"),
    ("餐饮服务员", "镇区饭店"),
    ("货车司机", "物流公司"),
]

LOCAL_WORK = (
    ["农民"] * 10
    + ["外出务工人员"] * 4
    + ["企业职工"] * 4
    + ["个体工商户"] * 2
    + ["教师", "医务人员", "村（社区）干部", "公务员", "驾驶员"]
)
EDUCATION = ["小学", "初中", "初中", "初中", "高中", "中专", "大专", "本科"]
OLD_EDUCATION = ["文盲或半文盲", "小学", "小学", "初中"]

HAZARDS = [
    "电动车在楼道内充电",
    "私拉乱接电线",
    "出租屋未配备灭火器",
    "群租，隔断使用易燃材料",
    "燃气管道老化",
    "厨房液化气钢瓶超期未检",
    "疏散通道堆放杂物",
]
ROADS = ["人民路", "建设路", "解放路", "振兴路", "幸福路", "富民路", "晶都大道", "站前路"]
ESTATES = ["晶都花园", "锦绣家园", "幸福里", "阳光新城", "御景园", "和谐小区"]

# The special groups' own facts (kinds.KINDS' fields), drawn plausibly.
OFFENCES = [
    ("盗窃罪", "有期徒刑一年六个月"),
    ("故意伤害罪", "有期徒刑二年"),
    ("诈骗罪", "有期徒刑三年"),
    ("寻衅滋事罪", "有期徒刑一年"),
    ("开设赌场罪", "有期徒刑二年六个月"),
    ("交通肇事罪", "有期徒刑一年"),
    ("非法吸收公众存款罪", "有期徒刑三年六个月"),
    ("掩饰、隐瞒犯罪所得罪", "有期徒刑十个月"),
]
RELEASE_AID = [
    "已建立帮教小组，每月谈话一次，在本村务农",
    "经镇人社所推荐到本镇企业就业",
    "已纳入低保，帮教小组定期走访",
    "自谋职业，经营小吃店，表现良好",
]
CORRECTION = ["缓刑"] * 8 + ["假释", "暂予监外执行", "管制"]
MENTAL_RISK = ["0"] * 10 + ["1"] * 5 + ["2"] * 3 + ["3", "3", "4"]
TREATMENT = [
    "规律服药，病情稳定，家属监护到位",
    "门诊随访治疗，已纳入以奖代补",
    "曾住院治疗，出院后居家康复",
    "服药不规律，已协调镇卫生院医生上门随访",
]
DRUG_CONTROL = [
    "社区康复中，每月尿检阴性",
    "社区戒毒期满，戒断三年未复吸",
    "强制隔离戒毒解除后社区康复",
]
AIDS_ROUTE = ["性传播", "注射吸毒", "不详"]
AIDS_HELP = ["已纳入抗病毒治疗，定期随访", "疾控中心随访管理，家庭关系稳定"]
YOUTH = [
    ("闲散青少年", "镇团委结对帮扶，推荐参加职业技能培训"),
    ("有不良行为青少年", "学校与家长共同教育，司法所法治教育"),
    ("农村留守儿童（监护缺失）", "村妇联主任定期探访，落实临时监护"),
    ("服刑人员未成年子女", "民政部门纳入困境儿童保障"),
]
ABROAD = ["苏州", "无锡", "上海", "南京", "昆山", "常州"]

VISIT_NOTES = {
    "floating": ["核对居住证和租住情况，信息无变化", "了解务工情况，提醒用电和消防安全"],
    "foreign": ["核对证件和居留情况，无异常", "了解在本地工作生活情况"],
    "left_behind": ["上门看望，生活正常，身体状况良好", "了解生活困难，已告知民政救助政策"],
    "released": ["谈心谈话，思想稳定，在家务农", "了解就业情况，表现良好"],
    "correction": ["当面核查，按时到司法所报到，无异常", "谈话教育，遵守矫正规定"],
    "mental": ["按时服药，病情稳定，监护人在家", "与监护人沟通，提醒按时复诊"],
    "drug": ["尿检阴性，生活规律", "了解就业和家庭情况，无复吸迹象"],
    "aids_risk": ["随访正常，按时服药", "了解家庭情况，情绪稳定"],
    "youth": ["与监护人沟通，在校表现良好", "谈心谈话，鼓励参加技能培训"],
}

# The full township's organizations and places (kind rows of zhili.registers.places).
BRANDS = list("晶润恒通金岭华晶鑫源宏达瑞丰嘉禾天诚永兴万福新亚")
BRAND_WORDS = [BRANDS[i] + BRANDS[i + 1] for i in range(0, len(BRANDS) - 1, 2)]
INDUSTRIES = [
    ("石英制品有限公司", "石英制品加工", (40, 160), "氢氟酸 1 吨（专库存放）"),
    ("硅微粉有限公司", "非金属矿物制品", (30, 120), ""),
    ("水晶饰品有限公司", "工艺品制造", (8, 40), ""),
    ("食品有限公司", "食品加工", (40, 140), "液氨 0.8 吨"),
    ("物流有限公司", "道路货运", (15, 60), ""),
    ("木业有限公司", "木材加工", (20, 80), "油漆 0.5 吨"),
    ("建材有限公司", "建材销售", (6, 30), ""),
    ("农资有限公司", "农资零售", (4, 12), "农药 1.5 吨"),
    ("服装有限公司", "服装加工", (30, 110), ""),
    ("电子科技有限公司", "电子元件", (25, 90), ""),
]
COOPERATIVES = ["蔬菜种植专业合作社", "花生种植专业合作社", "生猪养殖专业合作社", "稻米专业合作社"]
SOCIAL = ["老年人协会", "红白理事会", "志愿者协会", "水晶商会", "民间文艺协会"]
