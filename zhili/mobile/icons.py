"""Draws the app icons (a grid with a location pin) without an imaging library.

Run `python -m zhili.mobile.icons` after changing the design; the PNGs and the SVG are kept
in static/mobile/icons/. The PNGs are full-bleed squares with the drawing inside the middle
60 %, so that they also serve as "maskable" icons (Android crops them to a circle).
"""

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).parent / "static" / "mobile" / "icons"
BLUE = (13, 59, 122)
WHITE = (255, 255, 255)
ORANGE = (255, 143, 0)
GRID = (0.27, 0.73)  # the grid square, in units of the icon's side
LINE = 0.032
PIN = (0.5, 0.45, 0.12)  # centre x, centre y, radius of the pin's head
PIN_TIP = 0.69


def _in_pin(x: float, y: float) -> str | None:
    cx, cy, r = PIN
    d = math.hypot(x - cx, y - cy)
    if d <= r * 0.42:
        return "hole"
    if d <= r:
        return "pin"
    # The point of the pin: a triangle from the head's tangents down to the tip.
    if cy <= y <= PIN_TIP:
        half = r * (PIN_TIP - y) / (PIN_TIP - cy) * 0.92
        if abs(x - cx) <= half:
            return "pin"
    return None


def _on_grid(x: float, y: float) -> bool:
    lo, hi = GRID
    if not (lo - LINE / 2 <= x <= hi + LINE / 2 and lo - LINE / 2 <= y <= hi + LINE / 2):
        return False
    lines = [lo + (hi - lo) * i / 3 for i in range(4)]
    return any(abs(x - v) <= LINE / 2 for v in lines) or any(abs(y - v) <= LINE / 2 for v in lines)


def colour(x: float, y: float) -> tuple[int, int, int]:
    pin = _in_pin(x, y)
    if pin == "pin":
        return ORANGE
    if pin == "hole" or _on_grid(x, y):
        return WHITE
    return BLUE


def render(size: int, samples: int = 3) -> bytes:
    rows = []
    step = 1 / (size * samples)
    for py in range(size):
        row = bytearray(b"\x00")  # filter: none
        for px in range(size):
            acc = [0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    c = colour((px * samples + sx + 0.5) * step, (py * samples + sy + 0.5) * step)
                    acc[0] += c[0]
                    acc[1] += c[1]
                    acc[2] += c[2]
            n = samples * samples
            row += bytes((acc[0] // n, acc[1] // n, acc[2] // n))
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def svg() -> str:
    lo, hi = (v * 512 for v in GRID)
    lines = [lo + (hi - lo) * i / 3 for i in range(4)]
    grid = "".join(
        f'<line x1="{v:.1f}" y1="{lo:.1f}" x2="{v:.1f}" y2="{hi:.1f}"/>'
        f'<line x1="{lo:.1f}" y1="{v:.1f}" x2="{hi:.1f}" y2="{v:.1f}"/>'
        for v in lines
    )
    cx, cy, r = (v * 512 for v in PIN)
    tip = PIN_TIP * 512
    half = r * 0.92
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        '<rect width="512" height="512" rx="96" fill="#0d3b7a"/>'
        f'<g stroke="#fff" stroke-width="{LINE * 512:.1f}" stroke-linecap="square">{grid}</g>'
        f'<path d="M{cx - half:.1f} {cy:.1f}L{cx:.1f} {tip:.1f}L{cx + half:.1f} {cy:.1f}Z" '
        'fill="#ff8f00"/>'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#ff8f00"/>'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r * 0.42:.1f}" fill="#fff"/>'
        "</svg>\n"
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg())
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(render(size))


if __name__ == "__main__":
    main()
