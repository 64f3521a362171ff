"""khabar on Dask: JSON-lines files analysed on a cluster's workers.

    python3 -m khabar.dask INPUT... --out DIR [--workers N | --scheduler ADDRESS]
                           [--partition-mb M] [--tokens] [--skip LIST] [--summary N]
                           [--date YYYY-MM-DD] [--replace-invalid] [--max-bytes N]

INPUT: JSON-lines files, and folders of them (*.jsonl, *.ndjson, *.json,
each possibly .gz; read recursively).  For every input file, DIR gets one
output file (a file FILE[.gz] → DIR/FILE; a folder's files keep their path
under DIR/FOLDER) holding, for every record, exactly the line `khabar
analyze --jsonl` writes for it (error records included, with the input's
line numbers), in input order.

How: the client cuts each file into partitions of about M MB at line ends
(counting lines as it goes, so error records carry the file's line
numbers); each partition is one task (by default about four a worker).
A task writes its lines to a temporary file and renames it into place, so
a task that Dask runs again (its worker died) replaces its own part and no
record is lost or written twice.  When every
task is done, the client joins each file's parts in order.  Each worker
process loads the model once.  The workers read the inputs and write DIR
themselves: on a real cluster, both must be on a file system every machine
sees at the same path.
"""
import argparse
import gzip
import json
import os
import shutil
import sys
import time
import uuid

import khabar
from khabar import _jsonl

SUFFIXES = (".jsonl", ".ndjson", ".json")
PARTS = ".khabar-parts"


def _analyzer():
    # One per worker thread; the model is shared by the worker process.
    return khabar._default_analyzer()


# ---------------------------------------------------------------- inputs

def _is_input_name(name):
    base = name[:-3] if name.endswith(".gz") else name
    return base.endswith(SUFFIXES)


def _output_name(path):
    return path[:-3] if path.endswith(".gz") else path


def find_inputs(paths):
    """[(input path, output path relative to DIR)] for the INPUT arguments,
    in order; raises ValueError for a missing path or two inputs that would
    write the same output."""
    found = []
    for p in paths:
        if os.path.isdir(p):
            top = os.path.basename(os.path.normpath(os.path.abspath(p)))
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if _is_input_name(f):
                        full = os.path.join(root, f)
                        found.append((full, os.path.join(top, _output_name(os.path.relpath(full, p)))))
        elif os.path.isfile(p) or p == "-":
            if p == "-":
                raise ValueError("khabar.dask: reads files, not stdin: the workers open the inputs themselves")
            found.append((p, _output_name(os.path.basename(p))))
        else:
            raise ValueError("khabar.dask: %s: no such file or folder" % p)
    seen = {}
    for src, out in found:
        if out in seen:
            raise ValueError("khabar.dask: %s and %s would both be written to %s" % (seen[out], src, out))
        seen[out] = src
    return found


def _open(path):
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def plan(path, partition_bytes):
    """The partitions of one file: (start, end, first line number, at the
    stream's start?) in uncompressed bytes, cut at line ends.  A UTF-16
    file (a byte-order mark) is converted whole, so it is one partition."""
    with _open(path) as f:
        head = f.read(2)
        if head in (b"\xff\xfe", b"\xfe\xff"):
            return [(0, None, 1, True)]
        f.seek(0)
        parts = []
        start, lineno = 0, 1
        while True:
            block = f.read(partition_bytes)
            if not block:
                break
            if not block.endswith(b"\n"):
                block += f.readline()
            end = start + len(block)
            parts.append((start, end, lineno, start == 0))
            lineno += block.count(b"\n")
            start = end
        return parts


def read_part(path, start, end):
    """The bytes [start, end) of a file (uncompressed); end None: to the end."""
    with _open(path) as f:
        f.seek(start)  # gzip: decompresses and drops what comes before
        return f.read() if end is None else f.read(end - start)


# ---------------------------------------------------------------- tasks

def analyze_partition(path, start, end, first_lineno, stream_start, part_path, options):
    """One task: the lines [start, end) of `path` analysed into `part_path`
    (written to a temporary file, then renamed over it).  Returns
    {"records", "errors", "bytes"}."""
    data = read_part(path, start, end)
    os.makedirs(os.path.dirname(part_path), exist_ok=True)
    tmp = "%s.tmp-%s" % (part_path, uuid.uuid4().hex)
    records = errors = 0
    try:
        with open(tmp, "wb") as out:
            for line, failed in _jsonl.output_lines(_analyzer(), data.split(b"\n"), first_lineno=first_lineno,
                                                     stream_start=stream_start, **options):
                out.write(line)
                out.write(b"\n")
                records += 1
                errors += failed
        os.replace(tmp, part_path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return {"records": records, "errors": errors, "bytes": len(data)}


def _analyze_items(items, options, parse):
    raw = (json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x for x in items)
    out = []
    for line, _failed in _jsonl.output_lines(_analyzer(), raw, **options):
        out.append(json.loads(line) if parse else line.decode("utf-8"))
    return out


def analyze_bag(bag, *, tokens=False, skip=(), summary=3, date=None, replace_invalid=False,
                max_bytes=None, parse=False):
    """A dask.bag of JSON-lines records analysed: a bag of the lines
    `khabar analyze --jsonl` writes for them (str), or of their dicts with
    ``parse=True``.  Items are lines (str or bytes, as dask.bag.read_text
    gives them) or record dicts {"id", "title"?, "text", "date"?}.  Blank
    lines carry no record; an error record's "line" counts the items of its
    partition from 1.  Options as khabar.analyze_jsonl."""
    options = dict(tokens=tokens, skip=tuple(skip) if not isinstance(skip, str) else skip, summary=summary,
                   date=date, replace_invalid=replace_invalid, max_bytes=max_bytes)
    return bag.map_partitions(_analyze_items, options, parse)


# ---------------------------------------------------------------- the job

def _join(parts, dest):
    tmp = "%s.tmp-%s" % (dest, uuid.uuid4().hex)
    os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
    with open(tmp, "wb") as out:
        for p in parts:
            with open(p, "rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
    os.replace(tmp, dest)


def auto_partition_bytes(files, workers):
    """About four tasks a worker, so that they end together, between 1 and
    64 MB (a gzip file counted as four times its size)."""
    size = sum(os.path.getsize(src) * (4 if src.endswith(".gz") else 1) for src, _ in files)
    return int(min(64e6, max(1e6, size / (4 * max(1, workers)))))


def run(inputs, out_dir, client, *, partition_bytes=None, options=None, log=None):
    """Analyses the INPUT paths on `client`'s cluster into `out_dir` (see
    the module's help); partition_bytes None: auto_partition_bytes.
    Returns {"files", "records", "errors", "bytes", "seconds"}."""
    from distributed import as_completed

    options = dict(options or {})
    t0 = time.monotonic()
    files = find_inputs(inputs)
    if partition_bytes is None:
        partition_bytes = auto_partition_bytes(files, len(client.scheduler_info()["workers"]))
    parts_dir = os.path.join(out_dir, PARTS, uuid.uuid4().hex)
    futures, layout = [], []
    for i, (src, dest) in enumerate(files):
        names = []
        for k, (start, end, lineno, at_start) in enumerate(plan(src, partition_bytes)):
            part = os.path.join(parts_dir, "%06d" % i, "%06d.jsonl" % k)
            names.append(part)
            futures.append(client.submit(analyze_partition, os.path.abspath(src), start, end, lineno, at_start,
                                         os.path.abspath(part), options, pure=False,
                                         key="khabar-%s-%d-%d" % (os.path.basename(parts_dir), i, k)))
        layout.append((names, os.path.join(out_dir, dest)))
    total = {"files": len(files), "records": 0, "errors": 0, "bytes": 0}
    for fut in as_completed(futures):
        r = fut.result()
        for k in ("records", "errors", "bytes"):
            total[k] += r[k]
    for names, dest in layout:
        _join(names, dest)
    shutil.rmtree(parts_dir, ignore_errors=True)
    try:
        os.rmdir(os.path.join(out_dir, PARTS))
    except OSError:
        pass  # another job's parts are there
    total["seconds"] = time.monotonic() - t0
    if log:
        mb = total["bytes"] / 1e6
        log("khabar.dask: %d files, %d records, %d errors, %.1f MB in %.1f s: %.2f MB/s"
            % (total["files"], total["records"], total["errors"], mb, total["seconds"],
               mb / total["seconds"] if total["seconds"] else 0.0))
    return total


def _skip_list(value):
    names = value.split(",")
    for n in names:
        if n not in khabar.SKIP_NAMES:
            raise argparse.ArgumentTypeError("unknown analysis %r (%s)" % (n, ", ".join(khabar.SKIP_NAMES)))
    return tuple(names)


def _parser():
    p = argparse.ArgumentParser(
        prog="python3 -m khabar.dask",
        description="Analyses JSON-lines files (and folders of them, gzip too) on Dask workers; writes, "
                    "for every record, the line `khabar analyze --jsonl` writes for it.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON-lines file or folder (.jsonl, .ndjson, "
                   ".json, each possibly .gz)")
    p.add_argument("--out", required=True, metavar="DIR", help="where the outputs go")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N",
                       help="a local cluster of N worker processes (default: one per processor)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="a running cluster's scheduler, tcp://host:8786")
    p.add_argument("--partition-mb", type=float, metavar="M",
                   help="input per task, in MB (default: about four tasks a worker, 1 to 64 MB)")
    p.add_argument("--tokens", action="store_true", help="include \"tokens\"")
    p.add_argument("--skip", type=_skip_list, default=(), metavar="LIST", help="analyses to leave out, as "
                   "khabar analyze --skip")
    p.add_argument("--summary", type=int, default=3, metavar="N", help="sentences in \"summary\" (default 3)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the articles' date (a record's \"date\" overrides it)")
    p.add_argument("--replace-invalid", action="store_true", help="invalid UTF-8 replaced by U+FFFD")
    p.add_argument("--max-bytes", type=int, metavar="N", help="largest article accepted")
    return p


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.partition_mb is not None and args.partition_mb <= 0:
        _parser().error("--partition-mb must be positive")
    if args.workers is not None and args.workers < 1:
        _parser().error("--workers must be at least 1")
    options = dict(tokens=args.tokens, skip=args.skip, summary=args.summary, date=args.date,
                   replace_invalid=args.replace_invalid, max_bytes=args.max_bytes)
    khabar._options(**{k: v for k, v in options.items() if k != "tokens"})  # bad values fail here, not on workers

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    from distributed import Client, LocalCluster

    cluster = None
    try:
        if args.scheduler:
            client = Client(args.scheduler)
        else:
            cluster = LocalCluster(n_workers=args.workers or os.cpu_count() or 1, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        with client:
            size = max(1, int(args.partition_mb * 1e6)) if args.partition_mb else None
            total = run(args.inputs, args.out, client, partition_bytes=size, options=options, log=log)
    except (ValueError, OSError, khabar.Error) as e:
        log(str(e))
        return 2
    finally:
        if cluster is not None:
            cluster.close()
    return 1 if total["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
