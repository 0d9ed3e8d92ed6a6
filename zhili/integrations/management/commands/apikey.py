from django.core.management.base import CommandError

from zhili.cases.models import Channel
from zhili.core.management.subcommands import SubcommandCommand
from zhili.integrations.models import ApiKey
from zhili.integrations.services import apikey_create, apikey_revoke


class Command(SubcommandCommand):
    help = "Create, list or revoke the API keys of integrations (12345, 110, Open311 ...)."

    def add_subcommands(self, sub):
        create = sub.add_parser("create", help="create a key and print it once")
        create.add_argument("--channel", required=True, choices=Channel.values)
        create.add_argument("--name", required=True, help="the integrating system")
        sub.add_parser("list", help="list the keys (never the keys themselves)")
        revoke = sub.add_parser("revoke", help="revoke a key by its prefix")
        revoke.add_argument("prefix")

    def _create(self, *, channel, name, **options):
        key, raw = apikey_create(actor=None, channel=channel, name=name)
        self.stdout.write(f"{raw}\n")
        self.stderr.write(
            f"已为“{key.name}”（{key.get_channel_display()}）创建密钥；它只显示这一次。"
        )

    def _list(self, **options):
        for key in ApiKey.objects.order_by("created_at"):
            state = "已吊销" if key.revoked_at else "有效"
            self.stdout.write(f"{key.prefix}…  {key.channel:<20} {state}  {key.name}")

    def _revoke(self, *, prefix, **options):
        key = ApiKey.objects.filter(prefix=prefix).first()
        if key is None:
            raise CommandError(f"没有前缀为 {prefix} 的密钥")
        apikey_revoke(actor=None, key=key)
        self.stdout.write(f"已吊销 {key.prefix}…")
