"""The README's Python tutorial runs as written and prints what it says."""
import contextlib
import io
import os
import re
import shutil

from conftest import SOURCE


def python_blocks():
    text = open(os.path.join(SOURCE, "README.md"), encoding="utf-8").read()
    section = text[text.index("\n## Python\n"):text.index("\n## Dask\n")]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_readme_tutorial(tmp_path, monkeypatch):
    blocks = python_blocks()
    assert len(blocks) == 4
    (tmp_path / "examples").mkdir()
    shutil.copy(os.path.join(SOURCE, "examples", "article.txt"), tmp_path / "examples")
    shutil.copy(os.path.join(SOURCE, "tests", "spec", "records.jsonl"), tmp_path / "articles.jsonl")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})
    out = printed.getvalue()
    assert "['أبو عمر خراساني', 'فرانك ماكنزي']" in out
    assert "افغانستان 10,000 ['و', 'ب', 'ال', 'كتاب']" in out
    assert "500 مليون دولار" in out and "invalid_utf8 5" in out
    assert open(tmp_path / "analysed.jsonl", encoding="utf-8").read().count("\n") > 0
    assert "{'stored': " in out and "['a-1']" in out
