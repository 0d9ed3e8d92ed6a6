"""QR codes for printed pages, as inline SVG (segno: pure Python, no image library, sharp at
any print resolution)."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, title: str = "") -> SafeString:
    """An ``<svg>`` (sized by its viewBox: the page's CSS gives it its size) encoding `data`,
    with error correction M, which survives a smudged or folded receipt."""
    code = segno.make(data, error="m", micro=False)
    # segno writes its own markup and escapes the title.
    return mark_safe(code.svg_inline(omitsize=True, border=2, title=title or None))  # noqa: S308
