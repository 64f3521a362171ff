"""The Dask job on a LocalCluster of two worker processes: its outputs are
byte for byte the CLI's, also when a worker is killed in the middle."""
import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import distributed  # noqa: E402
import dask.bag  # noqa: E402

import khabar.dask  # noqa: E402
from conftest import SOURCE, cli  # noqa: E402
from test_khabar import tricky_jsonl  # noqa: E402

PARTITION_MB = 0.5


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as c, distributed.Client(c) as client:
        yield c, client


@pytest.fixture(scope="module")
def inputs(articles, tmp_path_factory):
    """A folder: a.jsonl (plain), sub/b.jsonl.gz, c.jsonl (failing records
    among good ones, far enough in to land in later partitions), and a file
    given on its own; with the CLI's output for each."""
    with open(articles, "rb") as f:
        lines = f.readlines()
    top = tmp_path_factory.mktemp("in")
    folder = top / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.jsonl").write_bytes(b"".join(lines[:900]))
    with gzip.open(folder / "sub" / "b.jsonl.gz", "wb") as g:
        g.write(b"".join(lines[900:1700]))
    (folder / "c.jsonl").write_bytes(b"".join(lines[1700:1900]) + tricky_jsonl() + b"\n"
                                     + b"".join(lines[1900:2100]) + b"{broken\n")
    (folder / "notes.txt").write_text("not an input")
    single = top / "d.ndjson"
    single.write_bytes(b"".join(lines[2100:2300]))
    # The CLI on two threads writes what it writes on one (tests/cli_test.sh).
    analyze = ("analyze", "--jsonl", "--threads", "2")
    expected = {
        "news/a.jsonl": cli(*analyze, str(folder / "a.jsonl")),
        "news/sub/b.jsonl": cli(*analyze, stdin=gzip.decompress((folder / "sub" / "b.jsonl.gz").read_bytes())),
        "news/c.jsonl": cli(*analyze, str(folder / "c.jsonl")),
        "d.ndjson": cli(*analyze, str(single)),
    }
    assert b'"error"' in expected["news/c.jsonl"]
    return [str(folder), str(single)], expected


def outputs(out_dir):
    found = {}
    for root, dirs, files in os.walk(out_dir):
        for f in files:
            p = os.path.join(root, f)
            found[os.path.relpath(p, out_dir)] = open(p, "rb").read()
    return found


def test_job_gives_the_cli_output(cluster, inputs, tmp_path):
    c, client = cluster
    paths, expected = inputs
    env = dict(os.environ, PYTHONPATH=os.path.join(SOURCE, "python"))
    r = subprocess.run([sys.executable, "-m", "khabar.dask", *paths, "--out", str(tmp_path / "out"),
                        "--scheduler", c.scheduler_address, "--partition-mb", str(PARTITION_MB)],
                       env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr  # some records failed, as with the CLI
    assert outputs(tmp_path / "out") == expected
    records = sum(v.count(b"\n") for v in expected.values())
    errors = sum(v.count(b'"error":{') for v in expected.values())
    assert "4 files, %d records, %d errors" % (records, errors) in r.stderr
    assert "MB/s" in r.stderr


def test_killed_worker_loses_and_repeats_nothing(cluster, inputs, tmp_path):
    c, client = cluster
    paths, expected = inputs
    out = tmp_path / "out"
    result, killed = {}, {}

    def job():
        try:
            result["total"] = khabar.dask.run(paths, str(out), client, partition_bytes=int(PARTITION_MB * 1e6))
        except BaseException as e:  # noqa: BLE001 - reported by the test
            result["error"] = e

    t = threading.Thread(target=job)
    t.start()
    deadline = time.monotonic() + 120
    # Once some parts are written, kill a worker that is running a task.
    while t.is_alive() and time.monotonic() < deadline and not killed:
        parts = [f for _, _, fs in os.walk(out) for f in fs if f.endswith(".jsonl")] if out.exists() else []
        busy = [w for w, tasks in client.processing().items() if tasks]
        if len(parts) >= 3 and busy:
            pids = client.run(os.getpid, workers=[busy[0]])
            killed = {"worker": busy[0], "parts_before": len(parts), "pid": pids[busy[0]]}
            os.kill(pids[busy[0]], signal.SIGKILL)
        time.sleep(0.05)
    t.join(timeout=max(1, deadline - time.monotonic()))
    assert killed, "the job ended before a worker could be killed"
    assert "error" not in result, result.get("error")
    assert outputs(out) == expected
    assert killed["worker"] not in client.scheduler_info()["workers"]
    assert result["total"]["records"] == sum(v.count(b"\n") for v in expected.values())
    client.wait_for_workers(2, timeout=60)


def test_analyze_bag(cluster, articles):
    c, client = cluster
    with open(articles, "rb") as f:
        lines = [next(f) for _ in range(60)]
    lines[7] = b"{not json\n"
    bag = dask.bag.from_sequence([x.decode() for x in lines], npartitions=1)
    got = khabar.dask.analyze_bag(bag).compute()
    assert got == cli("analyze", "--jsonl", stdin=b"".join(lines)).decode().splitlines()
    records = [json.loads(x) for x in lines[:7]]
    bag = dask.bag.from_sequence(records, npartitions=3)
    got = khabar.dask.analyze_bag(bag, parse=True, skip="all").compute()
    assert [g["id"] for g in got] == [r["id"] for r in records] and "entities" not in got[0]


def test_local_cluster_and_usage(tmp_path):
    (tmp_path / "x.jsonl").write_bytes(b'{"id": 1, "text": "\xd9\x86\xd8\xb5."}\n')
    env = dict(os.environ, PYTHONPATH=os.path.join(SOURCE, "python"))
    run = lambda *a: subprocess.run([sys.executable, "-m", "khabar.dask", *a], env=env, capture_output=True,
                                    text=True, timeout=300)
    r = run(str(tmp_path / "x.jsonl"), "--out", str(tmp_path / "out"), "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "x.jsonl").read_bytes() == cli("analyze", "--jsonl", str(tmp_path / "x.jsonl"))
    assert not (tmp_path / "out" / khabar.dask.PARTS).exists()
    assert run(str(tmp_path / "missing"), "--out", str(tmp_path / "o2"), "--workers", "1").returncode == 2
    assert run(str(tmp_path / "x.jsonl"), "--out", str(tmp_path / "o3"), "--skip", "bogus").returncode == 2
