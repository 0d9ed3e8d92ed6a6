"""Uploaded files: the type is decided by the content, never by the name or the header."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from zhili.core.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    mime: str
    extension: str
    label: str


_SIGNATURES: list[tuple[bytes, int, Kind]] = [
    (b"\xff\xd8\xff", 0, Kind("image/jpeg", "jpg", "JPEG 图片")),
    (b"\x89PNG\r\n\x1a\n", 0, Kind("image/png", "png", "PNG 图片")),
    (b"GIF87a", 0, Kind("image/gif", "gif", "GIF 图片")),
    (b"GIF89a", 0, Kind("image/gif", "gif", "GIF 图片")),
    (b"%PDF-", 0, Kind("application/pdf", "pdf", "PDF 文档")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, Kind("application/msword", "doc", "Word/Excel 文档")),
    (b"ftyp", 4, Kind("video/mp4", "mp4", "视频")),
]
_WEBP = Kind("image/webp", "webp", "WebP 图片")
_ZIP_KINDS = {
    b"word/": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "Word 文档",
    ),
    b"xl/": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel 表格"
    ),
}
ALLOWED = "JPEG、PNG、GIF、WebP 图片，PDF、Word、Excel 文档，MP4 视频"


def sniff(head: bytes) -> Kind | None:
    for magic, offset, kind in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _WEBP
    if head[:4] == b"PK\x03\x04":
        for marker, kind in _ZIP_KINDS.items():
            if marker in head:
                return kind
    return None


def check_upload(
    upload: UploadedFile, *, field: str = "attachments", max_bytes: int = MAX_BYTES
) -> Kind:
    """The file's real type, or InvalidInput naming `field` (too large, empty or not allowed)."""
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(f"附件“{upload.name}”是空文件", field=field)
    if size > max_bytes:
        raise InvalidInput(f"附件“{upload.name}”超过 {max_bytes // 1024 // 1024} MB", field=field)
    upload.seek(0)
    head = upload.read(65536)  # enough to see the first entries of an Office zip
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise InvalidInput(f"附件“{upload.name}”的类型不受支持，仅限{ALLOWED}", field=field)
    return kind


def check_photos(photos: Sequence[UploadedFile], *, limit: int, field: str = "photos") -> None:
    """At most `limit` files, each an image by its content (a citizen's or a grid worker's
    photos of the scene); InvalidInput naming `field` otherwise."""
    if len(photos) > limit:
        raise InvalidInput(f"最多上传{limit}张照片", field=field)
    for photo in photos:
        if not check_upload(photo, field=field).mime.startswith("image/"):
            raise InvalidInput(f"“{photo.name}”不是图片，请上传 JPG 或 PNG 照片", field=field)
