"""Small files of each accepted type, and the forgeries an upload must refuse."""
import struct
import zlib


def _png() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data
                                + struct.pack(">I", zlib.crc32(kind + data)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) \
        + chunk(b"IEND", b"")


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
PNG = _png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x21" + b"\x00" * 33 + b"\xff\xfb\x90\x64" + b"\x00" * 400
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413
M4A = struct.pack(">I", 24) + b"ftypM4A \x00\x00\x02\x00M4A isom" + struct.pack(">I", 8) + b"free" + b"\x00" * 64
MP4_ISOM = struct.pack(">I", 20) + b"ftypisom\x00\x00\x02\x00mp41" + b"\x00" * 64
MP42 = struct.pack(">I", 20) + b"ftypmp42\x00\x00\x00\x00mp42" + b"\x00" * 64

HTML_AS_PDF = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20 + b"doc.pdf" + zlib.compress(b"%PDF-1.4")
# A zip whose header declares 4 GiB unpacked from a few bytes: the shape of a zip bomb.
ZIP_BOMB = (b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00" + struct.pack("<I", 0)
            + struct.pack("<II", 32, 0xFFFFFFFF) + struct.pack("<HH", 8, 0) + b"bomb.txt" + b"\x00" * 32)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 20
MP3_BAD_LAYER = b"\xff\xff\x90\x64" + b"\x00" * 60  # layer I, not an MP3
ID3_BAD_SIZE = b"ID3\x04\x00\x00\x80\x80\x80\x80" + b"\x00" * 60
