"""The people register's export page (导出Excel): the list's filters, masked unless a
permitted user asks for full numbers (zhili/registers/exports.py). The import pages are the
import framework's (zhili/imports/views.py, kind `people`)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from zhili.core.errors import DomainError, Forbidden
from zhili.core.pages import error_page, forbidden
from zhili.core.xlsx import XLSX
from zhili.orgs.auth import StaffRequest
from zhili.registers import exports
from zhili.registers.views import may_read


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
    except DomainError as exc:  # too many rows, a filter refused: the message names it
        return error_page(request, 400, exc.message, title="导出Excel")
    filename = exports.export_filename(unmasked=unmasked)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)
