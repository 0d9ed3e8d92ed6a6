from django.core.management.base import CommandError

from zhili.cases.models import Category
from zhili.core.management.subcommands import SubcommandCommand
from zhili.integrations.models import PushChannel, PushSource
from zhili.integrations.services import pushsource_create, pushsource_rotate


class Command(SubcommandCommand):
    help = "Create, rotate the secret of, or list the push sources (12345, 110, 数字城管, 信访)."

    def add_subcommands(self, sub):
        create = sub.add_parser("create", help="create a channel's source and print its secret")
        create.add_argument("--channel", required=True, choices=PushChannel.values)
        create.add_argument("--name", required=True, help="the pushing platform")
        create.add_argument("--callback-url", default="", help="where replies are POSTed")
        create.add_argument("--fallback", default="", help="catalog code for unmapped texts")
        create.add_argument("--tolerance", type=int, default=300, help="timestamp tolerance, s")
        rotate = sub.add_parser("rotate", help="a new secret for a channel, printed once")
        rotate.add_argument("--channel", required=True, choices=PushChannel.values)
        sub.add_parser("list", help="list the sources (secrets masked)")

    def _create(self, *, channel, name, callback_url, fallback, tolerance, **options):
        category = None
        if fallback:
            category = Category.objects.filter(code=fallback, is_active=True).first()
            if category is None:
                raise CommandError(f"没有编码为 {fallback} 的启用分类")
        source, secret = pushsource_create(
            actor=None,
            channel=channel,
            name=name,
            callback_url=callback_url,
            fallback_category=category,
            tolerance_seconds=tolerance,
        )
        self.stdout.write(f"{secret}\n")
        self.stderr.write(f"已为{source.get_channel_display()}创建推送来源；签名密钥只显示这一次。")

    def _rotate(self, *, channel, **options):
        source = PushSource.objects.filter(channel=channel).first()
        if source is None:
            raise CommandError(f"渠道 {channel} 尚未配置推送来源")
        _source, secret = pushsource_rotate(actor=None, source=source)
        self.stdout.write(f"{secret}\n")
        self.stderr.write("已更换签名密钥，旧密钥立即失效；新密钥只显示这一次。")

    def _list(self, **options):
        for source in PushSource.objects.select_related("fallback_category"):
            state = "启用" if source.is_active else "停用"
            fallback = source.fallback_category.code if source.fallback_category else "—"
            self.stdout.write(
                f"{source.channel:<16} {state}  {source.secret_masked}  "
                f"{source.tolerance_seconds}s  {source.default_urgency:<9} {fallback:<6} "
                f"{source.callback_url or '—'}  {source.name}"
            )
