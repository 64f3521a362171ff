"""khabar.Archive: what `khabar index`, `khabar search` and `khabar stats`
do, through libkhabar_archive.so."""
import json
import os

import pytest

import khabar
from conftest import SOURCE, cli
from test_khabar import tricky_jsonl

QUERIES = [
    dict(args=["الرياض"], kw=dict(query="الرياض")),
    dict(args=["--limit", "3", "--entity", "داعش", "--from", "2015-07-01", "الرياض"],
         kw=dict(query="الرياض", limit=3, entities=["داعش"], date_from="2015-07-01")),
    dict(args=["--type", "PER", "--no-facets", "--limit", "5", "--offset", "2"],
         kw=dict(type="PER", facets=False, limit=5, offset=2)),
    dict(args=["--tag", "داعش", "--to", "2015-07-21", "وزير OR أمير"],
         kw=dict(query="وزير OR أمير", tag="داعش", date_to="2015-07-21")),
]


@pytest.fixture(scope="module")
def records(articles, tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "records.jsonl"
    with open(articles, "rb") as f:
        lines = [next(f) for _ in range(250)]
    path.write_bytes(b"".join(lines) + tricky_jsonl() + b"\n")
    return path


def test_index_search_stats_as_the_cli(records, tmp_path):
    cli_db, py_db = tmp_path / "cli.db", tmp_path / "py.db"
    cli("index", "--db", str(cli_db), "--jsonl", str(records))
    with khabar.Archive(py_db) as ar:
        with open(records, "rb") as f:
            result = ar.index(f, batch=100)
        assert result["stored"] == 254  # 261, a record with "html", is a page: stored as the CLI stores it
        assert [n for n, _ in result["failed"]] == [251, 254, 255, 256, 257, 259]  # 251: a byte-order mark mid-file
        stats = ar.stats()
    cli_stats = json.loads(cli("stats", "--db", str(cli_db)))
    # the file's size depends on the batches (a batch's index entries are one FTS5 segment)
    assert stats.pop("file_bytes") > 0 and cli_stats.pop("file_bytes") > 0
    assert stats == cli_stats
    assert stats["articles"] == 254 and stats["first_date"] == "2015-07-21"
    with khabar.Archive(py_db, readonly=True) as ar:
        # the page's article, title and all, as the CLI stored it
        page = json.loads(cli("search", "--db", str(cli_db), "--json", "المحادثات جنيف"))
        assert page["hits"][0]["id"] == "10" and page["hits"][0]["title"] == "عنوان"
        assert ar.search("المحادثات جنيف") == page
        for q in QUERIES:
            expected = json.loads(cli("search", "--db", str(cli_db), "--json", *q["args"]))
            assert ar.search(**q["kw"]) == expected, q
            assert expected["hits"]
        with pytest.raises(khabar.Error) as e:
            ar.search('"unclosed')
        assert e.value.code == "invalid_query"
        top = ar.entities(limit=5)
        assert top == json.loads(cli("entities", "--db", str(cli_db), "--limit", "5")) and len(top) == 5
        assert ar.entities(type="PER", date_from="2015-07-21", date_to="2015-07-21") == json.loads(
            cli("entities", "--db", str(cli_db), "--type", "PER", "--from", "2015-07-21", "--to", "2015-07-21"))
        for name, type_ in ((top[0]["name"], None), ("السعوديه", "LOC"), ("لا أحد بهذا الاسم", None)):
            args = ["--type", type_] if type_ else []
            assert ar.entity(name, type=type_) == json.loads(cli("entity", "--db", str(cli_db), *args, name))
        assert ar.entity(top[0]["name"])[0]["days"] and ar.entity("لا أحد بهذا الاسم") == []
        with pytest.raises(khabar.Error) as e:
            ar.entities(type="PERSON")
        assert e.value.code == "invalid_argument"


def test_add_replace_delete(tmp_path):
    with khabar.Archive(tmp_path / "a.db") as ar:
        ar.add("a1", "قال وزير الخارجية إن المحادثات في جنيف ستستمر.", title="محادثات جنيف", date="2021-03-01")
        ar.add("a1", "أعلنت الحكومة في الرياض ميزانية جديدة.", title="ميزانية الرياض", date="2021-03-02")
        assert ar.stats()["articles"] == 1
        hits = ar.search("الرياض")["hits"]
        assert [h["id"] for h in hits] == ["a1"] and hits[0]["title"] == "ميزانية الرياض"
        assert ar.search("جنيف")["total"] == 0
        with pytest.raises(khabar.Error) as e:
            ar.add("a2", "   ")
        assert e.value.code == "empty"
        assert ar.delete("a1") and not ar.delete("a1")
        assert ar.stats()["articles"] == 0
    with pytest.raises(khabar.Error) as e:
        khabar.Archive(tmp_path / "missing.db", readonly=True)
    assert e.value.code == "io_error"
    (tmp_path / "not.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(khabar.Error) as e:
        khabar.Archive(tmp_path / "not.db")
    assert e.value.code == "bad_format"


def story_records():
    """Two stories made from the seed article (its first and second halves,
    each copied with small edits: a word changed, a sentence added, a
    paragraph dropped) and an unrelated article."""
    with open(os.path.join(SOURCE, "examples", "article.txt"), encoding="utf-8") as f:
        lines = [line.strip() for line in f]
    first = [lines[i - 1] for i in (3, 5, 9)]  # the file's line numbers
    second = [lines[i - 1] for i in (10, 11, 15, 16, 17)]
    a, b = "\n\n".join(first), "\n\n".join(second)
    assert "حوالى" in a and "أعلن" in b
    return [
        dict(id="a1", date="2021-09-01", title="طالبان تعترف بقتل زعيم داعش", text=a),
        dict(id="b1", date="2021-09-02", title="داعش في أفغانستان", text=b),
        dict(id="a2", date="2021-09-02", title="طالبان وداعش",
             text=a.replace("حوالى", "نحو") + "\n\nوأضافت الصحيفة أن الحركة لم تعلق على التقرير."),
        dict(id="x", date="2021-09-03", title="ملعب المدينة",
             text="فاز الفريق الأول بالمباراة النهائية أمس في ملعب المدينة أمام جمهور كبير من المشجعين."),
        dict(id="b2", date="2021-09-03", text=b.replace("أعلن", "قال")),
        dict(id="a3", date="2021-09-04", title="مقتل خراساني", text="\n\n".join(first[:2])),
    ]


def test_stories_and_collapse_as_the_cli(tmp_path):
    records = story_records()
    path = tmp_path / "stories.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    cli_db = str(tmp_path / "cli.db")
    cli("index", "--db", cli_db, "--jsonl", str(path))
    with khabar.Archive(tmp_path / "py.db") as ar:
        assert ar.index(records) == {"stored": 6, "failed": []}
        assert ar.stats()["stories"] == 2
        stories = ar.stories()
        assert stories == json.loads(cli("stories", "--db", cli_db))
        # the edits keep each half in its own story, oldest first; the match report in none
        assert [(s["size"], s["first"], [a["id"] for a in s["articles"]]) for s in stories] == [
            (3, "a1", ["a1", "a2", "a3"]), (2, "b1", ["b1", "b2"])]
        assert stories[1]["near_duplicates"] == 1 and 0.5 <= stories[0]["similarity"] <= 1
        for kw, args in ((dict(limit=1), ["--limit", "1"]),
                         (dict(min_size=3), ["--min-size", "3"]),
                         (dict(min_size=1), ["--min-size", "1"]),
                         (dict(date_from="2021-09-02", date_to="2021-09-03"),
                          ["--from", "2021-09-02", "--to", "2021-09-03"])):
            got = ar.stories(**kw)
            assert got == json.loads(cli("stories", "--db", cli_db, *args)), kw
        assert [s["size"] for s in ar.stories(min_size=1)] == [3, 2, 1]
        assert [s["size"] for s in ar.stories(date_from="2021-09-02", date_to="2021-09-03")] == [2]  # a2 alone of its story
        with pytest.raises(khabar.Error) as e:
            ar.stories(date_from="2021-9-2")
        assert e.value.code == "invalid_argument"

        for query, kw, args in (("داعش", {}, []),
                                ("داعش", dict(limit=2, offset=1), ["--limit", "2", "--offset", "1"]),
                                (None, dict(facets=False), ["--no-facets"]),
                                ("خراساني", dict(date_from="2021-09-02"), ["--from", "2021-09-02"])):
            collapsed = ar.search(query, collapse=True, **kw)
            assert collapsed == json.loads(cli("search", "--db", cli_db, "--json", "--collapse", *args,
                                               *([query] if query else []))), (query, kw)
            assert collapsed != ar.search(query, **kw)
        ids = [h["id"] for h in ar.search(collapse=True)["hits"]]
        assert len(ids) == 3 and {"a1", "a2", "a3"} & set(ids) and {"b1", "b2"} & set(ids) and "x" in ids
