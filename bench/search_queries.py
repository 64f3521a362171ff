#!/usr/bin/env python3
"""Queries for `khabar search --jsonl` drawn from a corpus and its archive,
to check that two builds give the same answers (bench/search_same.sh).

usage: python3 bench/search_queries.py CORPUS.jsonl DB [N] > queries.jsonl

N (default 1000) typed queries (1 to 3 consecutive words of a title, as a
user types them) with facets, then a tenth as many of each of these, with
facets unless said (a fifth as many with a type): a whole title with its words joined by OR (most of the
corpus matches), a query with an entity type, with an entity, with a tag,
with a date range, filters alone (no query), collapsed by story, a second
page (offset 10), and typed queries without facets.  The same arguments
give the same queries.
"""
import json
import random
import sqlite3
import sys

FUNCTION_WORDS = set("في من على إلى الى عن أن ان إن ما لا مع و أو او ل ب هذا هذه التي الذي بعد قبل خلال حول عبر منذ بين".split())
SPECIAL = set('"()*-=:|.,;!?\'')


def typable(w):
    return len(w.encode()) >= 4 and w not in FUNCTION_WORDS and not (set(w) & SPECIAL)


def main():
    corpus, db = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    rng = random.Random(12)
    titles = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            t = json.loads(line).get("title") or ""
            if t.strip():
                titles.append(t)
    step = max(1, len(titles) // n)
    typed, title_or = [], []
    for t in titles[::step]:
        words = [w for w in t.split() if w not in ("OR", "AND", "NOT")]
        clean = ["".join(" " if c in '"()*=' else c for c in w).strip() for w in words]
        clean = [w for w in clean if w and not w.startswith("-")]
        if clean:
            title_or.append(" OR ".join(clean))
        start, want = rng.randrange(len(words)), rng.randint(1, 3)
        run = []
        for i in range(len(words)):
            w = words[(start + i) % len(words)]
            if not typable(w):
                if run:
                    break
                continue
            run.append(w)
            if len(run) == want:
                break
        if run:
            typed.append(" ".join(run))
    typed = typed[:n]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    # names and tags that many articles have, so that the filters keep hits
    entities = [r[0] for r in con.execute(
        "SELECT e.name FROM entities e JOIN article_entities ae ON ae.entity = e.id"
        " GROUP BY e.id ORDER BY count(*) DESC LIMIT 200")]
    tags = [r[0] for r in con.execute(
        "SELECT tag FROM article_tags GROUP BY norm ORDER BY count(*) DESC LIMIT 200")]
    days = [r[0] for r in con.execute("SELECT DISTINCT date FROM articles WHERE date IS NOT NULL ORDER BY date")]
    con.close()
    out = []
    k = max(1, n // 10)

    def add(**q):
        q = {"id": len(out), **q}
        q.setdefault("facets", True)
        out.append(q)

    for q in typed:
        add(query=q)
    for q in title_or[:k]:
        add(query=q)
    # a query with a type alone takes seconds (FTS5 is asked for each
    # article of that type in turn), so fewer of these
    for i in range(max(4, k // 5)):
        add(query=rng.choice(typed), type=("PER", "ORG", "LOC", "MISC")[i % 4])
    for i in range(k):
        add(query=rng.choice(typed), entity=rng.choice(entities))
    for i in range(k):
        add(query=rng.choice(typed), tag=rng.choice(tags))
    for i in range(k):
        a, b = sorted(rng.sample(range(len(days)), 2)) if len(days) > 1 else (0, 0)
        add(query=rng.choice(typed), **{"from": days[a], "to": days[b]})
    for i in range(k):
        kind = i % 4
        if kind == 0:
            add(entity=rng.choice(entities))
        elif kind == 1:
            add(tag=rng.choice(tags))
        elif kind == 2:
            add(type=("PER", "ORG", "LOC", "MISC")[i // 4 % 4])
        else:
            add(**{"from": days[i % len(days)], "to": days[i % len(days)]})
    for i in range(k):
        add(query=rng.choice(typed), collapse=True)
    for i in range(k):
        add(query=rng.choice(typed), offset=10)
    for i in range(k):
        add(query=rng.choice(typed), facets=False)
    for q in out:
        print(json.dumps(q, ensure_ascii=False))


if __name__ == "__main__":
    main()
