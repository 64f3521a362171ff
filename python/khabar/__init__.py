"""khabar (خبر): raw Arabic news articles in, clean structured JSON out.

Python bindings over libkhabar (the C library of this project), through
ctypes: no compiler is needed at import time.  The library is found in a
built source tree (build/libkhabar.so beside python/), at $KHABAR_LIBRARY,
or where it was installed (cmake --install; then ldconfig).

    import khabar
    an = khabar.Analyzer()                    # one per thread
    doc = an.analyze(text, title="...", date="2021-07-12")
    doc["entities"], doc["quotes"], doc["summary"]

The model (the lexicons compiled into the library) is loaded once per
process and shared by every Analyzer.  The GIL is released while the
library works, so analyzers on several threads use several cores.
Failures raise khabar.Error, with .code (e.g. "invalid_utf8"), .message
and .offset (a byte offset into the input).
"""
import ctypes
import datetime
import json
import threading

from . import _lib

__version__ = "0.1.0"

__all__ = [
    "Analyzer", "Archive", "Error", "analyze", "analyze_jsonl", "extract_html", "normalize", "segment", "stem",
    "library_version", "library_path", "FOLD_NFKC", "FOLD_DIACRITICS", "FOLD_TATWEEL", "FOLD_ALEF",
    "FOLD_YEH", "FOLD_DIGITS", "FOLD_ALL", "FOLD_HAMZA_SEAT", "SKIP_NAMES",
]

#: The version of the loaded libkhabar, and the file it was loaded from.
library_version = _lib.version().decode()
library_path = _lib.path

FOLD_NFKC = 1 << 0        #: presentation forms (ﻻ ﷲ ﺏ) to plain letters
FOLD_DIACRITICS = 1 << 1  #: remove harakat, shadda, sukun, dagger alef
FOLD_TATWEEL = 1 << 2     #: remove tatweel (ـ)
FOLD_ALEF = 1 << 3        #: أ إ آ ٱ to ا
FOLD_YEH = 1 << 4         #: ى to ي
FOLD_DIGITS = 1 << 5      #: Arabic-Indic and Persian digits, ٬ ٫ to ASCII
FOLD_ALL = 0x3F
FOLD_HAMZA_SEAT = 1 << 6  #: ئ to ي, ؤ to و (not in FOLD_ALL)

#: Analyses that ``skip=`` can leave out ("all" leaves the structure alone).
SKIP_NAMES = tuple(_lib.SKIP_BITS)


class Error(Exception):
    """A failure reported by libkhabar.

    Attributes: ``code``, the status's short name ("invalid_utf8",
    "empty", "invalid_encoding", ...); ``message``, an English sentence; ``offset``,
    the byte offset in the input the error refers to (0 when none).
    """

    def __init__(self, code, message, offset=0):
        super().__init__("%s (%s, byte %d)" % (message, code, offset))
        self.code = code
        self.message = message
        self.offset = offset

    @classmethod
    def _from(cls, err):
        return cls(_lib.status_name(err.code).decode(), err.message.decode("utf-8", "replace"), err.offset)


def _check(status, err):
    if status != _lib.OK:
        raise Error._from(err)


_model = None
_model_lock = threading.Lock()


def _shared_model():
    """The process's model, loaded on first use.  It is never freed: every
    analyzer borrows it, and it lives as long as the process."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                model = ctypes.c_void_p()
                err = _lib.Error()
                _check(_lib.model_new(ctypes.byref(model), ctypes.byref(err)), err)
                _model = model
    return _model


def _utf8(text, what="text"):
    if isinstance(text, str):
        # surrogateescape gives back the bytes of a file read with
        # errors="surrogateescape", so bad bytes are reported where they are.
        return text.encode("utf-8", "surrogateescape")
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text)
    raise TypeError("khabar: %s must be str or bytes, not %s" % (what, type(text).__name__))


def _skip_bits(skip):
    if isinstance(skip, str):
        skip = skip.split(",") if skip else ()
    bits = 0
    for name in skip:
        if name not in _lib.SKIP_BITS:
            raise ValueError("khabar: unknown analysis %r to skip (one of %s)" % (name, ", ".join(SKIP_NAMES)))
        bits |= _lib.SKIP_BITS[name]
    return bits


def _date_bytes(date):
    if date is None:
        return None
    if isinstance(date, (datetime.date, datetime.datetime)):
        date = date.strftime("%Y-%m-%d")
    if not isinstance(date, str) or len(date) != 10 or date[4] != "-" or date[7] != "-":
        raise ValueError("khabar: date needs YYYY-MM-DD, not %r" % (date,))
    return date.encode()


def _options(*, date=None, skip=(), summary=3, replace_invalid=False, max_bytes=None):
    """A khabar_options with the settings common to every analysis."""
    if not isinstance(summary, int) or not 1 <= summary <= 64:
        raise ValueError("khabar: summary needs a number from 1 to 64")
    if max_bytes is not None and (not isinstance(max_bytes, int) or max_bytes <= 0):
        raise ValueError("khabar: max_bytes needs a positive number")
    opts = _lib.Options()
    opts.flags = _lib.OPTION_REPLACE_INVALID if replace_invalid else 0
    opts.max_bytes = max_bytes or 0
    opts.date = _date_bytes(date)
    opts.skip = _skip_bits(skip)
    opts.summary_sentences = summary
    return opts


def _decode(data, encoding=None):
    """khabar_decode: (status, utf8_bytes, name of the encoding read, error)."""
    out = ctypes.c_void_p()
    out_len = ctypes.c_size_t()
    used = ctypes.c_char_p()
    err = _lib.Error()
    st = _lib.decode(data, len(data), encoding.encode() if encoding else None, ctypes.byref(out),
                     ctypes.byref(out_len), ctypes.byref(used), ctypes.byref(err))
    if st != _lib.OK:
        return st, None, None, err
    try:
        text = ctypes.string_at(out.value, out_len.value) if out_len.value else b""
    finally:
        _lib.free(out)
    return st, text, used.value.decode(), err


def _as_utf8(data, encoding=None, replace_invalid=False):
    """Bytes of unknown encoding to UTF-8, as `khabar analyze` reads a file
    (cli_decode): (utf8_bytes, encoding converted from or None).  UTF-8
    stays as given (offsets count a byte-order mark); damaged UTF-8, or
    with replace_invalid bytes whose encoding cannot be told, are kept as
    they are, for the analysis to report (or replace)."""
    if encoding and encoding.lower() in ("utf-8", "utf8"):
        return data, None
    st, text, used, err = _decode(data, encoding)
    if st == _lib.ERROR_UTF8 or (st != _lib.OK and replace_invalid):
        return data, None
    _check(st, err)
    return (data, None) if used == "utf-8" else (text, used)


class Analyzer:
    """Analyses articles.  Holds scratch memory and caches: make one per
    thread (an Analyzer used by two threads at once raises RuntimeError).
    Every Analyzer of a process shares one model, loaded on first use."""

    def __init__(self):
        self._ptr = ctypes.c_void_p()
        err = _lib.Error()
        _check(_lib.analyzer_new(_shared_model(), ctypes.byref(self._ptr), ctypes.byref(err)), err)
        self._busy = threading.Lock()

    def close(self):
        """Releases the analyzer's memory now (else when it is collected)."""
        if self._ptr:
            _lib.analyzer_free(self._ptr)
            self._ptr = ctypes.c_void_p()

    def __del__(self):
        if getattr(self, "_ptr", None):
            _lib.analyzer_free(self._ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _take(self):
        if not self._ptr:
            raise ValueError("khabar: the Analyzer is closed")
        if not self._busy.acquire(blocking=False):
            raise RuntimeError("khabar: an Analyzer is not shared between threads: make one per thread")

    def analyze(self, text, *, title=None, date=None, html=False, skip=(), tokens=False, summary=3,
                url=None, encoding=None, replace_invalid=False, max_bytes=None):
        """Analyses one article and returns its JSON as a dict (docs/json.md):
        "title", "blocks", "sentences", "repairs", "quantities", "dates",
        "duplicates", "mentions", "entities", "quotes", "tags", "summary",
        and "tokens" when ``tokens`` is true.  The same content as
        ``khabar analyze FILE`` writes.

        text: str, or bytes in UTF-8 or another encoding (detected, or named
          by ``encoding``; a conversion is reported as an "encoding" repair).
          Offsets are byte offsets into the UTF-8 text.
        title: the title, when it comes apart from the text (as a JSON-lines
          record's "title"); otherwise the text's first line is its title.
        date: the article's date, "YYYY-MM-DD" or a datetime.date:
          relative dates (أمس، قبل يومين) resolve against it.
        html: the text is an HTML page: its article is found and analysed
          (``url``: the page's address), offsets pointing into the
          extracted text (extract_html()["text"]).
        skip: analyses to leave out, names from SKIP_NAMES ("facts",
          "duplicates", "entities", "quotes", "tags", "summary", "all").
        summary: sentences in "summary" (1 to 64).
        replace_invalid: invalid UTF-8 becomes U+FFFD (reported as a repair)
          instead of an Error.
        Raises khabar.Error: "invalid_utf8" (offset of the bad byte),
        "empty" (no text), "too_large", "invalid_encoding".
        """
        opts = _options(date=date, skip=skip, summary=summary, replace_invalid=replace_invalid,
                        max_bytes=max_bytes)
        if title is not None:
            title_bytes = _utf8(title, "title")
            opts.flags |= _lib.OPTION_NO_TITLE
            opts.title = title_bytes
            opts.title_len = len(title_bytes)
        err = _lib.Error()
        doc = ctypes.c_void_p()
        self._take()
        try:
            if html:
                page = _extract(text, url, encoding, opts.max_bytes)
                try:
                    opts.source_encoding = _lib.page_get(page, _lib.PAGE_ENCODING, None)
                    st = _lib.analyze_page(self._ptr, page, ctypes.byref(opts), ctypes.byref(doc),
                                           ctypes.byref(err))
                finally:
                    _lib.page_free(page)
            else:
                if isinstance(text, str):
                    if encoding is not None:
                        raise ValueError("khabar: encoding= is for bytes; a str is already decoded")
                    data = _utf8(text)
                else:
                    data, used = _as_utf8(_utf8(text), encoding, replace_invalid)
                    opts.source_encoding = used.encode() if used else None
                st = _lib.analyze(self._ptr, data, len(data), ctypes.byref(opts), ctypes.byref(doc),
                                  ctypes.byref(err))
            _check(st, err)
            try:
                return json.loads(_doc_json(doc, _lib.JSON_TOKENS if tokens else 0))
            finally:
                _lib.doc_free(doc)
        finally:
            self._busy.release()

    def _word(self, fn, word):
        data = _utf8(word, "word")
        cap = 18 * len(data) + 16
        out = ctypes.create_string_buffer(cap)
        n = ctypes.c_size_t()
        err = _lib.Error()
        self._take()
        try:
            _check(fn(self._ptr, data, len(data), out, cap, ctypes.byref(n), ctypes.byref(err)), err)
        finally:
            self._busy.release()
        return out.raw[:n.value].decode("utf-8")

    def segment(self, word):
        """The clitic segmentation of one word, as a list of pieces:
        "وبالكتاب" → ["و", "ب", "ال", "كتاب"].  The word is normalised
        first (every fold but the alef fold, so pieces keep their hamza)."""
        return self._word(_lib.segment, word).split("+")

    def stem(self, word):
        """The stem of one word: clitics stripped, then Snowball's Arabic
        stemmer; known proper names are returned normalised but whole."""
        return self._word(_lib.stem, word)

    def _record_line(self, opts, lineno, line, encoding, undecoded, json_flags):
        """One JSON-lines record, as `khabar analyze --jsonl` writes it:
        (output line as bytes, failed?)."""
        opts.source_encoding = encoding
        err = _lib.Error()
        doc = ctypes.c_void_p()
        n = ctypes.c_size_t()
        ptr = self._ptr
        if undecoded is not None and not opts.flags & _lib.OPTION_REPLACE_INVALID:
            # Read as it is only for its id: the error is the encoding's.
            # (With replace_invalid it is read as UTF-8, bad bytes replaced.)
            flags = opts.flags
            opts.flags &= ~_lib.OPTION_REPLACE_INVALID
            if _lib.analyze_record(ptr, line, len(line), ctypes.byref(opts), ctypes.byref(doc),
                                   ctypes.byref(err)) == _lib.OK:
                _lib.doc_free(doc)
            opts.flags = flags
            rec = _lib.record_error_json(ptr, ctypes.byref(undecoded), lineno, ctypes.byref(n))
            return _borrowed(rec, n), True
        if _lib.analyze_record(ptr, line, len(line), ctypes.byref(opts), ctypes.byref(doc),
                               ctypes.byref(err)) == _lib.OK:
            try:
                return _doc_json(doc, json_flags), False
            finally:
                _lib.doc_free(doc)
        rec = _lib.record_error_json(ptr, ctypes.byref(err), lineno, ctypes.byref(n))
        return _borrowed(rec, n), True

    def analyze_jsonl(self, lines, **kwargs):
        """As khabar.analyze_jsonl, with this analyzer."""
        return _run_jsonl(self, lines, **kwargs)


def _borrowed(ptr, n):
    if not ptr:
        raise MemoryError("khabar: out of memory writing JSON")
    return ctypes.string_at(ptr, n.value)


def _doc_json(doc, flags):
    n = ctypes.c_size_t()
    return _borrowed(_lib.doc_json(doc, flags, ctypes.byref(n)), n)


_local = threading.local()


def _default_analyzer():
    an = getattr(_local, "analyzer", None)
    if an is None:
        an = _local.analyzer = Analyzer()
    return an


def analyze(text, **kwargs):
    """Analyzer.analyze with this thread's own Analyzer."""
    return _default_analyzer().analyze(text, **kwargs)


def segment(word):
    """Analyzer.segment with this thread's own Analyzer."""
    return _default_analyzer().segment(word)


def stem(word):
    """Analyzer.stem with this thread's own Analyzer."""
    return _default_analyzer().stem(word)


def normalize(text, folds=FOLD_ALL):
    """Normalised text: the folds (FOLD_* combined with |, every one by
    default) applied, e.g. "أَفْغانِسْتان ١٠٬٠٠٠" → "افغانستان 10,000".
    Raises khabar.Error("invalid_utf8") for bytes that are not UTF-8."""
    data = _utf8(text)
    cap = 18 * len(data)
    out = ctypes.create_string_buffer(max(cap, 1))
    n = ctypes.c_size_t()
    err = _lib.Error()
    _check(_lib.normalize(data, len(data), folds, out, cap, ctypes.byref(n), ctypes.byref(err)), err)
    return out.raw[:n.value].decode("utf-8")


def _extract(html, url, encoding, max_bytes=0):
    data = _utf8(html, "html")
    if isinstance(html, str) and encoding is None:
        encoding = "UTF-8"  # a str was encoded here, whatever its <meta charset> says
    opts = _lib.ExtractOptions()
    opts.max_bytes = max_bytes or 0
    opts.url = url.encode() if url else None
    opts.encoding = encoding.encode() if encoding else None
    page = ctypes.c_void_p()
    err = _lib.Error()
    _check(_lib.extract(data, len(data), ctypes.byref(opts), ctypes.byref(page), ctypes.byref(err)), err)
    return page


def extract_html(html, url=None, encoding=None):
    """The article of an HTML page, as ``khabar extract`` gives it: a dict
    with "title", "date", "author", "lang", "url", "text" and "blocks"
    ([{"kind", "text"}]), fields the page does not give as None.

    html: the page, bytes (its encoding from a byte-order mark, its
      <meta charset>, or detection; or named by ``encoding``) or str.
    url: the page's address, to resolve a relative canonical address.
    Broken markup is no error; raises khabar.Error "too_large", or
    "invalid_encoding" when the page's encoding cannot be told.
    """
    page = _extract(html, url, encoding)
    try:
        n = ctypes.c_size_t()
        return json.loads(_borrowed(_lib.page_json(page, 0, ctypes.byref(n)), n))
    finally:
        _lib.page_free(page)


from ._jsonl import jsonl as _run_jsonl  # noqa: E402  (it uses the names above)


def __getattr__(name):
    # khabar.Archive loads libkhabar_archive on first use only: the rest of
    # the package needs no SQLite.
    if name == "Archive":
        from .archive import Archive
        return Archive
    raise AttributeError("module 'khabar' has no attribute %r" % name)


def analyze_jsonl(lines, *, tokens=False, skip=(), summary=3, date=None, replace_invalid=False,
                  max_bytes=None, parse=False, analyzer=None):
    """Analyses JSON-lines records {"id", "title"?, "text", "date"?} (or
    {"id", "html", "url"?}): yields, for every record, exactly the line
    ``khabar analyze --jsonl`` writes for it (a str without its newline), or
    its dict with ``parse=True``.  A record that fails gives its error
    record {"id", "line", "error": {"code", "message", "offset"}} in its
    place; "line" counts every line given, blank ones included, from 1.

    lines: an iterable of lines, bytes (e.g. a file opened "rb": lines in
      other encodings are converted as the CLI converts them) or str.
    tokens, skip, summary, date, replace_invalid, max_bytes: as the CLI's
      --tokens, --skip, --summary, --date, --replace-invalid, --max-bytes.
    analyzer: the Analyzer to use (default: this thread's own).
    """
    return _run_jsonl(analyzer or _default_analyzer(), lines, tokens=tokens, skip=skip, summary=summary,
                  date=date, replace_invalid=replace_invalid, max_bytes=max_bytes, parse=parse)
