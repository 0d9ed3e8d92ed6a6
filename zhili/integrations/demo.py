"""The integrations demo: the five push sources (camera alarms among them) (secrets generated and stored, never printed;
the 推送对接 page shows them masked and rotates them) and a category mapping of the texts the
platforms really send to the demo catalog (zhili/cases/demo/catalog.py). Idempotent."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhili.cases.models import Category
from zhili.integrations.models import CategoryMapping, PushChannel, PushSource
from zhili.integrations.services import pushsource_create

SOURCES = {
    PushChannel.HOTLINE: "连云港市12345政务服务便民热线",
    PushChannel.EMERGENCY: "东海县公安局110指挥中心（非警务警情分流）",
    PushChannel.CITY_MANAGEMENT: "东海县数字城管监督指挥中心",
    PushChannel.PETITION: "江苏省阳光信访信息系统",
    # Camera alarms (POST /api/v1/integrations/camera-alarms) also need an API key of the
    # channel `video`, issued on the 接口密钥 page when a box is connected.
    PushChannel.VIDEO: "东海县公安局视频智能分析平台",
}
FALLBACK = "QT01"  # 其他 › 政策咨询: no responsibility rule, the county center dispatches it

# (channel, the sender's text, demo catalog code or "" for a text not mapped yet, hits)
MAPPINGS: list[tuple[str, str, str, int]] = [
    ("hotline", "城乡建设/市政设施/路灯不亮", "SZ01", 412),
    ("hotline", "城乡建设/市政设施/道路破损", "SZ02", 236),
    ("hotline", "城乡建设/市政设施/窨井盖缺失", "SZ03", 88),
    ("hotline", "城乡建设/供水/停水", "SZ04", 301),
    ("hotline", "城乡建设/供水/水管爆裂", "SZ05", 97),
    ("hotline", "城乡建设/燃气/燃气泄漏", "SZ07", 23),
    ("hotline", "环境保护/噪声污染/建筑施工噪声", "HB02", 528),
    ("hotline", "环境保护/噪声污染/社会生活噪声", "HB01", 367),
    ("hotline", "环境保护/大气污染/餐饮油烟", "HB04", 214),
    ("hotline", "环境保护/水污染/污水直排", "HB05", 76),
    ("hotline", "劳动和社会保障/劳动关系/拖欠工资", "LD01", 689),
    ("hotline", "劳动和社会保障/社会保险/社保缴纳", "LD02", 244),
    ("hotline", "市场监管/食品安全/食品质量", "SC01", 183),
    ("hotline", "市场监管/消费维权/消费纠纷", "SC03", 455),
    ("hotline", "住房保障/物业管理/物业服务", "ZF01", 392),
    ("hotline", "住房保障/房屋质量/房屋安全", "ZF02", 58),
    ("hotline", "交通运输/公共交通/公交服务", "JT01", 131),
    ("hotline", "交通运输/道路运输/非法营运", "JT06", 44),
    ("hotline", "教育/招生考试/入学招生", "JW02", 162),
    ("hotline", "卫生健康/医疗服务/医疗服务态度", "JW04", 95),
    ("hotline", "民政/社会救助/低保", "MZ01", 140),
    ("hotline", "农业农村/惠农补贴/补贴发放", "NY01", 121),
    ("hotline", "能源/电力供应/停电", "GD01", 276),
    ("hotline", "咨询/政策咨询", "QT01", 803),
    ("hotline", "表扬/表扬感谢", "QT03", 67),
    ("hotline", "城乡建设/违法建设/违章搭建", "", 12),
    ("hotline", "文化旅游/景区管理/景区服务", "", 5),
    ("emergency", "非警务警情/噪音扰民", "HB01", 233),
    ("emergency", "非警务警情/邻里纠纷", "MD01", 187),
    ("emergency", "非警务警情/家庭纠纷", "MD02", 142),
    ("emergency", "非警务警情/劳资纠纷", "MD04", 66),
    ("emergency", "非警务警情/水电气故障", "SZ04", 91),
    ("emergency", "非警务警情/流浪乞讨人员", "MZ05", 28),
    ("emergency", "非警务警情/动物伤人", "", 9),
    ("city_management", "市容环境/暴露垃圾", "SR04", 344),
    ("city_management", "市容环境/乱堆物料", "SR01", 219),
    ("city_management", "街面秩序/占道经营", "SR02", 402),
    ("city_management", "街面秩序/违规户外广告", "SR03", 113),
    ("city_management", "宣传广告/非法小广告", "SR03", 156),
    ("city_management", "施工管理/施工扬尘", "HB08", 87),
    ("city_management", "突发事件/道路积水", "SL02", 35),
    ("city_management", "市政设施/井盖破损", "SZ03", 72),
    ("city_management", "园林绿化/绿地脏乱", "SR08", 54),
    ("petition", "城乡建设/征地拆迁", "ZF04", 96),
    ("petition", "劳动社保/拖欠工资", "LD01", 81),
    ("petition", "国土资源/土地纠纷", "GT01", 58),
    ("petition", "农村农业/村务公开", "NY03", 44),
    ("petition", "政法/涉法涉诉", "", 7),
]


def _say(stdout: Any, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


@transaction.atomic
def load(*, stdout: Any = None) -> None:
    categories = {c.code: c for c in Category.objects.all()}
    fallback = categories.get(FALLBACK)
    for channel, name in SOURCES.items():
        if PushSource.objects.filter(channel=channel).exists():
            continue
        source, _secret = pushsource_create(
            actor=None, channel=channel, name=name, fallback_category=fallback
        )
        PushSource.objects.filter(pk=source.pk).update(is_demo=True)
    now = timezone.now()
    made = 0
    for text_channel, text, code, hits in MAPPINGS:
        _row, created = CategoryMapping.objects.get_or_create(
            channel=text_channel,
            text=text,
            defaults={
                "category": categories.get(code) if code else None,
                "hit_count": hits,
                "first_seen_at": now - timedelta(days=300),
                "last_seen_at": now - timedelta(hours=hits % 97),
                "is_demo": True,
            },
        )
        made += created
    _say(
        stdout,
        f"推送来源 {PushSource.objects.count()} 个，分类映射新增 {made} 条（签名密钥请在“推送对接”页面更换后交给对接方）",
    )
