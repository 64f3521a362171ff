"""libkhabar through ctypes: finding the library and declaring its functions.

ctypes rather than cffi: it is in every CPython (Debian's /usr/bin/python3
and the pyenv interpreter alike, where Debian's python3-cffi is not
importable), needs no compiler at import time, and releases the GIL for
every foreign call, so analyses on several threads run on several cores.
"""
import ctypes
import ctypes.util
import os
import subprocess
import sysconfig

SONAME = "libkhabar.so.0"

# Status codes of include/khabar.h (khabar_status).
OK = 0
ERROR_ARGUMENT = 1
ERROR_MEMORY = 2
ERROR_UTF8 = 3
ERROR_EMPTY = 4
ERROR_TOO_LARGE = 5
ERROR_JSON = 6
ERROR_RECORD = 7
ERROR_SPACE = 8
ERROR_DATA = 9
ERROR_ENCODING = 10

OPTION_REPLACE_INVALID = 1 << 0
OPTION_NO_TITLE = 1 << 1
JSON_TOKENS = 1 << 0
JSON_PRETTY = 1 << 1
PAGE_ENCODING = 6  # khabar_page_field KHABAR_PAGE_ENCODING

SKIP_BITS = {
    "facts": 1 << 0,
    "duplicates": 1 << 1,
    "entities": 1 << 2,
    "quotes": 1 << 3,
    "tags": 1 << 4,
    "summary": 1 << 5,
    "all": (1 << 6) - 1,
}

# New fields are added at the end of the library's option structs (the
# ABI rule of include/khabar.h).  Each struct here ends in zeroed spare room
# so that a newer library reading such a field finds 0, its default.
_SPARE = ctypes.c_char * 256


class Error(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_int),
        ("offset", ctypes.c_size_t),
        ("message", ctypes.c_char * 192),
    ]


class Options(ctypes.Structure):
    _fields_ = [
        ("flags", ctypes.c_uint),
        ("max_bytes", ctypes.c_size_t),
        ("title", ctypes.c_char_p),
        ("title_len", ctypes.c_size_t),
        ("date", ctypes.c_char_p),
        ("skip", ctypes.c_uint),
        ("summary_sentences", ctypes.c_size_t),
        ("source_encoding", ctypes.c_char_p),
        ("_spare", _SPARE),
    ]


class ExtractOptions(ctypes.Structure):
    _fields_ = [
        ("flags", ctypes.c_uint),
        ("max_bytes", ctypes.c_size_t),
        ("url", ctypes.c_char_p),
        ("encoding", ctypes.c_char_p),
        ("_spare", _SPARE),
    ]


def _candidates():
    """Where libkhabar may be, in the order tried."""
    env = os.environ.get("KHABAR_LIBRARY")
    if env:
        yield env
    build = os.environ.get("KHABAR_BUILD_DIR")
    if build:
        yield os.path.join(build, "libkhabar.so")
    # A source tree: python/khabar/_lib.py -> build/libkhabar.so
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(here, os.pardir, os.pardir, "build", "libkhabar.so")
    # Installed: the loader's own search (ld.so.cache, LD_LIBRARY_PATH) ...
    found = ctypes.util.find_library("khabar")
    if found:
        yield found
    yield SONAME
    # ... then where cmake --install puts it when ldconfig has not run yet.
    try:
        libdir = subprocess.run(["pkg-config", "--variable=libdir", "khabar"], capture_output=True,
                                text=True, timeout=10).stdout.strip()
        if libdir:
            yield os.path.join(libdir, SONAME)
    except (OSError, subprocess.SubprocessError):
        pass
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for prefix in ("/usr/local/lib", "/usr/lib"):
        if multiarch:
            yield os.path.join(prefix, multiarch, SONAME)
        yield os.path.join(prefix, SONAME)


def _load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            return ctypes.CDLL(path), os.path.realpath(path) if os.sep in path else path
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise ImportError(
        "khabar: libkhabar is not found: build it (make build) or install it (cmake --install build, "
        "then ldconfig), or set KHABAR_LIBRARY to the path of libkhabar.so. Tried: " + "; ".join(tried))


lib, path = _load()

_P = ctypes.c_void_p
_S = ctypes.c_size_t
_E = ctypes.POINTER(Error)
_PS = ctypes.POINTER(ctypes.c_size_t)


def _declare(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = argtypes
    return f


status_name = _declare("khabar_status_name", ctypes.c_char_p, ctypes.c_int)
version = _declare("khabar_version", ctypes.c_char_p)
decode = _declare("khabar_decode", ctypes.c_int, ctypes.c_char_p, _S, ctypes.c_char_p,
                  ctypes.POINTER(_P), _PS, ctypes.POINTER(ctypes.c_char_p), _E)
free = _declare("khabar_free", None, _P)
normalize = _declare("khabar_normalize", ctypes.c_int, ctypes.c_char_p, _S, ctypes.c_uint,
                     ctypes.c_char_p, _S, _PS, _E)
model_new = _declare("khabar_model_new", ctypes.c_int, ctypes.POINTER(_P), _E)
analyzer_new = _declare("khabar_analyzer_new", ctypes.c_int, _P, ctypes.POINTER(_P), _E)
analyzer_free = _declare("khabar_analyzer_free", None, _P)
segment = _declare("khabar_segment", ctypes.c_int, _P, ctypes.c_char_p, _S, ctypes.c_char_p, _S, _PS, _E)
stem = _declare("khabar_stem", ctypes.c_int, _P, ctypes.c_char_p, _S, ctypes.c_char_p, _S, _PS, _E)
analyze = _declare("khabar_analyze", ctypes.c_int, _P, ctypes.c_char_p, _S, ctypes.POINTER(Options),
                   ctypes.POINTER(_P), _E)
analyze_record = _declare("khabar_analyze_record", ctypes.c_int, _P, ctypes.c_char_p, _S,
                          ctypes.POINTER(Options), ctypes.POINTER(_P), _E)
record_error_json = _declare("khabar_record_error_json", _P, _P, _E, _S, _PS)
doc_free = _declare("khabar_doc_free", None, _P)
doc_json = _declare("khabar_doc_json", _P, _P, ctypes.c_uint, _PS)
extract = _declare("khabar_extract", ctypes.c_int, ctypes.c_char_p, _S, ctypes.POINTER(ExtractOptions),
                   ctypes.POINTER(_P), _E)
page_free = _declare("khabar_page_free", None, _P)
page_get = _declare("khabar_page_get", ctypes.c_char_p, _P, ctypes.c_int, _PS)
page_json = _declare("khabar_page_json", _P, _P, ctypes.c_uint, _PS)
analyze_page = _declare("khabar_analyze_page", ctypes.c_int, _P, _P, ctypes.POINTER(Options),
                        ctypes.POINTER(_P), _E)
