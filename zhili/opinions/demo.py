"""`zhili demo` for 舆情: items the county center's staff found online over the last week,
registered and some answered through the services, as they would be. Run once (the links)."""

import time
from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from zhili.core.roles import Role
from zhili.opinions.models import Opinion
from zhili.opinions.services import OpinionInput, opinion_register, opinion_respond
from zhili.orgs.models import Level, Organization, User

# (hours ago, title, summary, source, heat, views, township index or None, response or "")
ITEMS = [
    (
        150,
        "网传某小区停水三天物业不回应",
        "本地论坛帖子称小区连续停水三天，物业电话无人接听。",
        "forum",
        "medium",
        3400,
        0,
        "已协调水务公司抢修管网，当日恢复供水，在帖子下发布情况说明。",
    ),
    (
        100,
        "短视频称工地拖欠农民工工资",
        "抖音视频反映某工地拖欠十余名工人工资，评论区情绪激动。",
        "short_video",
        "high",
        28600,
        1,
        "人社局劳动监察大队当日介入，督促总包单位先行垫付工资，已在同一平台发布处置通报。",
    ),
    (
        60,
        "网友反映学校门口早高峰拥堵",
        "微博图片反映某小学门口早高峰车辆乱停、接送拥堵。",
        "weibo",
        "low",
        900,
        0,
        "",
    ),
    (
        30,
        "网传河道出现死鱼",
        "微信群转发河道死鱼照片，称有企业偷排。",
        "wechat",
        "high",
        12000,
        2,
        "生态环境局现场取样检测，系局部缺氧所致，检测结果已向社会公布。",
    ),
    (
        8,
        "自媒体称夜市油烟扰民",
        "公众号文章称夜市油烟、噪音影响周边居民休息。",
        "wechat",
        "medium",
        5200,
        None,
        "",
    ),
]


def load(*, stdout: TextIO) -> None:
    started = time.monotonic()
    if Opinion.objects.exists():
        stdout.write("舆情：演示数据已存在，跳过\n")
        return
    staff = User.objects.filter(groups__name=Role.DISPATCHER, organization__level="county").first()
    townships = list(
        Organization.objects.filter(level=Level.TOWNSHIP, kind="center").order_by("code")[:3]
    )
    if staff is None or len(townships) < 3:
        stdout.write("舆情：缺少演示组织或账号，跳过\n")
        return
    now = timezone.now()
    for n, (hours, title, summary, source, heat, views, place, response) in enumerate(ITEMS, 1):
        opinion = opinion_register(
            actor=staff,
            data=OpinionInput(
                title=title,
                summary=summary,
                source=source,
                url=f"https://example.cn/post/{n}",
                heat=heat,
                views=views,
                found_at=now - timedelta(hours=hours),
                place=townships[place].code if place is not None else "",
            ),
        )
        if response:
            opinion_respond(actor=staff, opinion=opinion, response=response)
    stdout.write(f"舆情：登记 {len(ITEMS)} 条（{time.monotonic() - started:.1f} 秒）\n")
