"""Uploading and downloading a case's attachments."""

from django.http import FileResponse
from ninja import File, Status
from ninja.files import UploadedFile

from zhili.cases import selectors, services
from zhili.cases.api.outputs import attachment_out
from zhili.cases.api.router import ERRORS, cases_router
from zhili.cases.api.schemas import AttachmentOut
from zhili.core.errors import NotFound
from zhili.orgs.auth import StaffRequest


@cases_router.post("/cases/{case_no}/attachments", response={201: list[AttachmentOut], **ERRORS})
def case_attach(request: StaffRequest, case_no: str, file: File[list[UploadedFile]]) -> Status:
    """上传附件（字段名 file，可多个）；类型按文件内容判断。"""
    case = selectors.case_get(user=request.user, case_no=case_no)
    added = services.case_attach(actor=request.user, case=case, files=file)
    return Status(201, [attachment_out(a, case.case_no) for a in added])


@cases_router.get(
    "/cases/{case_no}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "附件文件"}}},
)
def case_attachment_download(
    request: StaffRequest, case_no: str, attachment_id: int
) -> FileResponse:
    case = selectors.case_get(user=request.user, case_no=case_no)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("附件不存在")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
