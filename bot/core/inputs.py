"""Text arriving from outside (argv, a pipe, Discord) made safe to process and to echo."""

from __future__ import annotations


def clean_text(value: str) -> str:
    """Undecodable bytes (smuggled as surrogate escapes) and lone surrogates become U+FFFD.

    Python hands over invalid UTF-8 from argv and pipes as surrogate escapes; JSON can carry
    lone surrogates. Either would fail, or be written back as invalid bytes, when printed.
    """
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return value
    if all(0xDC80 <= ord(c) <= 0xDCFF for c in value if 0xD800 <= ord(c) <= 0xDFFF):
        # Only surrogate escapes: recover the original bytes, then decode them leniently.
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
