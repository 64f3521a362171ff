"""Speed of the Python package and the Dask job beside the CLI, on the same
SaudiNewsNet JSON lines (bench/corpus.sh converts the corpus; nothing
derived from it is committed).

    /usr/bin/python3 bench/dask_speed.py BUILD_DIR [CORPUS_DIR] [--mb 24] [--runs 1]

Rows: `khabar analyze --jsonl --threads 1` and `2`; khabar.analyze_jsonl on
1 and 2 Python threads (an Analyzer each: the GIL is released during
analysis); python3 -m khabar.dask's run() on a LocalCluster of 1 and 2
worker processes.  For each: wall time and MB/s (fastest of --runs), MB/s
per core (MB/s over threads or workers), CPU seconds used and MB per CPU
second; the ratio column is per core against the CLI with as many threads.
The machine may be shared: MB per CPU second says what each core costs even
when the wall clock is disturbed.  The outputs are checked against the CLI's.
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "python"))


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cli_run(khabar, path, threads, out):
    c0, t0 = children_cpu(), time.perf_counter()
    with open(out, "wb") as f:
        subprocess.run([khabar, "analyze", "--jsonl", "--threads", str(threads), path], stdout=f, check=False)
    return time.perf_counter() - t0, children_cpu() - c0


def python_run(path, threads, out):
    import khabar

    with open(path, "rb") as f:
        lines = f.readlines()
    chunks = [lines[k::threads] for k in range(threads)]
    results = [None] * threads
    analyzers = [khabar.Analyzer() for _ in range(threads)]

    def work(k):
        results[k] = [line for line, _ in khabar._jsonl.output_lines(analyzers[k], chunks[k])]

    c0, t0 = time.process_time(), time.perf_counter()
    ts = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    merged = [None] * len(lines)
    for k in range(threads):
        merged[k::threads] = results[k]
    with open(out, "wb") as f:
        f.write(b"".join(x + b"\n" for x in merged))
    return wall, cpu


def dask_run(client, path, workers, out_dir):
    import psutil  # a dependency of distributed

    import khabar.dask

    def worker_cpu():
        t = psutil.Process().cpu_times()
        return t.user + t.system

    c0 = sum(client.run(worker_cpu).values())
    t0 = time.perf_counter()
    khabar.dask.run([path], out_dir, client)
    wall = time.perf_counter() - t0
    return wall, sum(client.run(worker_cpu).values()) - c0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("corpus", nargs="?", default=os.path.join(HERE, os.pardir, os.pardir, "shared", "data",
                                                              "corpus", "saudinewsnet", "dataset"))
    ap.add_argument("--mb", type=float, default=24.0, help="MB of the corpus to analyse (default 24)")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    os.environ["KHABAR_BUILD_DIR"] = os.path.abspath(args.build)
    subprocess.run(["sh", os.path.join(HERE, "corpus.sh"), args.build, args.corpus], check=True,
                   env=dict(os.environ, CONVERT_ONLY="1"))
    khabar_bin = os.path.join(args.build, "khabar")
    tmp = tempfile.mkdtemp(prefix="khabar-dask-bench-")
    path = os.path.join(tmp, "input.jsonl")
    limit = int(args.mb * 1e6)
    with open(os.path.join(args.build, "bench", "corpus.jsonl"), "rb") as src, open(path, "wb") as dst:
        n = 0
        for line in src:
            if n >= limit:
                break
            dst.write(line)
            n += len(line)
    mb = os.path.getsize(path) / 1e6
    import khabar

    print("input: %.1f MB, %d records; khabar %s (%s); Python %s"
          % (mb, sum(1 for _ in open(path, "rb")), khabar.library_version, khabar.library_path,
             sys.version.split()[0]))
    expected = os.path.join(tmp, "cli.out")
    rows = []

    def best(fn, *a):
        runs = [fn(*a) for _ in range(args.runs)]
        return min(runs)

    for n in (1, 2):
        rows.append(("khabar analyze --jsonl --threads %d" % n, n) + best(cli_run, khabar_bin, path, n, expected))
    for n in (1, 2):
        out = os.path.join(tmp, "py%d.out" % n)
        rows.append(("khabar.analyze_jsonl, %d thread%s" % (n, "s" * (n > 1)), n) + best(python_run, path, n, out))
        assert open(out, "rb").read() == open(expected, "rb").read(), "Python output differs from the CLI's"
    from distributed import Client, LocalCluster

    for n in (1, 2):
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=40) as cluster, Client(cluster) as client:
            client.run(lambda: khabar._default_analyzer() and None)  # the model, loaded as a worker starts
            out_dir = os.path.join(tmp, "dask%d" % n)
            rows.append(("khabar.dask, %d worker%s" % (n, "s" * (n > 1)), n) + best(dask_run, client, path, n,
                                                                                    out_dir))
        assert open(os.path.join(out_dir, "input.jsonl"), "rb").read() == open(expected, "rb").read(), \
            "Dask output differs from the CLI's"
    cli_rate = {r[1]: mb / r[2] / r[1] for r in rows[:2]}
    print("%-38s %7s %7s %9s %7s %9s %10s" % ("", "wall s", "MB/s", "MB/s/core", "CPU s", "MB/CPU s",
                                              "vs CLI/core"))
    for name, n, wall, cpu in rows:
        per_core = mb / wall / n
        print("%-38s %7.2f %7.2f %9.2f %7.2f %9.2f %9.0f%%" % (name, wall, mb / wall, per_core, cpu, mb / cpu,
                                                               100 * per_core / cli_rate[n]))
    subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
