"""Album art for the simulator: small, deterministic PNGs made without any imaging library.

Each ``art_id`` hashes to a palette, so every album gets its own recognisable
cover, and the same id always yields the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import struct
import zlib

from .http_types import Request, Response, json_response

logger = logging.getLogger(__name__)

MIN_SIZE = 1
MAX_SIZE = 1024
_ART_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_ART_PATH = re.compile(r"^/_sim/art/([A-Za-z0-9_-]{1,64})/(\d{1,4})\.png$")
# The picture is drawn on a coarse grid and scaled up, which keeps pure-Python
# encoding of a 640 px cover in the low milliseconds.
_GRID = 96

Rgb = tuple[int, int, int]


def is_valid_art_id(art_id: str) -> bool:
    return bool(_ART_ID.match(art_id))


def encode_png(width: int, height: int, rows: list[bytes]) -> bytes:
    """Encode 8-bit RGB rows (each ``width * 3`` bytes) as a PNG file."""
    if len(rows) != height or any(len(row) != width * 3 for row in rows):
        raise ValueError("rows do not match the image size")

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every scanline
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def _palette(art_id: str) -> tuple[Rgb, Rgb, Rgb]:
    digest = hashlib.sha256(art_id.encode("utf-8")).digest()

    def colour(offset: int) -> Rgb:
        # Keep channels away from the extremes so covers are neither black nor washed out.
        r, g, b = digest[offset : offset + 3]
        return (40 + r * 180 // 255, 40 + g * 180 // 255, 40 + b * 180 // 255)

    start = colour(0)
    # Pull the second colour towards the inverse of the first so the gradient shows.
    end = _mix(colour(3), (255 - start[0], 255 - start[1], 255 - start[2]), 0.6)
    return start, end, colour(6)


def _mix(a: Rgb, b: Rgb, t: float) -> Rgb:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _cell_colour(gx: int, gy: int, grid: int, palette: tuple[Rgb, Rgb, Rgb]) -> Rgb:
    start, end, disc = palette
    # Diagonal gradient background with a "record" disc in the middle.
    base = _mix(start, end, (gx + gy) / max(1, 2 * (grid - 1)))
    centre = (grid - 1) / 2
    dx, dy = (gx - centre) / grid, (gy - centre) / grid
    radius = (dx * dx + dy * dy) ** 0.5
    if radius < 0.04:
        return (245, 245, 245)
    if radius < 0.14:
        return disc
    if radius < 0.36 and int(radius * 60) % 3 == 0:
        return _mix(base, (20, 20, 20), 0.35)  # grooves
    return base


@functools.lru_cache(maxsize=64)
def art_png(art_id: str, size: int) -> bytes:
    """A square ``size`` x ``size`` PNG cover for ``art_id`` (cached)."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"size must be between {MIN_SIZE} and {MAX_SIZE}")
    grid = min(size, _GRID)
    palette = _palette(art_id)
    # Map every output column to its grid cell once, then build each distinct row once.
    column_cells = [x * grid // size for x in range(size)]
    grid_rows: list[bytes] = []
    for gy in range(grid):
        cells = [bytes(_cell_colour(gx, gy, grid, palette)) for gx in range(grid)]
        grid_rows.append(b"".join(cells[cx] for cx in column_cells))
    rows = [grid_rows[y * grid // size] for y in range(size)]
    return encode_png(size, size, rows)


def art_response(request: Request) -> Response | None:
    """The cover at ``/_sim/art/<id>/<size>.png``, or None for any other request."""
    art = _ART_PATH.match(request.path)
    if art is None or request.method not in ("GET", "HEAD"):
        return None
    size = int(art.group(2))
    if not MIN_SIZE <= size <= MAX_SIZE:
        return json_response(404, {"ok": False, "error": "unsupported image size"})
    cache = {"Cache-Control": "max-age=86400"}
    return Response(200, art_png(art.group(1), size), "image/png", cache)
