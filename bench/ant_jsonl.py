#!/usr/bin/env python3
"""The ANT corpus (../shared/data/topics/ant/ant-train.tar.gz) as JSON lines
{"id", "title", "date", "text"}, one article a line, for the archive's
benchmarks (bench/known_item): a second news corpus, Tunisian radio news,
beside SaudiNewsNet.

usage: python3 bench/ant_jsonl.py [ANT_TAR_GZ] > ant.jsonl
"""
import json
import re
import sys
import tarfile

FIELD = re.compile(r"<(DOCNO|TITLE|TIME|TEXT)>(.*?)</\1>", re.S)


def articles(path):
    with tarfile.open(path) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not member.isfile():
                continue
            raw = tar.extractfile(member).read().decode("utf-8", "replace")
            fields = {k: v.strip() for k, v in FIELD.findall(raw)}
            if fields.get("DOCNO") and fields.get("TITLE") and fields.get("TEXT"):
                yield {"id": fields["DOCNO"], "title": fields["TITLE"],
                       "date": fields.get("TIME", "")[:10] or None, "text": fields["TEXT"]}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/topics/ant/ant-train.tar.gz"
    for a in articles(path):
        if a["date"] is None:
            del a["date"]
        sys.stdout.write(json.dumps(a, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
