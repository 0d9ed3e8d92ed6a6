"""Django names the default permissions in English when it creates them ("Can add 事件工单"),
and the admin's group and user pages list them by that name. After every migrate, each app's
default permissions are named in Chinese instead: 添加事件工单, 修改…, 删除…, 查看…."""

from django.apps import AppConfig
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.utils import translation

ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}


def name_permissions(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """post_migrate, after django.contrib.auth has created the app's permissions."""
    from django.contrib.auth.models import Permission

    with translation.override(settings.LANGUAGE_CODE):
        for model in sender.get_models():
            opts = model._meta
            names = {
                f"{action}_{opts.model_name}": f"{verb}{opts.verbose_name}"
                for action, verb in ACTIONS.items()
            }
            rows = Permission.objects.using(using).filter(
                content_type__app_label=opts.app_label,
                content_type__model=opts.model_name,
                codename__in=names,
            )
            for permission in rows:
                if permission.name != names[permission.codename]:
                    permission.name = names[permission.codename]
                    permission.save(using=using, update_fields=["name"])
