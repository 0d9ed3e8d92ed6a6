"""A stored file answered with HTTP range requests (RFC 9110 §14): what a browser's video
player needs to start from the middle and to find an MP4's `moov` at the end of the file.
One range per request (players ask for one); anything else is the whole file."""

import re
from collections.abc import Iterator

from django.core.files import File
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK = 256 * 1024


def _chunks(handle: File, start: int, length: int) -> Iterator[bytes]:
    handle.seek(start)
    left = length
    try:
        while left > 0:
            data = handle.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data
    finally:
        handle.close()


def ranged_file(
    request: HttpRequest, handle: File, size: int, content_type: str
) -> HttpResponseBase:
    """`handle` (open, `size` bytes) as a whole (200) or the one range asked for (206; 416
    when it is outside the file)."""
    match = _RANGE.fullmatch(request.headers.get("Range", "").strip())
    if match is None or not (match[1] or match[2]):
        whole = FileResponse(handle, content_type=content_type)
        whole["Accept-Ranges"] = "bytes"
        return whole
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:  # the last N bytes
        start, end = max(0, size - int(match[2])), size - 1
    if start >= size or end < start:
        handle.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    response = StreamingHttpResponse(
        _chunks(handle, start, end - start + 1), status=206, content_type=content_type
    )
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response
