"""The Python bindings: the same results as the CLI, errors, threads."""
import json
import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

import khabar
from conftest import BUILD, SOURCE, cli

ARTICLE = os.path.join(SOURCE, "examples", "article.txt")
PAGE = os.path.join(SOURCE, "tests", "html", "wordpress.html")
PAGE_1256 = os.path.join(SOURCE, "tests", "html", "table_cp1256.html")


def test_library_comes_from_the_build():
    assert os.path.realpath(khabar.library_path) == os.path.realpath(os.path.join(BUILD, "libkhabar.so"))
    assert khabar.library_version


# Debian's interpreter and the machine's default python3 (pyenv here).
@pytest.mark.parametrize("python", sorted({sys.executable, "/usr/bin/python3", shutil.which("python3") or sys.executable}))
def test_import_finds_the_build_by_itself(python, tmp_path):
    if not os.path.exists(python):
        pytest.skip("no " + python)
    if os.path.realpath(BUILD) != os.path.realpath(os.path.join(SOURCE, "build")):
        pytest.skip("the build under test is not the source tree's build/")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    env["PYTHONPATH"] = os.path.join(SOURCE, "python")
    r = subprocess.run([python, "-c", "import khabar; print(khabar.library_path); print(khabar.stem('والكتاب'))"],
                       cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    path, stem = r.stdout.split()
    assert os.path.realpath(path) == os.path.realpath(os.path.join(SOURCE, "build", "libkhabar.so"))
    assert stem == "كتاب"


def test_analyze_is_the_cli_json():
    with open(ARTICLE, "rb") as f:
        data = f.read()
    expected = json.loads(cli("analyze", ARTICLE))
    assert khabar.analyze(data) == expected
    assert khabar.analyze(data.decode()) == expected
    assert len(expected["entities"]) == 17 and expected["summary"] == [0, 3, 7]
    with_tokens = khabar.analyze(data, tokens=True, skip=("quotes", "tags"), summary=2, date="2021-07-12")
    assert with_tokens == json.loads(cli("analyze", "--tokens", "--skip", "quotes,tags", "--summary", "2",
                                         "--date", "2021-07-12", ARTICLE))
    assert "tokens" in with_tokens and "quotes" not in with_tokens


def test_bytes_are_read_as_the_cli_reads_a_file(tmp_path):
    """A byte-order mark (offsets count it), another encoding (converted,
    an "encoding" repair), bytes in no encoding (an error, or with
    replace_invalid read as UTF-8 with U+FFFD)."""
    text = open(ARTICLE, encoding="utf-8").read()
    cases = {"bom": b"\xef\xbb\xbf" + text.encode(), "cp1256": text.encode("windows-1256"),
             "none": "عنوان\n".encode() + bytes(range(0x80, 0x100))}
    for name, data in cases.items():
        path = tmp_path / (name + ".txt")
        path.write_bytes(data)
        for flags, kwargs in (((), {}), (("--replace-invalid",), {"replace_invalid": True})):
            out = json.loads(cli("analyze", *flags, str(path)))
            if "error" not in out:
                assert khabar.analyze(data, **kwargs) == out, (name, flags)
            else:  # the CLI writes an error record in the file's place
                with pytest.raises(khabar.Error) as e:
                    khabar.analyze(data, **kwargs)
                assert name == "none" and not flags and e.value.code == "invalid_encoding"
                assert out["error"]["code"] == "invalid_encoding" and out["file"] == str(path)
    assert khabar.analyze(cases["cp1256"])["repairs"][0]["text"] == "windows-1256"
    assert khabar.analyze(cases["bom"])["title_start"] == 3


def test_title_and_date_as_a_record_gives_them():
    title, text = "طالبان تقتل زعيم داعش", "قال المتحدث أمس إن 500 مقاتل وصلوا إلى كابول."
    record = json.dumps({"id": 1, "title": title, "text": text, "date": "2021-03-01"}, ensure_ascii=False)
    expected = json.loads(cli("analyze", "--jsonl", stdin=record.encode()))
    del expected["id"], expected["date"]
    got = khabar.analyze(text, title=title, date="2021-03-01")
    assert got == expected
    assert any(d.get("value") == "2021-02-28" for d in got["dates"])


def test_html_page_is_the_cli_json():
    for page in (PAGE, PAGE_1256):
        with open(page, "rb") as f:
            data = f.read()
        assert khabar.analyze(data, html=True) == json.loads(cli("analyze", "--html", page))
        assert khabar.extract_html(data) == json.loads(cli("extract", page))
    extracted = khabar.extract_html(open(PAGE_1256, "rb").read())
    assert extracted["text"] and "windows-1256" in json.dumps(extracted)


def test_errors_carry_code_message_offset():
    with pytest.raises(khabar.Error) as e:
        khabar.analyze("   \n  ")
    assert e.value.code == "empty" and e.value.message
    bad = "قال الوزير إن ".encode() + b"\xff" + " الاتفاق مهم جدا وسيوقع غدا في الرياض.".encode()
    with pytest.raises(khabar.Error) as e:
        khabar.analyze(bad)
    assert e.value.code == "invalid_utf8" and e.value.offset == bad.index(b"\xff")
    doc = khabar.analyze(bad, replace_invalid=True)
    assert any(r["kind"] == "invalid_utf8" for r in doc["repairs"])
    with pytest.raises(khabar.Error) as e:
        khabar.normalize(b"ab\xc3")
    assert e.value.code == "invalid_utf8" and e.value.offset == 2
    with pytest.raises(ValueError):
        khabar.analyze("نص.", skip=("nothing",))
    with pytest.raises(ValueError):
        khabar.analyze("نص.", date="12/07/2021")


def test_words_are_the_cli_words():
    words = ["والكتاب", "وبالكتاب", "وبكتابه", "أَفْغانِسْتان", "فسيكتبونها", "للمدرسة", "١٠٬٠٠٠", "ﻻ"]
    text = "\n".join(words).encode() + b"\n"
    assert [khabar.normalize(w) for w in words] == cli("normalize", stdin=text).decode().splitlines()
    assert ["+".join(khabar.segment(w)) for w in words] == cli("segment", stdin=text).decode().splitlines()
    assert [khabar.stem(w) for w in words] == cli("stem", stdin=text).decode().splitlines()
    assert khabar.normalize("أَفْغانِسْتان ١٠٬٠٠٠") == "افغانستان 10,000"
    assert khabar.normalize("أحمد", khabar.FOLD_ALEF) == "احمد"
    assert khabar.segment("وبالكتاب") == ["و", "ب", "ال", "كتاب"]


def tricky_jsonl():
    """Records that fail in every way the CLI reports, between good ones."""
    good = lambda i, text: json.dumps({"id": i, "text": text}, ensure_ascii=False).encode()
    return b"".join([
        b"\xef\xbb\xbf" + good(1, "قال الوزير إن الاتفاق مهم.") + b"\r\n",
        b"\n",
        b"   \t\n",
        b"not json\n",
        b'{"id": 55, "text": "' + bytes(range(0x80, 0x100)) + b'"}\n',  # in no encoding that can be told
        b'{"id": 5, "title": "no text"}\n',
        b'{"id": 6, "text": "' + "نص عربي ".encode() + b'\xff"}\n',
        '{"id": 7, "text": "أعلنت الحكومة السعودية اليوم عن ميزانية جديدة بقيمة 900 مليار ريال."}\n'
        .encode("windows-1256"),
        b'{"id": 8, "text": ""}\n',
        good(9, "وصل الرئيس أمس إلى الرياض.") + b"\n",
        b'{"id": 10, "html": "<html><body><article><h1>\xd8\xb9\xd9\x86\xd9\x88\xd8\xa7\xd9\x86</h1><p>'
        + "وقال المتحدث إن المحادثات ستستمر حتى الأسبوع المقبل في جنيف.".encode() + b'</p></article></body></html>"}\n',
        good(11, "آخر سطر بلا نهاية."),
    ])


def test_analyze_jsonl_is_the_cli_output(tmp_path):
    path = tmp_path / "tricky.jsonl"
    path.write_bytes(tricky_jsonl())
    expected = cli("analyze", "--jsonl", str(path)).decode().splitlines()
    with open(path, "rb") as f:
        got = list(khabar.analyze_jsonl(f))
    assert got == expected
    errors = [json.loads(x) for x in got if "error" in json.loads(x)]
    assert [e["line"] for e in errors] == [4, 5, 6, 7, 9]
    assert errors[1]["id"] == 55 and errors[1]["error"]["code"] == "invalid_encoding"
    assert json.loads(got[5])["id"] == 7
    assert json.loads(got[5])["repairs"][0]["kind"] == "encoding"
    assert json.loads(got[5])["repairs"][0]["text"] == "windows-1256"
    # The same with options, and as dicts.
    args = dict(tokens=True, skip=("entities",), summary=1, date="2020-01-02", replace_invalid=True)
    expected = cli("analyze", "--jsonl", "--tokens", "--skip", "entities", "--summary", "1", "--date",
                   "2020-01-02", "--replace-invalid", str(path)).decode().splitlines()
    with open(path, "rb") as f:
        assert list(khabar.analyze_jsonl(f, parse=True, **args)) == [json.loads(x) for x in expected]
    # str lines (a file opened as text) give the same for the UTF-8 records.
    utf8_only = b"".join(x for x in tricky_jsonl().splitlines(True) if not x.startswith(b'{"id": 7'))
    path.write_bytes(utf8_only)
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        assert list(khabar.analyze_jsonl(f)) == cli("analyze", "--jsonl", str(path)).decode().splitlines()


def test_analyze_jsonl_utf16_stream(tmp_path):
    text = tricky_jsonl().decode("utf-8", "replace").replace("\ufeff", "")
    path = tmp_path / "utf16.jsonl"
    path.write_bytes(text.encode("utf-16"))  # with a byte-order mark
    with open(path, "rb") as f:
        got = list(khabar.analyze_jsonl(f))
    assert got == cli("analyze", "--jsonl", str(path)).decode().splitlines()
    assert len(got) == 10


def test_threads_give_the_serial_results(articles):
    with open(articles, "rb") as f:
        lines = [next(f) for _ in range(120)]
    serial = list(khabar.analyze_jsonl(lines))
    results = [None] * 4

    def work(k):
        with khabar.Analyzer() as an:
            results[k] = list(an.analyze_jsonl(lines[k::4]))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Line numbers differ (each thread counts its own lines); records do not.
    for k in range(4):
        assert results[k] == serial[k::4]


def test_an_analyzer_is_not_shared_between_threads():
    an = khabar.Analyzer()
    an._busy.acquire()  # as if another thread were in the middle of a call
    with pytest.raises(RuntimeError):
        an.analyze("نص.")
    an._busy.release()
    assert an.analyze("عنوان\nنص قصير.")["sentences"]


def test_the_gil_is_released_during_analysis(articles):
    """While one thread is inside a long analysis, another keeps running:
    with the GIL held it would stall for the whole call."""
    with open(articles, "rb") as f:
        text = b"\n".join(json.loads(next(f))["text"].encode() for _ in range(200))
    an = khabar.Analyzer()
    an.analyze(text[:1000])
    state = {"in_call": False, "done": False, "ticks": 0, "gap": 0.0}

    def ticker():
        last = time.perf_counter()
        while not state["done"]:
            now = time.perf_counter()
            if state["in_call"]:
                state["ticks"] += 1
                state["gap"] = max(state["gap"], now - last)
            last = now

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.05)
    start = time.perf_counter()
    state["in_call"] = True
    an.analyze(text)
    state["in_call"] = False
    took = time.perf_counter() - start
    state["done"] = True
    t.join()
    assert took > 0.1, "the text should take a while to analyse"
    assert state["ticks"] > 100 and state["gap"] < took / 2, (state, took)


def test_pip_install_offline_finds_an_installed_library(tmp_path):
    """pip install ./python with no package index (as on a machine without
    network), and libkhabar installed by cmake --install: the package
    finds the installed library through the dynamic loader."""
    prefix, target = tmp_path / "prefix", tmp_path / "site"
    subprocess.run(["cmake", "--install", BUILD, "--prefix", str(prefix)], check=True, capture_output=True)
    r = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--no-index", "--quiet", "--target", str(target),
                        os.path.join(SOURCE, "python")], capture_output=True, text=True,
                       env=dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1"))
    assert r.returncode == 0, r.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_") and k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(target), LD_LIBRARY_PATH=str(prefix / "lib"))
    code = ("import khabar; print(khabar.__file__); "
            "print([l.split()[-1] for l in open('/proc/self/maps') if 'libkhabar' in l][0]); "
            "print(khabar.segment('وبالكتاب')); "
            "print(khabar.Archive('x.db').stats()['articles'])")
    r = subprocess.run(["/usr/bin/python3", "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    where, loaded, pieces, articles = r.stdout.splitlines()
    assert where.startswith(str(target)) and loaded.startswith(str(prefix))
    assert pieces == "['و', 'ب', 'ال', 'كتاب']" and articles == "0"
