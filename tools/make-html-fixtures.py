#!/usr/bin/env python3
"""Builds the Arabic news pages of tests/html from ANT corpus articles.

Each page wraps one real article (Jawhara FM, ANT corpus, Apache-2.0; cite
Chouigui et al. 2017) in the markup of an Arabic news site: a right-to-left
layout with a menu, a breaking-news ticker, a byline with the date written
out, share buttons, a photo with its caption, an "اقرأ أيضا" box inside the
article, tags, "مواضيع ذات صلة" and "الأكثر قراءة" lists, comments, a cookie
notice and a footer.  The distractors are real text too: the headlines and
paragraphs of other ANT articles, so that no rule of thumb about length
tells them from the article.  Five layouts, as sites build them: a
WordPress theme, text parted by <br>, semantic HTML5 with JSON-LD, an old
table layout in windows-1256, and bare markup without class names.

Writes NAME.html and NAME.expected.json (the title, date, author, lang,
url and text khabar extract must give).

usage: tools/make-html-fixtures.py ANT_DIR OUT_DIR   (ANT_DIR: the unpacked
ant-train.tar.gz of ../shared/data/topics/ant)
"""
import html
import json
import os
import sys

ARTICLES = [
    ("wordpress", "politic/JA-politic-161-20160820.txt"),
    ("br_lines", "localNews/JA-localNews-1723-20170224.txt"),
    ("semantic_jsonld", "internationalNews/JA-internationalNews-382-20170227.txt"),
    ("table_cp1256", "culture/JA-culture-1-20170120.txt"),
    ("bare_markup", "localNews/JA-localNews-1287-20170215.txt"),
]
DISTRACTORS = [
    "diverse/JA-diverse-441-20170618.txt",
    "internationalNews/JA-internationalNews-1062-20160703.txt",
    "localNews/JA-localNews-2173-20161123.txt",
    "localNews/JA-localNews-3064-20170119.txt",
    "localNews/JA-localNews-351-22052016.txt",
    "localNews/JA-localNews-3971-20150731.txt",
]
MONTHS = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]


def read(ant, path):
    doc = open(os.path.join(ant, path), encoding="utf-8").read()

    def field(name):
        a = doc.index("<%s>" % name) + len(name) + 2
        return doc[a:doc.index("</%s>" % name)].strip()

    paras = [" ".join(p.split()) for p in field("TEXT").split("\n") if p.strip()]
    when = field("TIME")
    if "/" in when:
        d, m, y = when.split("/")
    else:  # 2017-06-18T19:00:00+01:00
        y, m, d = when[:10].split("-")
    return {"title": field("TITLE"), "url": field("URL"), "paras": paras,
            "date": "%s-%s-%s" % (y, m, d), "day": int(d), "month": int(m), "year": int(y)}


def e(s):
    return html.escape(s, quote=True)


def menu():
    items = ["الرئيسية", "أخبار وطنية", "سياسة", "اقتصاد", "رياضة", "ثقافة", "تكنولوجيا", "منوعات"]
    return "<ul class=\"menu\">" + "".join('<li><a href="/ar/cat/%d">%s</a></li>' % (i, t) for i, t in enumerate(items)) + "</ul>"


def links(others, cls):
    return "<ul class=\"%s\">" % cls + "".join('<li><a href="%s">%s</a></li>' % (e(o["url"]), e(o["title"])) for o in others) + "</ul>"


def written(a):
    return "%d %s %d" % (a["day"], MONTHS[a["month"] - 1], a["year"])


def comment(o):
    return o["paras"][0]


def page(kind, a, others):
    author = "أسماء بن عمر"
    t, paras = a["title"], a["paras"]
    head_meta = ""
    ticker = '<div class="ticker"><span>عاجل</span> <a href="/ar/1">%s</a></div>' % e(others[0]["title"])
    share = '<div class="share-buttons">شارك: <a href="#">فيسبوك</a> <a href="#">تويتر</a> <a href="#">واتساب</a></div>'
    read_also = '<div class="read-also"><strong>اقرأ أيضا:</strong> <a href="%s">%s</a></div>' % (e(others[1]["url"]), e(others[1]["title"]))
    tags = '<div class="tags">الكلمات المفتاحية: <a href="/tag/1">تونس</a> <a href="/tag/2">أخبار</a></div>'
    related = '<div class="related-news"><h3>مواضيع ذات صلة</h3>%s</div>' % links(others[2:5], "related-list")
    most_read = '<aside class="sidebar"><h3>الأكثر قراءة</h3>%s</aside>' % links(others, "most-read")
    comments = ('<div id="comments" class="comments"><h3>التعليقات</h3><div class="comment"><p class="comment-author">زائر</p><p>%s</p></div></div>'
                % e(comment(others[5])))
    cookie = '<div class="cookie-notice">يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك. <button>موافق</button></div>'
    footer = '<footer><p>جميع الحقوق محفوظة © 2017 جوهرة أف أم</p>%s</footer>' % menu()
    figure = '<figure><img src="/photo.jpg" alt=""><figcaption>صورة أرشيفية (أ ف ب)</figcaption></figure>'
    byline = '<div class="byline">بقلم <span class="author">%s</span> - نشر في %s</div>' % (author, written(a))
    expected = {"title": t, "date": a["date"], "author": author, "lang": "ar", "url": a["url"],
                "text": "\n\n".join(paras)}
    body_paras = "".join("<p>%s</p>\n" % e(p) for p in paras[:2]) + read_also + "".join("<p>%s</p>\n" % e(p) for p in paras[2:])
    charset = '<meta charset="utf-8">'
    if kind == "wordpress":
        doc = ('<header id="masthead"><div class="logo">جوهرة أف أم</div>%s</header>%s'
               '<div id="primary"><article class="post type-post"><h1 class="entry-title">%s</h1>%s%s'
               '<div class="entry-content">%s%s</div>%s</article>%s%s</div>%s%s%s'
               % (menu(), ticker, e(t), byline, share, figure, body_paras, tags, related, comments, most_read, cookie, footer))
        head_meta = '<link rel="canonical" href="%s"><meta name="author" content="%s">' % (e(a["url"]), author)
    elif kind == "br_lines":
        lines = "<br><br>\n".join(e(p) for p in paras)
        doc = ('<div id="header">%s</div>%s<div id="content"><h1>%s</h1>%s%s<div class="news-body">%s%s<br><br>\n%s</div>%s%s</div>%s%s'
               % (menu(), ticker, e(t), byline, share, figure.replace("figure", "div class=\"photo\"", 1).replace("</figure>", "</div>"), lines, tags, related, comments, most_read, footer))
        head_meta = '<meta property="og:url" content="%s"><meta property="og:title" content="%s">' % (e(a["url"]), e(t))
    elif kind == "semantic_jsonld":
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": t,
              "datePublished": a["date"] + "T10:30:00+01:00", "author": {"@type": "Person", "name": author},
              "inLanguage": "ar", "mainEntityOfPage": {"@type": "WebPage", "@id": a["url"]}}
        head_meta = '<script type="application/ld+json">%s</script>' % json.dumps(ld, ensure_ascii=False)
        expected["date"] = a["date"] + "T10:30:00+01:00"
        doc = ('<header><nav>%s</nav></header>%s<main><article><header><h1>%s</h1><p class="meta">بقلم %s، <time datetime="%sT10:30:00+01:00">%s</time></p></header>%s%s<section class="article-body">%s</section>%s</article>%s%s</main>%s%s%s'
               % (menu(), ticker, e(t), author, a["date"], written(a), share, figure, body_paras, tags, related, comments, most_read, cookie, footer))
    elif kind == "table_cp1256":
        charset = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
        cells = "".join('<tr><td class="text">%s</td></tr>' % e(p) for p in paras)
        doc = ('<table width="100%%"><tr><td colspan="2">%s</td></tr><tr><td width="70%%">'
               '<table><tr><td><h2 class="title">%s</h2></td></tr><tr><td class="date">%s | %s</td></tr>%s</table>'
               '</td><td width="30%%" class="side"><b>الأكثر قراءة</b>%s</td></tr><tr><td colspan="2">%s</td></tr></table>'
               % (menu(), e(t), author, written(a), cells, links(others, "list"), footer))
        head_meta = '<link rel="canonical" href="%s"><meta name="author" content="%s">' % (e(a["url"]), author)
    else:  # bare markup: no class names at all
        doc = ('<div>%s</div><div><h1>%s</h1><div>%s - %s</div>%s<div>%s</div><div><h3>اقرأ أيضا</h3>%s</div>'
               '<div id="comments"><h3>التعليقات</h3><p>%s</p></div></div><div><h3>الأكثر قراءة</h3>%s</div>%s'
               % (menu(), e(t), author, written(a), figure, "".join("<p>%s</p>" % e(p) for p in paras),
                  links(others[1:4], ""), e(comment(others[5])), links(others, ""), footer))
        head_meta = '<link rel="canonical" href="%s"><meta name="author" content="%s">' % (e(a["url"]), author)
    title_tag = "%s | جوهرة أف أم" % t
    page_html = ('<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>%s<title>%s</title>%s</head>\n<body>\n%s\n</body>\n</html>\n'
                 % (charset, e(title_tag), head_meta, doc))
    return page_html, expected


def main():
    ant, out = sys.argv[1], sys.argv[2]
    others = [read(ant, p) for p in DISTRACTORS]
    for kind, path in ARTICLES:
        a = read(ant, path)
        page_html, expected = page(kind, a, others)
        data = page_html.encode("windows-1256") if kind == "table_cp1256" else page_html.encode("utf-8")
        with open(os.path.join(out, kind + ".html"), "wb") as f:
            f.write(data)
        with open(os.path.join(out, kind + ".expected.json"), "w", encoding="utf-8") as f:
            json.dump(expected, f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
