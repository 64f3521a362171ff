"""Shared fixtures: where the build and the khabar binary are, the CLI as
the reference, and a test corpus built from SaudiNewsNet at test time (it
is never committed: the corpus is CC BY-NC-SA)."""
import glob
import os
import subprocess
import sys

import pytest

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
BUILD = os.path.abspath(os.environ.get("KHABAR_BUILD_DIR") or os.path.join(SOURCE, "build"))
KHABAR = os.path.join(BUILD, "khabar")
CORPUS = os.environ.get("KHABAR_CORPUS") or os.path.join(SOURCE, os.pardir, "shared", "data", "corpus",
                                                         "saudinewsnet", "dataset")
sys.path.insert(0, os.path.join(SOURCE, "python"))


def cli(*args, stdin=None, check_status=(0, 1)):
    """The khabar binary's stdout (bytes) for args."""
    r = subprocess.run([KHABAR, *args], input=stdin, capture_output=True)
    assert r.returncode in check_status, r.stderr.decode(errors="replace")
    return r.stdout


@pytest.fixture(scope="session")
def articles(tmp_path_factory):
    """SaudiNewsNet articles as JSON lines (two days, about 3,600 records; the
    tests use about 2,300 of them),
    converted by bench/news_jsonl as bench/corpus.sh does."""
    days = sorted(glob.glob(os.path.join(CORPUS, "*.zip")))[:2]
    if not days:
        pytest.fail("no SaudiNewsNet zip files in %s (set KHABAR_CORPUS)" % CORPUS)
    out = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    with open(out, "wb") as f:
        for z in days:
            day = os.path.basename(z)[:-4]
            unzip = subprocess.run(["unzip", "-p", z], capture_output=True, check=True)
            conv = subprocess.run([os.path.join(BUILD, "bench", "news_jsonl"), day], input=unzip.stdout,
                                  capture_output=True, check=True)
            f.write(conv.stdout)
    return out
