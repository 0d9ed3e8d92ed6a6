"""Third-party apps under the names the admin shows; their models' names are translated in
zhili/core/locale. INSTALLED_APPS lists these configs in place of the packages' own."""

from axes.apps import AppConfig as AxesAppConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "登录防护"


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = "后台任务"
