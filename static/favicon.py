#!/usr/bin/env python3
"""Draws favicon.ico (16, 32 and 48 px) from the shapes of favicon.svg, with no library:
browsers that ask for /favicon.ico, or do not read SVG icons, get the same sun.
Run from this folder: python3 favicon.py"""
import math, struct, zlib

BLUE, SUN = (0x1F, 0x6F, 0xEB), (0xFF, 0xD3, 0x3D)
RAYS = [(16, 3.5, 16, 6.5), (16, 25.5, 16, 28.5), (3.5, 16, 6.5, 16), (25.5, 16, 28.5, 16),
        (7.2, 7.2, 9.3, 9.3), (22.7, 22.7, 24.8, 24.8), (7.2, 24.8, 9.3, 22.7), (22.7, 9.3, 24.8, 7.2)]

def inside_rounded_square(x, y, radius=7.0):
    cx, cy = min(max(x, radius), 32 - radius), min(max(y, radius), 32 - radius)
    return 0 <= x <= 32 and 0 <= y <= 32 and (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2

def on_ray(x, y, half_width=1.1):
    for x1, y1, x2, y2 in RAYS:
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        if math.hypot(x - x1 - t * dx, y - y1 - t * dy) <= half_width:
            return True
    return False

def pixel(px, py, size, samples=4):
    """Red, green, blue, alpha of one pixel, averaged over samples × samples points."""
    total = [0.0, 0.0, 0.0, 0.0]
    for sy in range(samples):
        for sx in range(samples):
            x = (px + (sx + 0.5) / samples) * 32 / size
            y = (py + (sy + 0.5) / samples) * 32 / size
            if not inside_rounded_square(x, y):
                continue
            sun = math.hypot(x - 16, y - 16) <= 6 or on_ray(x, y)
            colour = SUN if sun else BLUE
            for i in range(3):
                total[i] += colour[i]
            total[3] += 255
    covered = total[3] / 255
    if covered == 0:
        return (0, 0, 0, 0)
    return tuple(round(total[i] / covered) for i in range(3)) + (round(total[3] / samples ** 2),)

def png(size):
    rows = b"".join(b"\0" + bytes(c for x in range(size) for c in pixel(x, y, size)) for y in range(size))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")

images = [(size, png(size)) for size in (16, 32, 48)]
directory, offset = b"", 6 + 16 * len(images)
for size, data in images:
    directory += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(data), offset)
    offset += len(data)
with open("favicon.ico", "wb") as out:
    out.write(struct.pack("<HHH", 0, 1, len(images)) + directory + b"".join(data for _, data in images))
