"""JSON lines read exactly as `khabar analyze --jsonl` reads them (cli/main.c,
cli_lines and cli_each_line), so that every record gets the CLI's output
line and line number.

A line is numbered whether or not it is blank; its line end (any run of
\\n and \\r) is cut off; a line of spaces and tabs carries no record.  A
UTF-8 byte-order mark at the start of the stream is skipped.  A line that
is not UTF-8 is converted from the encoding detected for it (the first
encoding told is tried first on later lines, as the CLI does: a short line
says too little on its own); one that cannot be converted gives an error
record.  A stream that starts with a UTF-16 byte-order mark is converted
whole, then split.
"""
import json

from . import Error, _decode, _lib, _options, _utf8

_UTF8_BOM = b"\xef\xbb\xbf"


def _is_utf8(line):
    if line.isascii():
        return True
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


class LineDecoder:
    """Per-line conversion to UTF-8, keeping the stream's encoding."""

    def __init__(self):
        self.stream_encoding = None

    def convert(self, line):
        """(utf8_line, encoding converted from or None, khabar error or None)."""
        if _is_utf8(line):
            return line, None, None
        name = self.stream_encoding
        st, out, used, err = _decode(line, name)
        if st != _lib.OK and name:  # the stream's encoding does not fit this line
            st, out, used, err = _decode(line, None)
        if st == _lib.ERROR_UTF8:
            return line, None, None
        if st != _lib.OK:
            return line, None, err
        if used == "utf-8":
            return out, None, None
        self.stream_encoding = used
        return out, used, None


def _blank(line):
    return not line.strip(b" \t")


def records(raw_lines, first_lineno=1, stream_start=True):
    """(line number, UTF-8 line, encoding converted from or None, error or
    None) for every line of raw_lines (bytes or str, line ends included or
    not) that carries a record."""
    decoder = LineDecoder()
    lineno = first_lineno - 1
    it = iter(raw_lines)
    if stream_start:
        for raw in it:
            raw = _utf8(raw, "a line")
            if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
                yield from _whole(raw + b"".join(_utf8(r, "a line") for r in it))
                return
            if raw.startswith(_UTF8_BOM):
                raw = raw[3:]
            lineno += 1
            line = raw.rstrip(b"\r\n")
            if not _blank(line):
                yield (lineno,) + decoder.convert(line)
            break
    for raw in it:
        lineno += 1
        line = _utf8(raw, "a line").rstrip(b"\r\n")
        if not _blank(line):
            yield (lineno,) + decoder.convert(line)


def _whole(data):
    """A UTF-16 stream: converted whole, then split into lines."""
    st, text, used, err = _decode(data)
    if st == _lib.ERROR_UTF8 or (st == _lib.OK and used == "utf-8"):
        text, used = data, None
    elif st != _lib.OK:
        raise Error._from(err)
    pieces = text.split(b"\n")
    if pieces and not pieces[-1]:
        pieces.pop()
    encoding = used.encode() if used else None
    for lineno, line in enumerate(pieces, 1):
        line = line.rstrip(b"\r")
        if not _blank(line):
            yield lineno, line, encoding, None


def _encoding_bytes(encoding):
    return encoding.encode() if isinstance(encoding, str) else encoding


def output_lines(analyzer, raw_lines, *, first_lineno=1, stream_start=True, tokens=False, skip=(),
                 summary=3, date=None, replace_invalid=False, max_bytes=None):
    """(output line as bytes, failed?) for every record of raw_lines, as
    `khabar analyze --jsonl` writes them."""
    opts = _options(date=date, skip=skip, summary=summary, replace_invalid=replace_invalid,
                    max_bytes=max_bytes)
    flags = _lib.JSON_TOKENS if tokens else 0
    for lineno, line, encoding, undecoded in records(raw_lines, first_lineno, stream_start):
        analyzer._take()
        try:
            out = analyzer._record_line(opts, lineno, line, _encoding_bytes(encoding), undecoded, flags)
        finally:
            analyzer._busy.release()
        yield out


def jsonl(analyzer, lines, *, parse=False, **kwargs):
    for out, _failed in output_lines(analyzer, lines, **kwargs):
        yield json.loads(out) if parse else out.decode("utf-8")


__all__ = ["records", "output_lines", "jsonl", "LineDecoder"]
