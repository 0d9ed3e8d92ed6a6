"""The column layout of the historical work-order template (历史工单导入模板).

One table, one row per work order, the headers in the first row (matched by name, so the
order of the columns does not matter and extra columns are ignored). docs/imports.md
describes the same layout; the template's notes sheet is generated from `COLUMNS`.
"""

from datetime import datetime

from zhili.cases.models import Channel, Urgency
from zhili.imports.kinds import Column

_EXAMPLE_TIME = datetime(2025, 3, 1, 9, 30)
_EXAMPLE_CLOSED = datetime(2025, 3, 4, 16, 0)
CHANNEL_LABELS = "、".join(label for _code, label in Channel.choices)
URGENCY_LABELS = "、".join(label for _code, label in Urgency.choices)

COLUMNS: list[Column] = [
    Column("原工单编号", "external_id", True, "原系统中的工单编号，同一来源渠道内不得重复；再次导入同一文件时据此跳过已导入的工单", "12345-20250301-0001", 22),
    Column("来源渠道", "channel", True, f"填写以下之一：{CHANNEL_LABELS}", "12345热线"),
    Column("受理时间", "registered_at", True, "Excel 日期时间单元格，或文本 2025-03-01 09:30（可带秒），不得晚于导入时", _EXAMPLE_TIME, 18),
    Column("事项分类编码", "category", True, "派单目录中的分类编码（见“事项分类”页），须为启用中的分类", "HJ01"),
    Column("标题", "title", True, "不超过200字", "夜间施工噪音扰民", 24),
    Column("诉求内容", "description", True, "群众反映的具体问题", "小区旁工地夜间施工，噪音很大，影响休息", 40),
    Column("紧急程度", "urgency", False, f"{URGENCY_LABELS}；不填则按事项分类的默认紧急程度", "一般", 10),
    Column("地址", "address", "无经纬度时必填", "不超过300字", "东海县牛山街道和平路18号", 30),
    Column("纬度", "lat", "与经度同时填写", "十进制度数，如 34.5421；有经纬度时按网格自动分拨", 34.5421, 12),
    Column("经度", "lng", "与纬度同时填写", "十进制度数，如 118.7713", 118.7713, 12),
    Column("诉求人", "reporter_name", False, "不超过50字", "王先生", 10),
    Column("联系电话", "reporter_phone", False, "手机11位，或带区号的固定电话（如 0518-87654321）", "13912345678", 16),
    Column("办理结果", "reply", "有办结时间时必填", "已办结工单的办理结果（答复内容）", "已责令施工单位停止夜间施工，群众表示认可", 36),
    Column("办结时间", "closed_at", False, "已办结的填写，格式同受理时间，不得早于受理时间；填写后工单以“已办结”状态导入，不填则以“已受理”状态进入待派单", _EXAMPLE_CLOSED, 18),
]  # fmt: skip

BY_HEADER = {column.header: column for column in COLUMNS}
REQUIRED_HEADERS = [c.header for c in COLUMNS if c.required is True]
HEADER = {column.key: column.header for column in COLUMNS}

SHEET_NAME = "工单"
NOTES_SHEET = "填写说明"
CATEGORY_SHEET = "事项分类"

# The channel and urgency cells take the Chinese label or the code.
CHANNELS: dict[str, str] = {
    **{code: code for code in Channel.values},
    **{label: code for code, label in Channel.choices},
}
URGENCIES: dict[str, str] = {
    **{code: code for code in Urgency.values},
    **{label: code for code, label in Urgency.choices},
}
