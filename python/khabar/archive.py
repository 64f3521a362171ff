"""khabar.Archive: articles and their analyses stored in an SQLite archive
(include/khabar_archive.h, docs/archive.md), through libkhabar_archive.so.

    with khabar.Archive("news.db") as ar:
        ar.index(open("articles.jsonl", "rb"))      # as `khabar index --jsonl`
        ar.search("طالبان", entities=["داعش"], date_from="2021-07-01")
        ar.stories(date_from="2021-07-01")          # as `khabar stories`
"""
import ctypes
import itertools
import json
import os

from . import Error, _check, _default_analyzer, _jsonl, _lib, _shared_model, _utf8

_P = ctypes.c_void_p
_S = ctypes.c_size_t
_E = ctypes.POINTER(_lib.Error)
_PS = ctypes.POINTER(_S)

READONLY = 1 << 0
CREATE = 1 << 1
QUERY_FACETS = 1 << 0
QUERY_NO_SNIPPETS = 1 << 1
QUERY_COLLAPSE = 1 << 2
PAGE_TITLE, PAGE_DATE, PAGE_TEXT = 0, 1, 5  # khabar_page_field


class _Article(ctypes.Structure):
    # "analysis": the doc's JSON when rendered already; left NULL, the library renders it.
    # "packed" (khabar_archive_pack's) is left NULL: the library packs it.
    _fields_ = [(name, t) for field in ("id", "title", "date", "text", "analysis")
                for name, t in ((field, ctypes.c_char_p), (field + "_len", _S))] + \
        [("packed", ctypes.c_void_p), ("packed_len", _S)]


class _Query(ctypes.Structure):
    _fields_ = [
        ("text", ctypes.c_char_p),
        ("limit", _S),
        ("offset", _S),
        ("entities", ctypes.POINTER(ctypes.c_char_p)),
        ("entity_count", _S),
        ("type", ctypes.c_char_p),
        ("tag", ctypes.c_char_p),
        ("date_from", ctypes.c_char_p),
        ("date_to", ctypes.c_char_p),
        ("flags", ctypes.c_uint),
        ("_spare", _lib._SPARE),  # fields a newer library adds at the end read as 0
    ]


class _Stats(ctypes.Structure):
    _fields_ = [
        ("articles", _S),
        ("entities", _S),
        ("tags", _S),
        ("bytes", _S),
        ("file_bytes", _S),
        ("schema", ctypes.c_int),
        ("first_date", ctypes.c_char * 11),
        ("last_date", ctypes.c_char * 11),
        ("stories", _S),
        ("_spare", _lib._SPARE),
    ]


class _EntityQuery(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_char_p),
        ("date_from", ctypes.c_char_p),
        ("date_to", ctypes.c_char_p),
        ("limit", _S),
        ("_spare", _lib._SPARE),
    ]


class _StoryQuery(ctypes.Structure):
    _fields_ = [
        ("date_from", ctypes.c_char_p),
        ("date_to", ctypes.c_char_p),
        ("limit", _S),
        ("min_size", _S),
        ("_spare", _lib._SPARE),
    ]


def _json_of(ptr, n):
    if not ptr:
        raise MemoryError("khabar: out of memory writing JSON")
    return json.loads(ctypes.string_at(ptr, n.value))


def _load():
    """libkhabar_archive beside the libkhabar already loaded, else by the
    loader's search (it needs that same libkhabar: its soname)."""
    names = []
    if os.sep in _lib.path:
        names.append(os.path.join(os.path.dirname(_lib.path), "libkhabar_archive.so.0"))
    names.append("libkhabar_archive.so.0")
    tried = []
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError as e:
            tried.append(str(e))
    raise ImportError("khabar: libkhabar_archive is not found (build it, or cmake --install): " + "; ".join(tried))


lib = _load()


def _declare(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = argtypes
    return f


# the process's model, which Analyzer uses too (it lives as long as the process)
_open = _declare("khabar_archive_open_with_model", ctypes.c_int, ctypes.c_char_p, ctypes.c_uint, _P,
                 ctypes.POINTER(_P), _E)
_close = _declare("khabar_archive_close", None, _P)
_add = _declare("khabar_archive_add", ctypes.c_int, _P, ctypes.POINTER(_Article), _P, _E)
_delete = _declare("khabar_archive_delete", ctypes.c_int, _P, ctypes.c_char_p, _S, ctypes.POINTER(ctypes.c_int), _E)
_begin = _declare("khabar_archive_begin", ctypes.c_int, _P, _E)
_commit = _declare("khabar_archive_commit", ctypes.c_int, _P, _E)
_stats = _declare("khabar_archive_stats_get", ctypes.c_int, _P, ctypes.POINTER(_Stats), _E)
_search = _declare("khabar_archive_search", ctypes.c_int, _P, ctypes.POINTER(_Query), ctypes.POINTER(_P), _E)
_results_free = _declare("khabar_results_free", None, _P)
_results_json = _declare("khabar_results_json", _P, _P, _PS)
_entities = _declare("khabar_archive_entities", ctypes.c_int, _P, ctypes.POINTER(_EntityQuery), ctypes.POINTER(_P), _E)
_entity = _declare("khabar_archive_entity", ctypes.c_int, _P, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(_P),
                   _E)
_entity_list_json = _declare("khabar_entity_list_json", _P, _P, _PS)
_entity_list_free = _declare("khabar_entity_list_free", None, _P)
_stories = _declare("khabar_archive_stories", ctypes.c_int, _P, ctypes.POINTER(_StoryQuery), ctypes.POINTER(_P), _E)
_story_list_json = _declare("khabar_story_list_json", _P, _P, _PS)
_story_list_free = _declare("khabar_story_list_free", None, _P)


def _list(status, lst, err, to_json, free):
    """The JSON of a list an archive call made (status, the list, its
    error), freeing the list either way."""
    try:
        _check(status, err)
        n = _S()
        return _json_of(to_json(lst, ctypes.byref(n)), n)
    finally:
        free(lst)


def _is_day(s):
    return len(s) >= 10 and all(c == "-" if i in (4, 7) else c.isdigit() and c.isascii()
                                for i, c in enumerate(s[:10]))


def _no_duplicates(pairs):
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("duplicate object key")
    return obj


def _record(record):
    """(id, title, date, text) of a JSON-lines record (a dict, or a line),
    read as `khabar index --jsonl` reads it; ValueError says why not."""
    if not isinstance(record, dict):
        try:
            # As jansson reads it: UTF-8 without a byte-order mark, no key twice.
            record = json.loads(_utf8(record, "a record").decode("utf-8"), object_pairs_hook=_no_duplicates)
        except ValueError as e:  # UnicodeDecodeError too
            raise ValueError("not a JSON object: %s" % e) from None
        if not isinstance(record, dict):
            raise ValueError("not a JSON object: another JSON value")
    rid = record.get("id")
    if isinstance(rid, bool) or not isinstance(rid, (str, int)):
        raise ValueError('the record has no "id" (a string or an integer)')
    rid = str(rid)
    if not rid:
        raise ValueError('the record\'s "id" is empty')
    fields = {}
    for name in ("text", "title", "date", "html"):
        v = record.get(name)
        if v is not None and not isinstance(v, str):
            raise ValueError('the record\'s "%s" is not a string' % name)
        fields[name] = v
    if fields["text"] is None and fields["html"] is None:
        raise ValueError('the record has no "text" (nor "html")')
    if fields["text"] is not None and fields["html"] is not None:
        raise ValueError('the record has both "text" and "html"')
    if fields["date"] is not None and not _is_day(fields["date"]):
        fields["date"] = None  # the CLI warns and stores the article without a date
    return rid, fields["title"], fields["date"], fields["text"], fields["html"]


class Archive:
    """An archive file (made when missing unless ``readonly``).  One
    connection: use it from one thread at a time; several Archive objects
    (threads or processes) may open one file, readers seeing whole
    committed articles only.  Errors raise khabar.Error ("io_error" ...)."""

    def __init__(self, path, *, readonly=False):
        self._ptr = ctypes.c_void_p()
        err = _lib.Error()
        flags = READONLY if readonly else CREATE
        _check(_open(os.fsencode(path), flags, _shared_model(), ctypes.byref(self._ptr), ctypes.byref(err)), err)

    def close(self):
        """Closes the archive (also when it is collected)."""
        if self._ptr:
            _close(self._ptr)
            self._ptr = ctypes.c_void_p()

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _handle(self):
        if not self._ptr:
            raise ValueError("khabar: the Archive is closed")
        return self._ptr

    def add(self, id, text, *, title=None, date=None, analyzer=None):
        """Analyses one article, as the JSON-lines record {"id", "title",
        "text", "date"} (the text is its body; the title, if any, comes
        apart), and stores it with its analysis; an article with the same
        id is replaced.  ``date``: "YYYY-MM-DD" (relative
        dates resolve against it).  Raises khabar.Error when the text
        cannot be analysed or the database fails."""
        self._add(str(id), title, date, text, analyzer or _default_analyzer())

    def _add(self, rid, title, date, text, an, html=None):
        if html is not None:
            return self._add_page(rid, title, date, html, an)
        opts = _lib.Options()
        opts.flags = _lib.OPTION_NO_TITLE  # as a record: the text is the body, the title comes apart
        t = _utf8(title, "title") if title is not None else None
        opts.title, opts.title_len = t, len(t) if t else 0
        opts.date = date[:10].encode() if date else None
        body = _utf8(text)
        doc = ctypes.c_void_p()
        err = _lib.Error()
        an._take()
        try:
            _check(_lib.analyze(an._ptr, body, len(body), ctypes.byref(opts), ctypes.byref(doc),
                                ctypes.byref(err)), err)
        finally:
            an._busy.release()
        try:
            fields = [_utf8(rid, "id"), t, date.encode() if date else None, body]
            a = _Article(*[x for f in fields for x in (f, len(f) if f is not None else 0)])
            _check(_add(self._handle(), ctypes.byref(a), doc, ctypes.byref(err)), err)
        finally:
            _lib.doc_free(doc)

    def _add_page(self, rid, title, date, html, an):
        """A page, as `khabar index` stores one: its article is the text,
        its title and date the page's unless the record gives them."""
        page = ctypes.c_void_p()
        err = _lib.Error()
        raw = _utf8(html, "html")
        if _lib.extract(raw, len(raw), None, ctypes.byref(page), ctypes.byref(err)) != _lib.OK:
            raise ValueError("not a page khabar can read: %s" % err.message.decode(errors="replace"))
        doc = ctypes.c_void_p()
        try:
            body = _lib.page_get(page, PAGE_TEXT, None) or b""  # c_char_p: bytes up to the NUL
            t = _utf8(title, "title") if title is not None else _lib.page_get(page, PAGE_TITLE, None)
            opts = _lib.Options()
            opts.flags = _lib.OPTION_NO_TITLE
            if title is not None:
                opts.title, opts.title_len = t, len(t)
            opts.date = date[:10].encode() if date else None
            if date is None:
                d = (_lib.page_get(page, PAGE_DATE, None) or b"").decode()[:10]
                date = d if _is_day(d) else None
            an._take()
            try:
                status = _lib.analyze_page(an._ptr, page, ctypes.byref(opts), ctypes.byref(doc), ctypes.byref(err))
            finally:
                an._busy.release()
            if status == _lib.ERROR_EMPTY:
                raise ValueError("the page has no article text")
            _check(status, err)
            fields = [_utf8(rid, "id"), t, date.encode() if date else None, body]
            a = _Article(*[x for f in fields for x in (f, len(f) if f is not None else 0)])
            _check(_add(self._handle(), ctypes.byref(a), doc, ctypes.byref(err)), err)
        finally:
            _lib.doc_free(doc)
            _lib.page_free(page)

    def index(self, records, *, batch=512, analyzer=None):
        """Stores JSON-lines records {"id", "title"?, "text" or "html", "date"?} (lines
        as str or bytes, e.g. a file opened "rb", or dicts) as `khabar index
        --jsonl` does, committing every ``batch`` articles.  A record that
        fails is reported, the others are stored.  Returns {"stored": N,
        "failed": [(line number from 1, message), ...]}."""
        an = analyzer or _default_analyzer()
        stored, failed = 0, []
        err = _lib.Error()
        open_batch = False
        it = iter(records)
        first = next(it, None)
        if first is None:
            return {"stored": 0, "failed": []}
        items = itertools.chain([first], it)
        if isinstance(first, dict):
            numbered = enumerate(items, 1)
        else:  # lines read as the CLI reads them: line ends, blank lines, encodings
            numbered = ((n, line) for n, line, _enc, _undecoded in _jsonl.records(items))
        for n, rec in numbered:
            if not open_batch:
                _check(_begin(self._handle(), ctypes.byref(err)), err)
                open_batch = True
            try:
                rid, title, date, text, html = _record(rec)
                self._add(rid, title, date, text, an, html)
                stored += 1
            except ValueError as e:
                failed.append((n, str(e)))
            except Error as e:
                if e.code in ("io_error", "out_of_memory"):
                    raise  # the open batch is rolled back when the archive is closed
                failed.append((n, "%s (byte %d)" % (e.message, e.offset)))
            if stored and stored % batch == 0:
                _check(_commit(self._handle(), ctypes.byref(err)), err)
                open_batch = False
        if open_batch:
            _check(_commit(self._handle(), ctypes.byref(err)), err)
        return {"stored": stored, "failed": failed}

    def delete(self, id):
        """Removes the article with this id; returns whether there was one."""
        found = ctypes.c_int()
        err = _lib.Error()
        rid = _utf8(str(id), "id")
        _check(_delete(self._handle(), rid, len(rid), ctypes.byref(found), ctypes.byref(err)), err)
        return bool(found.value)

    def search(self, query=None, *, limit=10, offset=0, entities=(), type=None, tag=None, date_from=None,
               date_to=None, facets=True, snippets=True, collapse=False):
        """Finds articles: ``query`` in the archive's language (words, whose
        every form matches; "phrases"; OR; NOT or -word; (groups); =form;
        prefix*), and filters that must all hold: each of ``entities`` (any
        spelling seen), ``type`` ("PER", "ORG", "LOC", "MISC"), ``tag``, a
        date from ``date_from`` to ``date_to`` (inclusive).  Returns the
        results as `khabar search --json` gives them: {"total", "hits":
        [{"id", "title", "date", "score", "snippet", "marks"...}], "facets"}.
        ``collapse``: one hit per story (see stories()), its best-ranked
        article, as `khabar search --collapse`; ``limit`` and ``offset``
        then count stories."""
        names = [_utf8(e, "entity") for e in ([entities] if isinstance(entities, str) else entities)]
        q = _Query()
        q.text = _utf8(query, "query") if query else None
        q.limit, q.offset = limit, offset
        q.entities = (ctypes.c_char_p * max(1, len(names)))(*names)
        q.entity_count = len(names)
        q.type = type.encode() if type else None
        q.tag = _utf8(tag, "tag") if tag else None
        q.date_from = date_from.encode() if date_from else None
        q.date_to = date_to.encode() if date_to else None
        q.flags = ((QUERY_FACETS if facets else 0) | (0 if snippets else QUERY_NO_SNIPPETS)
                   | (QUERY_COLLAPSE if collapse else 0))
        results = ctypes.c_void_p()
        err = _lib.Error()
        _check(_search(self._handle(), ctypes.byref(q), ctypes.byref(results), ctypes.byref(err)), err)
        try:
            n = _S()
            return _json_of(_results_json(results, ctypes.byref(n)), n)
        finally:
            _results_free(results)

    def entities(self, *, type=None, date_from=None, date_to=None, limit=20):
        """The entities named in the most articles of a period (what is in
        the news), most first, as `khabar entities` gives them: [{"name",
        "type", "en", "articles", "mentions", "first_seen", "last_seen"}]."""
        q = _EntityQuery()
        q.type = type.encode() if type else None
        q.date_from = date_from.encode() if date_from else None
        q.date_to = date_to.encode() if date_to else None
        q.limit = limit
        lst = ctypes.c_void_p()
        err = _lib.Error()
        return _list(_entities(self._handle(), ctypes.byref(q), ctypes.byref(lst), ctypes.byref(err)), lst, err,
                     _entity_list_json, _entity_list_free)

    def entity(self, name, *, type=None):
        """Every entity one of whose spellings seen is ``name`` (hamza forms,
        ة/ه and diacritics do not matter), most articles first, as `khabar
        entity` gives them: the fields of entities() and "variants", "days"
        (mentions per day) and "with" (the entities it appears with most)."""
        lst = ctypes.c_void_p()
        err = _lib.Error()
        return _list(_entity(self._handle(), _utf8(name, "name"), type.encode() if type else None,
                             ctypes.byref(lst), ctypes.byref(err)), lst, err, _entity_list_json, _entity_list_free)

    def stories(self, *, date_from=None, date_to=None, limit=20, min_size=2):
        """The largest stories of a period, as `khabar stories` gives them.
        A story is a set of articles that share most of their text (a report
        copied, rewritten or shortened; estimated Jaccard similarity of word
        5-shingles at least 0.5), or that tell one event in their own words
        (shared entities and tags, dates within two days), found as they
        were indexed.  Only articles
        dated from ``date_from`` to ``date_to`` ("YYYY-MM-DD", inclusive)
        count; stories of fewer than ``min_size`` of them are left out.
        Returns up to ``limit`` stories, largest first, then latest:
        [{"size", "first", "first_date", "last_date", "similarity",
        "near_duplicates" (pairs at 0.8 or above), "same_event_links" (pairs
        linked as one event told in other words), "articles": [{"id",
        "title", "date"}] oldest first}].  A bad date raises khabar.Error
        ("invalid_argument")."""
        if limit < 1 or min_size < 1:
            raise ValueError("khabar: limit and min_size must be at least 1")
        q = _StoryQuery()
        q.date_from = date_from.encode() if date_from else None
        q.date_to = date_to.encode() if date_to else None
        q.limit, q.min_size = limit, min_size
        lst = ctypes.c_void_p()
        err = _lib.Error()
        return _list(_stories(self._handle(), ctypes.byref(q), ctypes.byref(lst), ctypes.byref(err)), lst, err,
                     _story_list_json, _story_list_free)

    def stats(self):
        """What the archive holds, as `khabar stats`: articles, entities,
        tags, bytes (of article text), file_bytes, first_date, last_date
        (None when no article has a date), schema, stories (of two articles
        or more)."""
        s = _Stats()
        err = _lib.Error()
        _check(_stats(self._handle(), ctypes.byref(s), ctypes.byref(err)), err)
        out = {k: getattr(s, k) for k in ("articles", "entities", "tags", "bytes", "file_bytes")}
        out["first_date"] = s.first_date.decode() or None
        out["last_date"] = s.last_date.decode() or None
        out["schema"] = s.schema
        out["stories"] = s.stories
        return out
