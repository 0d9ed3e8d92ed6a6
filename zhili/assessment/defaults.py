"""The default indicator scheme (默认考核指标体系) a year starts from: 100 points in three
scored catalogs (in each, the items of a rank group add up to the catalog's weight), a
negative list that takes off at most 20, a bonus of at most 5, and the veto events. The
county edits it in the admin (zhili/assessment/admin.py).

A scheme is the year's document: a change here is the default of the years whose scheme is
made after it (`services.scheme_create_default` leaves an existing scheme as it is). A year
already under way takes a new item only by the admin, with the maxima of its catalog
lowered to keep the weight."""

from typing import Any

T, D = "township", "department"
BOTH = [T, D]

# (code, name, kind, weight, [items]); an item is
# (code, name, max, formula, params, source, metric or "", groups)
CATALOGS: list[tuple[str, str, str, int, list[tuple[Any, ...]]]] = [
    (
        "cases",
        "工单办理质效",
        "score",
        60,
        [
            (
                "ack_rate",
                "及时签收率",
                15,
                "rate_band",
                {"floor": 85, "per_point": 1},
                "事件工单：单位办理质效",
                "ack_rate",
                BOTH,
            ),
            (
                "close_rate",
                "按时办结率",
                25,
                "rate_band",
                {"floor": 75, "per_point": 1},
                "事件工单：单位办理质效",
                "close_rate",
                BOTH,
            ),
            (
                "satisfaction",
                "群众满意率",
                15,
                "threshold",
                {"threshold": 95, "per_point": 0.5},
                "事件工单：回访评价",
                "satisfaction",
                BOTH,
            ),
            (
                "return_rate",
                "退单（重复派单）率",
                5,
                "threshold",
                {"threshold": 5, "per_point": 1, "direction": "above"},
                "事件工单：退单与改派",
                "return_rate",
                BOTH,
            ),
        ],
    ),
    (
        "grassroots",
        "基层治理与办理质量",
        "score",
        20,
        [
            (
                "dispute_rate",
                "矛盾纠纷调解成功率",
                7,
                "rate_band",
                {"floor": 80, "per_point": 0.35},
                "矛盾纠纷调解：月报表口径",
                "dispute_rate",
                [T],
            ),
            (
                "visits_on_time",
                "重点人员按期走访率",
                5,
                "rate_band",
                {"floor": 80, "per_point": 0.25},
                "基础信息：重点人员走访",
                "visits_on_time",
                [T],
            ),
            # The township's own records complete (zhili/assessment/data_quality.py): all of
            # them 3, one in forty defective 1.5, one in twenty 0. Its 3 points came from
            # 重点人员按期走访率 (8 -> 5, the same band: all visited on time gives the maximum).
            (
                "data_quality",
                "基础数据质量",
                3,
                "rate_band",
                {"floor": 95, "per_point": 0.6},
                "事件登记、基础信息与走访记录的完整性",
                "data_quality",
                [T],
            ),
            (
                "safety_survey",
                "群众安全感（问卷调查）",
                5,
                "rate_band",
                {"floor": 80, "per_point": 0.25},
                "安全感调查结果（XLSX 导入）",
                "",
                [T],
            ),
            (
                "sent_back_rate",
                "回复质量（审核退回率）",
                10,
                "threshold",
                {"threshold": 3, "per_point": 1, "direction": "above"},
                "事件工单：审核退回",
                "sent_back_rate",
                [D],
            ),
            (
                "assist_rate",
                "协办按时率",
                10,
                "rate_band",
                {"floor": 80, "per_point": 0.5},
                "事件工单：协办任务",
                "assist_rate",
                [D],
            ),
        ],
    ),
    (
        "inspection",
        "督查整改与工作落实",
        "score",
        20,
        [
            (
                "rectification_on_time",
                "整改按期完成率",
                4,
                "rate_band",
                {"floor": 90, "per_point": 1},
                "督查整改：整改通知书",
                "rectification_on_time",
                BOTH,
            ),
            # 统: each plan task's monthly progress report, due by the 5th (plans.progress).
            # Few reports a month per unit, so a gentle band: all on time 4, four in five 2.
            (
                "report_on_time",
                "月度进展按时报送率",
                4,
                "rate_band",
                {"floor": 60, "per_point": 0.1},
                "年度计划：月度进展报送",
                "report_on_time",
                BOTH,
            ),
            # 分类指导: the courses the centers organize (training), each learner counted by the
            # unit that owns them; all complete by the deadline 2, nine in ten 1.
            (
                "training_completion",
                "网上培训完成率",
                2,
                "rate_band",
                {"floor": 80, "per_point": 0.1},
                "网上培训：课程完成情况",
                "training_completion",
                BOTH,
            ),
            ("field_check", "实地考核", 10, "manual", {}, "考核组实地考核（附佐证）", "", BOTH),
        ],
    ),
    (
        "negative",
        "负面清单",
        "deduction",
        20,
        [
            (
                "supervision_orders",
                "被督办",
                10,
                "per_event",
                {"per_event": -0.5},
                "督办单",
                "supervision_orders",
                BOTH,
            ),
            (
                "inspection_findings",
                "督查发现问题",
                20,
                "per_event",
                {"per_event": -1},
                "督查检查：发现问题（每个问题扣分，复查未整改加倍）",
                "",
                BOTH,
            ),
        ],
    ),
    (
        "bonus",
        "加分项",
        "bonus",
        5,
        [
            (
                "honours",
                "创新经验与表彰",
                5,
                "bonus",
                {"per_event": 1},
                "上级表彰、经验推广（附佐证）",
                "",
                BOTH,
            ),
        ],
    ),
    (
        "veto",
        "一票否决",
        "deduction",
        0,
        [
            ("veto", "一票否决", 0, "manual", {}, "一票否决审核", "", BOTH),
        ],
    ),
]

VETO_EVENTS = [
    ("mass_incident", "发生在全县有重大影响的群体性事件", True),
    ("serious_crime", "因矛盾纠纷化解不力引发命案或重大刑事案件", False),
    ("petition_failure", "重大信访事项处置不力造成越级集体访", False),
    ("data_fraud", "考核数据弄虚作假", True),
]
