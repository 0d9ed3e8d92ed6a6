"""The people register's import and export pages (导入、导出): the upload page of the import
kind `people` (the job's progress and report are the import framework's pages) and the
XLSX export of the list, masked unless a permitted user asks."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhili.core.errors import DomainError, Forbidden
from zhili.core.pages import forbidden
from zhili.core.roles import Action
from zhili.core.xlsx import XLSX
from zhili.imports.views import template_response, upload_page
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.registers import exports
from zhili.registers.imports import EXAMPLE_NAME, PEOPLE
from zhili.registers.views import may_read


@requires(Action.REGISTERS_EDIT)
@require_http_methods(["GET", "POST"])
def people_import(request: StaffRequest) -> HttpResponse:
    return upload_page(
        request,
        PEOPLE,
        intro="将网格采集的实有人口按模板整理成 Excel 后批量登记，只能导入您管辖范围内的网格",
        again="身份证号码已登记的人员跳过、不修改，重复上传同一文件不会新增任何人员",
        example_note=f"姓名为“{EXAMPLE_NAME}”的示例行不导入。",
        template_url="registers:people_import_template",
    )


@requires(Action.REGISTERS_EDIT)
@require_GET
def people_import_template(request: StaffRequest) -> HttpResponse:
    return template_response(PEOPLE)


@login_required
@require_GET
def people_export(request: StaffRequest) -> HttpResponseBase:
    """The list's filters as the list page takes them; ``unmasked=1`` asks for full numbers."""
    if not may_read(request):
        return forbidden(request)
    unmasked = request.GET.get("unmasked") == "1"
    try:
        out, _count = exports.people_export(
            user=request.user,
            grid=request.GET.get("grid", "").strip()[:40],
            role=request.GET.get("role", "").strip()[:20],
            q=request.GET.get("q", "").strip()[:60],
            unmasked=unmasked,
        )
    except Forbidden as exc:
        return forbidden(request, exc.message)
    except DomainError as exc:
        back = f"{reverse('registers:people')}?{request.GET.urlencode()}"
        context = {"message": exc.message, "back_url": back, "back_label": "返回实有人口"}
        return render(request, "imports/export_refused.html", context, status=422)
    filename = exports.export_filename(unmasked=unmasked)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)
