"""The admin site's own names, and the third-party model it shows (django-tasks' task results)
with Chinese columns. App and model names are Chinese everywhere: ours in each model's Meta,
the third-party apps' in zhili/core/apps.py, their models' in zhili/core/locale."""

from datetime import datetime

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

admin.site.site_header = "东海县社会治理综合平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "数据维护"

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks' own admin (read-only), its English column titles in Chinese."""

    list_display = (
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "display_run_after",
        "priority",
        "queue_name",
    )

    @admin.display(description="任务", ordering="task_path")
    def task(self, obj: DBTaskResult) -> str:
        return obj.task_name

    @admin.display(description="错误堆栈")
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description="最早执行时间")
    def display_run_after(self, obj: DBTaskResult) -> datetime | str:
        return super().display_run_after(obj)
