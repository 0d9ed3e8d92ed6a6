"""Pages of the import (工单导入) and the case export (导出Excel).

The import page takes an upload and lists the user's recent jobs; a job's page follows its
progress by HTMX polling until it ends, then shows the result or the report of every fault.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import wraps
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from zhili.cases.forms import CaseFilterForm
from zhili.core.errors import DomainError, InvalidInput
from zhili.core.pages import forbidden, or_404
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.xlsx import XLSX
from zhili.imports import exports, selectors, services
from zhili.imports.cases import CASES
from zhili.imports.forms import UploadForm
from zhili.imports.kinds import ImportKind, kind_of
from zhili.imports.models import ImportJob
from zhili.imports.people import EXAMPLE_NAME, PEOPLE
from zhili.imports.reading import MAX_ROWS
from zhili.imports.workbooks import report_workbook, template_workbook
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

REPORT_ON_PAGE = 500  # faults listed on the page; the download has them all


@dataclass(frozen=True)
class UploadText:
    """What an import kind's upload page says of it."""

    intro: str
    again: str  # what becomes of a row uploaded again
    example_note: str
    template_url: str  # the URL name of the kind's template


CASES_TEXT = UploadText(
    intro="将其他系统的历史工单（如12345热线、数字城管的存量工单）按模板整理成 Excel 后批量导入，导入后按权责清单自动分拨",
    again="同一工单重复上传会自动跳过",
    example_note=f"原工单编号为“{services.EXAMPLE_ID}”的示例行不导入。",
    template_url="imports:template",
)
PEOPLE_TEXT = UploadText(
    intro="将网格采集的实有人口按模板整理成 Excel 后批量登记，只能导入您管辖范围内的网格",
    again="身份证号码已登记的人员跳过、不修改，重复上传同一文件不会新增任何人员",
    example_note=f"姓名为“{EXAMPLE_NAME}”的示例行不导入。",
    template_url="imports:people_import_template",
)


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _job_or_404(request: StaffRequest, pk: int) -> ImportJob:
    return or_404(selectors.job_get, user=request.user, pk=pk)


def _kind_view(view: Callable[[StaffRequest, ImportJob], HttpResponse]) -> Callable:
    """A job's page: the user's job (an administrator's: any), shown when they hold the
    upload right of its kind (403 otherwise)."""

    @login_required
    @require_GET
    @wraps(view)
    def wrapped(request: StaffRequest, pk: int) -> HttpResponse:
        job = _job_or_404(request, pk)
        if not can(request.user, kind_of(job.kind).action):
            return forbidden(request)
        return view(request, job)

    return wrapped


@requires(Action.CASES_IMPORT)
@require_http_methods(["GET", "POST"])
def index(request: StaffRequest) -> HttpResponse:
    return upload_page(request, CASES, CASES_TEXT)


def upload_page(request: StaffRequest, kind: ImportKind, text: UploadText) -> HttpResponse:
    """The upload page of an import kind (the caller checked the kind's right): the form,
    the user's recent jobs of that kind, the template's columns; a good upload goes to its
    job's page."""
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST":
        job = _uploaded(request, kind, form)
        if job is not None:
            return redirect("imports:job", pk=job.pk)
    context = {
        "form": form,
        "jobs": selectors.job_list(user=request.user, kind=kind.code)[:20],
        "columns": kind.columns,
        "max_rows_label": f"{MAX_ROWS:,}",
        "max_mb": services.MAX_BYTES // 1024 // 1024,
        "kind": kind,
        **asdict(text),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "imports/index.html", context, status=status)


def _uploaded(request: StaffRequest, kind: ImportKind, form: UploadForm) -> ImportJob | None:
    """The job of a good upload; None, with the form's errors, otherwise."""
    if not form.is_valid():
        return None
    try:
        upload = form.cleaned_data["file"]
        return services.import_job_create(actor=request.user, upload=upload, kind=kind.code)
    except DomainError as exc:
        form.add_error("file", exc.message)
        return None


@requires(Action.CASES_IMPORT)
@require_GET
def template(request: StaffRequest) -> HttpResponse:
    return template_response(CASES)


def template_response(kind: ImportKind) -> HttpResponse:
    """The blank template of `kind`, as a download (the kind's page checks the right)."""
    return _attachment(template_workbook(kind), f"{kind.template_name}.xlsx")


def _job_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "kind": kind_of(job.kind),
        "errors": job.errors[:REPORT_ON_PAGE],
        "on_page": REPORT_ON_PAGE,
    }


@_kind_view
def job(request: StaffRequest, job: ImportJob) -> HttpResponse:
    return render(request, "imports/job.html", _job_context(job))


@_kind_view
def job_progress(request: StaffRequest, job: ImportJob) -> HttpResponse:
    return render(request, "imports/_job.html", _job_context(job))


@_kind_view
def job_report(request: StaffRequest, job: ImportJob) -> HttpResponse:
    return _attachment(report_workbook(job), f"导入校验结果_{job.pk}.xlsx")


@requires(Action.REGISTERS_EDIT)
@require_http_methods(["GET", "POST"])
def people_import(request: StaffRequest) -> HttpResponse:
    return upload_page(request, PEOPLE, PEOPLE_TEXT)


@requires(Action.REGISTERS_EDIT)
@require_GET
def people_template(request: StaffRequest) -> HttpResponse:
    return template_response(PEOPLE)


@requires(Action.CASES_VIEW)
@require_GET
def export_cases(request: StaffRequest) -> HttpResponseBase:
    form = CaseFilterForm(request.GET)
    filters, queue = form.filters(request.user), form.chosen_queue()
    try:
        out, _count = exports.case_export(user=request.user, filters=filters, queue=queue)
    except InvalidInput as exc:
        query = request.GET.urlencode()
        context = {"message": exc.message, "query": query}
        return render(request, "imports/export_refused.html", context, status=422)
    return FileResponse(
        out, as_attachment=True, filename=exports.export_filename(), content_type=XLSX
    )
