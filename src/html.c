/* Article extraction from HTML pages (khabar_extract).
 *
 * The page is parsed by libxml2's HTML parser into a tree; nothing here
 * reads markup itself.  Then, over that tree:
 *  1. metadata: title, date, author, language and canonical address from
 *     <meta>, <link rel=canonical>, JSON-LD, <time> and visible bylines;
 *  2. junk: subtrees that are never article text (scripts, navigation,
 *     forms, hidden elements, and elements whose class or id names a menu,
 *     a share bar, comments, related links, ads ...);
 *  3. the article's container: every paragraph gives points to its parent
 *     and grandparent by its length and commas; the container with the
 *     best score, discounted by the share of its text inside links, wins,
 *     with the siblings that score near it;
 *  4. blocks: headings, paragraphs, quotes and list items of the container
 *     in document order, leaving out link lists, short link-heavy blocks
 *     and the boilerplate lines news sites put around articles.
 * The heuristics are measured on the scrapinghub benchmark
 * (tools/extract_eval.c, docs/html.md). */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "kh.h"

/* ---- the page ---- */

struct khabar_page {
    kh_arena arena;
    char *fields[KHABAR_PAGE_FIELD_COUNT]; /* arena strings or NULL */
    size_t field_len[KHABAR_PAGE_FIELD_COUNT];
    kh_vec blocks; /* khabar_html_block */
    kh_buf json;
};

void khabar_page_free(khabar_page *page)
{
    if (!page) return;
    kh_arena_free(&page->arena);
    kh_vec_free(&page->blocks);
    kh_buf_free(&page->json);
    free(page);
}

const char *khabar_page_get(const khabar_page *page, khabar_page_field field, size_t *len)
{
    if (!page || (unsigned)field >= KHABAR_PAGE_FIELD_COUNT || !page->fields[field]) {
        if (len) *len = 0;
        return NULL;
    }
    if (len) *len = page->field_len[field];
    return page->fields[field];
}

size_t khabar_page_block_count(const khabar_page *page) { return page ? page->blocks.len : 0; }

const khabar_html_block *khabar_page_block(const khabar_page *page, size_t i)
{
    return page && i < page->blocks.len ? &((const khabar_html_block *)page->blocks.data)[i] : NULL;
}

/* ---- small string helpers ---- */

static int is_html_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && !strcmp((const char *)a->name, name) && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

static int name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && !strcmp((const char *)n->name, name);
}

/* Appends `s` to b with runs of white space (and no-break spaces) made one
 * space; `*space` carries whether b ends in a pending space across calls. */
static int append_collapsed(kh_buf *b, const char *s, size_t n, int *space)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int sp = is_html_space(c);
        if (!sp && c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) { sp = 1; i++; }
        if (sp) { *space = 1; continue; }
        if (*space && b->len && b->data[b->len - 1] != '\n' && kh_buf_putc(b, ' ')) return -1;
        *space = 0;
        if (kh_buf_putc(b, (char)c)) return -1;
    }
    return 0;
}

/* Letters (code points that are not white space) in s. */
static size_t count_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80 && !is_html_space(c)) k++;
    }
    return k;
}

/* ---- per-element statistics ---- */

typedef struct stats {
    double score;     /* paragraph points received */
    unsigned chars;   /* letters of text in the subtree (junk left out) */
    unsigned link_chars;
    unsigned commas;
    unsigned paragraphs; /* <p> with text below */
    unsigned images, inputs, list_items, embeds;
    unsigned char junk;  /* never article text */
    unsigned char candidate;
    unsigned char in_link; /* inside an <a> */
    unsigned inline_chars, inline_link_chars, inline_commas; /* of text set straight in it, beside blocks */
    int weight;       /* from class and id */
} stats;

#define ST(n) ((stats *)(n)->_private)

typedef struct extractor {
    khabar_page *page;
    xmlNode **nodes; /* every element, in document order */
    stats *st;       /* parallel to nodes; each element's _private points at its own */
    size_t nst, cap;
    xmlNode *body;
    /* metadata candidates, strongest source first */
    char *meta[KHABAR_PAGE_FIELD_COUNT];
    int meta_rank[KHABAR_PAGE_FIELD_COUNT];
    char *ld_body; /* JSON-LD articleBody, malloc'd, or NULL */
    unsigned flags; /* which heuristics are on: a retry relaxes them */
} extractor;

enum { STRIP_UNLIKELY = 1, WEIGH_CLASSES = 2, CLEAN_CONDITIONALLY = 4 };

/* ---- class and id words ---- */

static int has_word(const char *hay, const char *const *words)
{
    for (const char *const *w = words; *w; w++)
        if (strstr(hay, *w)) return 1;
    return 0;
}

/* Lower-case "class id" of an element, into buf. */
static const char *class_and_id(const xmlNode *n, char *buf, size_t cap)
{
    const char *c = attr(n, "class"), *i = attr(n, "id");
    snprintf(buf, cap, "%s %s", c ? c : "", i ? i : "");
    for (char *p = buf; *p; p++) *p = (char)tolower((unsigned char)*p);
    return buf;
}

/* Never article text, whatever they hold. */
static const char *const unlikely_words[] = {
    "comment", "disqus", "share", "sharing", "social", "related", "recommend", "promo", "sponsor",
    "advert", "banner", "sidebar", "side-bar", "widget", "newsletter", "subscribe", "signup",
    "sign-up", "cookie", "consent", "gdpr", "popup", "modal", "breadcrumb", "pagination", "pager",
    "footer", "masthead", "menu", "navbar", "nav-", "-nav", "toolbar", "outbrain", "taboola",
    "most-read", "mostread", "most-popular", "popular", "trending", "skip-link", "sr-only",
    "visually-hidden", "screen-reader", "print-only", "login", "author-bio", "caption", "credit",
    "tags", "tag-list", "taglist", "keywords", "byline", "dateline", "timestamp", "rating",
    "read-more", "readmore", "also-read", "more-stories", "follow", "subscription", "paywall",
    "ad-slot", "adslot", "ad-container", "ad-wrapper", "ad-unit", "dfp", "googlead", "jp-relatedposts",
    "wp-caption-text", "meta-", "-meta", "post-meta", "entry-meta", "article-meta", "header",
    "hidden", "offscreen", "tooltip", "ticker", "newsticker", "breaking", "slideshow", "gallery",
    "carousel", "video-player", "audio", "podcast", "print", "email", "e-mail", "correction-policy",
    NULL};
/* Words that keep an element despite an unlikely word (article-header-share
 * stays junk: these only rescue containers that hold the text). */
static const char *const maybe_words[] = {"article", "body", "content", "main", "story", "entry", "post-text", NULL};
static const char *const positive_words[] = {
    "article", "body", "content", "entry", "hentry", "main", "page", "post", "text", "blog",
    "story", "news", "detail", "prose", "rich-text", "richtext", NULL};
static const char *const negative_words[] = {
    "hidden", "banner", "comment", "contact", "footer", "masthead", "media", "meta", "outbrain",
    "promo", "related", "scroll", "share", "sidebar", "sponsor", "shopping", "tags", "widget",
    "social", "nav", "menu", "ad-", "-ad", "caption", "credit", "byline", "author", NULL};

/* Matches "ad", "ads" and "advert" as whole words of a class list. */
static int names_ad(const char *s)
{
    for (const char *p = s; *p;) {
        while (*p && !isalnum((unsigned char)*p)) p++;
        const char *w = p;
        while (*p && isalnum((unsigned char)*p)) p++;
        size_t n = (size_t)(p - w);
        if ((n == 2 && !strncmp(w, "ad", 2)) || (n == 3 && !strncmp(w, "ads", 3))) return 1;
    }
    return 0;
}

static int class_weight(const xmlNode *n)
{
    char buf[512];
    const char *s = class_and_id(n, buf, sizeof buf);
    int w = 0;
    if (has_word(s, negative_words) || names_ad(s)) w -= 25;
    if (has_word(s, positive_words)) w += 25;
    const char *prop = attr(n, "itemprop");
    if (prop && strstr(prop, "articleBody")) w += 50;
    return w;
}

/* ---- junk ---- */

static const char *const junk_tags[] = {
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "math", "button", "input", "select", "textarea", "option", "nav", "aside", "footer", "menu",
    "figcaption", "label", "video", "audio", "picture", "map", "dialog", "head", "title", "link",
    "meta", "base", "form", NULL};

static int in_list(const char *s, const char *const *list)
{
    for (const char *const *w = list; *w; w++)
        if (!strcmp(s, *w)) return 1;
    return 0;
}

/* ---- the words looked for (data/html.txt) ---- */

enum { PAGE_WORDS_MAX = 128, PAGE_WORDS_POOL = 8192 };

typedef struct month_name {
    const char *name;
    int month;
} month_name;

/* Read once from the built-in data into fixed storage (extraction needs
 * no model to hold them); each list NULL-terminated, each word a
 * NUL-terminated copy in pool. */
static const char *boilerplate_lines[PAGE_WORDS_MAX + 1], *byline_leads[PAGE_WORDS_MAX + 1],
    *dateline_words[PAGE_WORDS_MAX + 1];
static month_name months[PAGE_WORDS_MAX];
static size_t n_months;
static char page_words_pool[PAGE_WORDS_POOL];
static int page_words_ok;
static pthread_once_t page_words_once = PTHREAD_ONCE_INIT;

static void load_page_words(void)
{
    const kh_blob *b = kh_blob_find("html");
    if (!b) return;
    const char *s = (const char *)b->data, *end = s + b->len;
    size_t used = 0, n_boilerplate = 0, n_leads = 0, n_datelines = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end, *next = nl ? nl + 1 : end;
        if (le == s || *s == '#') { s = next; continue; }
        const char *tab = memchr(s, '\t', (size_t)(le - s));
        if (!tab) return;
        const char *word = tab + 1, *tab2 = memchr(word, '\t', (size_t)(le - word));
        size_t kind_len = (size_t)(tab - s), len = (size_t)((tab2 ? tab2 : le) - word);
        if (!len || used + len + 1 > sizeof page_words_pool) return;
        char *copy = page_words_pool + used;
        memcpy(copy, word, len);
        copy[len] = '\0';
        used += len + 1;
#define KIND_IS(k) (kind_len == sizeof k - 1 && !memcmp(s, k, kind_len))
        if (KIND_IS("MONTH")) {
            int month = tab2 ? atoi(tab2 + 1) : 0;
            if (month < 1 || month > 12 || n_months == PAGE_WORDS_MAX) return;
            months[n_months++] = (month_name){copy, month};
        } else {
            const char **list = KIND_IS("BOILERPLATE") ? &boilerplate_lines[n_boilerplate++]
                              : KIND_IS("BYLINE")      ? &byline_leads[n_leads++]
                              : KIND_IS("DATELINE")    ? &dateline_words[n_datelines++]
                                                       : NULL;
            if (!list || tab2 || n_boilerplate > PAGE_WORDS_MAX || n_leads > PAGE_WORDS_MAX ||
                n_datelines > PAGE_WORDS_MAX)
                return;
            *list = copy;
        }
#undef KIND_IS
        s = next;
    }
    page_words_ok = 1;
}

static int hidden(const xmlNode *n)
{
    if (attr(n, "hidden")) return 1;
    const char *aria = attr(n, "aria-hidden");
    if (aria && !strcmp(aria, "true")) return 1;
    const char *style = attr(n, "style");
    if (style) {
        char buf[256];
        size_t k = 0;
        for (const char *p = style; *p && k + 1 < sizeof buf; p++)
            if (!is_html_space((unsigned char)*p)) buf[k++] = (char)tolower((unsigned char)*p);
        buf[k] = '\0';
        if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden")) return 1;
    }
    return 0;
}

/* Whether an element is junk by its own tag, attributes, class or id. */
static int junk_element(const extractor *x, const xmlNode *n)
{
    const char *tag = (const char *)n->name;
    if (in_list(tag, junk_tags)) {
        /* Some sites wrap the whole page in one <form> (ASP.NET). */
        if (!strcmp(tag, "form")) return 0;
        return 1;
    }
    if (hidden(n)) return 1;
    const char *role = attr(n, "role");
    if (role && (!strcmp(role, "navigation") || !strcmp(role, "complementary") || !strcmp(role, "menu") ||
                 !strcmp(role, "banner") || !strcmp(role, "contentinfo") || !strcmp(role, "dialog") ||
                 !strcmp(role, "alert")))
        return 1;
    if (!(x->flags & STRIP_UNLIKELY)) return 0;
    if (!strcmp(tag, "body") || !strcmp(tag, "html") || !strcmp(tag, "article") || !strcmp(tag, "main") ||
        !strcmp(tag, "a"))
        return 0;
    const char *prop = attr(n, "itemprop");
    if (prop && strstr(prop, "articleBody")) return 0;
    char buf[512];
    const char *s = class_and_id(n, buf, sizeof buf);
    if (!(has_word(s, unlikely_words) || names_ad(s))) return 0;
    return !has_word(s, maybe_words) || strstr(s, "share") || strstr(s, "related") || strstr(s, "comment") ||
           strstr(s, "social") || strstr(s, "newsletter") || strstr(s, "caption") || strstr(s, "promo");
}

/* ---- statistics pass ---- */

static int is_block(const xmlNode *n);

/* The elements of the tree in document order (iteratively: pages can nest
 * deeply), so that a forward pass sees parents before children and a
 * backward pass children before parents. */
static int gather(extractor *x, xmlNode *root)
{
    xmlNode *cur = root;
    while (cur) {
        if (cur->type == XML_ELEMENT_NODE) {
            if (x->nst == x->cap) {
                size_t cap = x->cap ? x->cap * 2 : 1024;
                xmlNode **bigger = realloc(x->nodes, cap * sizeof *bigger);
                if (!bigger) return -1;
                x->nodes = bigger;
                x->cap = cap;
            }
            x->nodes[x->nst++] = cur;
            if (cur->children) { cur = cur->children; continue; }
        }
        while (cur != root && !cur->next) cur = cur->parent;
        if (cur == root) break;
        cur = cur->next;
    }
    return 0;
}

static unsigned count_commas(const char *t, size_t len)
{
    unsigned commas = 0;
    for (size_t i = 0; i < len; i++)
        if (t[i] == ',' || ((unsigned char)t[i] == 0xD8 && i + 1 < len && (unsigned char)t[i + 1] == 0x8C))
            commas++; /* , and the Arabic comma U+060C */
    return commas;
}

static int compute_stats(extractor *x, xmlNode *root)
{
    if (gather(x, root)) return -1;
    x->st = calloc(x->nst ? x->nst : 1, sizeof *x->st);
    if (!x->st) return -1;
    for (size_t i = 0; i < x->nst; i++) {
        xmlNode *n = x->nodes[i];
        stats *s = &x->st[i];
        n->_private = s;
        xmlNode *p = n->parent;
        stats *ps = p && p->type == XML_ELEMENT_NODE ? p->_private : NULL;
        s->junk = (ps && ps->junk) || junk_element(x, n);
        s->in_link = (ps && ps->in_link) || name_is(n, "a");
    }
    for (size_t i = x->nst; i-- > 0;) {
        xmlNode *n = x->nodes[i];
        stats *s = ST(n);
        if (s->junk) continue;
        for (xmlNode *c = n->children; c; c = c->next) {
            if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
                if (!c->content) continue;
                const char *t = (const char *)c->content;
                size_t len = strlen(t);
                unsigned chars = (unsigned)count_chars(t, len);
                unsigned commas = count_commas(t, len);
                s->chars += chars;
                s->commas += commas;
                s->inline_chars += chars;
                s->inline_commas += commas;
                if (s->in_link) s->link_chars += chars, s->inline_link_chars += chars;
            } else if (c->type == XML_ELEMENT_NODE && c->_private) {
                const stats *cs = ST(c);
                if (name_is(c, "img")) s->images++;
                if (name_is(c, "input") || name_is(c, "select") || name_is(c, "textarea")) s->inputs++;
                if (name_is(c, "embed") || name_is(c, "object") || name_is(c, "iframe")) s->embeds++;
                if (cs->junk) continue;
                if (!is_block(c)) {
                    s->inline_chars += cs->chars;
                    s->inline_link_chars += cs->link_chars;
                    s->inline_commas += cs->commas;
                }
                s->chars += cs->chars;
                s->link_chars += cs->link_chars;
                s->commas += cs->commas;
                s->paragraphs += cs->paragraphs + (unsigned)(name_is(c, "p") && cs->chars > 0);
                s->images += cs->images;
                s->inputs += cs->inputs;
                s->embeds += cs->embeds;
                s->list_items += cs->list_items + (unsigned)name_is(c, "li");
            }
        }
    }
    return 0;
}

static double link_density(const stats *s) { return s->chars ? (double)s->link_chars / s->chars : 0; }

/* ---- the container ---- */

static const char *const block_tags[] = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "figure", "header", "footer", "address", "center", "hr", "br", "form", "fieldset", "body",
    "html", "aside", "nav", "details", "summary", "caption", NULL};

static int is_block(const xmlNode *n) { return n->type == XML_ELEMENT_NODE && in_list((const char *)n->name, block_tags); }

static int has_block_child(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_block(c) && !name_is(c, "br")) return 1;
    return 0;
}

static int heading_level(const xmlNode *n)
{
    const char *t = (const char *)n->name;
    return n->type == XML_ELEMENT_NODE && t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2] ? t[1] - '0' : 0;
}

static double base_score(const extractor *x, const xmlNode *n)
{
    const char *t = (const char *)n->name;
    double s = 0;
    if (!strcmp(t, "div") || !strcmp(t, "article") || !strcmp(t, "section") || !strcmp(t, "main")) s = 5;
    else if (!strcmp(t, "pre") || !strcmp(t, "td") || !strcmp(t, "blockquote")) s = 3;
    else if (!strcmp(t, "address") || !strcmp(t, "ol") || !strcmp(t, "ul") || !strcmp(t, "dl") ||
             !strcmp(t, "dd") || !strcmp(t, "dt") || !strcmp(t, "li") || !strcmp(t, "form"))
        s = -3;
    else if (heading_level(n) || !strcmp(t, "th")) s = -5;
    if (x->flags & WEIGH_CLASSES) s += ST(n)->weight;
    return s;
}

/* Whether an element holds a paragraph of its own: a <p>, <pre> or <td>,
 * or a container with no blocks inside (text set straight in a <div>). */
static int paragraph_like(const xmlNode *n)
{
    const char *t = (const char *)n->name;
    if (!strcmp(t, "p") || !strcmp(t, "pre") || !strcmp(t, "td")) return 1;
    if (!strcmp(t, "div") || !strcmp(t, "section") || !strcmp(t, "article") || !strcmp(t, "blockquote") ||
        !strcmp(t, "dd") || !strcmp(t, "span") || !strcmp(t, "font"))
        return !has_block_child(n);
    return 0;
}

static void touch(extractor *x, xmlNode *n)
{
    stats *s = ST(n);
    if (s->candidate) return;
    s->candidate = 1;
    s->score = base_score(x, n);
}

static xmlNode *choose_container(extractor *x)
{
    for (size_t i = 0; i < x->nst; i++) {
        xmlNode *n = x->nodes[i];
        stats *s = ST(n);
        if (x->flags & WEIGH_CLASSES) s->weight = class_weight(n);
    }
    for (size_t i = 0; i < x->nst; i++) {
        xmlNode *n = x->nodes[i];
        stats *s = ST(n);
        if (s->junk) continue;
        if (!paragraph_like(n)) {
            /* text set straight in a container beside its blocks (lines
             * parted by <br>): a paragraph of the container's own */
            if (s->inline_chars < 25 || (double)s->inline_link_chars / s->inline_chars > 0.5) continue;
            double points = 1 + s->inline_commas + (s->inline_chars / 100 < 3 ? s->inline_chars / 100 : 3);
            points *= 1 - (double)s->inline_link_chars / s->inline_chars;
            int level = 0;
            for (xmlNode *a = n; a && a->type == XML_ELEMENT_NODE && level < 5; a = a->parent, level++) {
                if (!a->_private || ST(a)->junk) break;
                touch(x, a);
                ST(a)->score += points / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
            }
            continue;
        }
        if (s->chars < 25) continue;
        /* a paragraph inside a paragraph-like element counts once, at the top */
        xmlNode *p = n->parent;
        if (p && p->type == XML_ELEMENT_NODE && p->_private && paragraph_like(p) && !name_is(n, "p")) continue;
        double points = 1 + s->commas + (s->chars / 100 < 3 ? s->chars / 100 : 3);
        points *= 1 - link_density(s);
        int level = 0;
        for (xmlNode *a = n->parent; a && a->type == XML_ELEMENT_NODE && level < 5; a = a->parent, level++) {
            if (!a->_private || ST(a)->junk) break;
            touch(x, a);
            ST(a)->score += points / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
        }
    }
    xmlNode *top = NULL;
    double best = 0;
    for (size_t i = 0; i < x->nst; i++) {
        xmlNode *n = x->nodes[i];
        stats *s = ST(n);
        if (!s->candidate || s->junk) continue;
        s->score *= 1 - link_density(s);
        if (!top || s->score > best) { top = n; best = s->score; }
    }
    if (!top) return x->body;
    /* Several strong candidates under one ancestor: the article is split
     * into sections, and the ancestor holds them all. */
    xmlNode *rivals[8];
    size_t nr = 0;
    for (size_t i = 0; i < x->nst && nr < 8; i++) {
        xmlNode *n = x->nodes[i];
        if (n != top && ST(n)->candidate && !ST(n)->junk && ST(n)->score >= 0.75 * best) rivals[nr++] = n;
    }
    if (nr >= 3) {
        for (xmlNode *a = top->parent; a && a->type == XML_ELEMENT_NODE && !name_is(a, "body"); a = a->parent) {
            size_t under = 0;
            for (size_t r = 0; r < nr; r++)
                for (xmlNode *b = rivals[r]; b; b = b->parent)
                    if (b == a) { under++; break; }
            if (under >= 3) { top = a; touch(x, top); break; }
        }
    }
    /* A lone child says nothing of its siblings: look from its parent. */
    while (top->parent && top->parent->type == XML_ELEMENT_NODE && !name_is(top->parent, "body") &&
           top->parent->_private && ST(top->parent)->chars <= ST(top)->chars + 1) {
        top = top->parent;
        touch(x, top);
    }
    return top;
}

/* Whether a sibling of the container belongs to the article. */
static int sibling_belongs(const extractor *x, const xmlNode *top, const xmlNode *sib)
{
    if (sib == top) return 1;
    if (sib->type != XML_ELEMENT_NODE || !sib->_private) return 0;
    const stats *s = ST(sib), *t = ST(top);
    if (s->junk || !s->chars) return 0;
    double threshold = t->score * 0.2 > 10 ? t->score * 0.2 : 10;
    double bonus = 0;
    const char *ca = attr(top, "class"), *cb = attr(sib, "class");
    if (ca && cb && *ca && !strcmp(ca, cb)) bonus = t->score * 0.2;
    if (s->candidate && s->score + bonus >= threshold) return 1;
    (void)x;
    if (name_is(sib, "p")) {
        double ld = link_density(s);
        if (s->chars > 80 && ld < 0.25) return 1;
        if (s->chars > 0 && s->chars <= 80 && ld == 0) {
            /* a short paragraph that ends a sentence */
            const xmlNode *last = sib->last;
            while (last && last->type != XML_TEXT_NODE) last = last->prev;
            if (last && last->content) {
                const char *c = (const char *)last->content;
                size_t n = strlen(c);
                while (n && is_html_space((unsigned char)c[n - 1])) n--;
                if (n && (c[n - 1] == '.' || c[n - 1] == '!' || c[n - 1] == '?')) return 1;
            }
        }
    }
    return 0;
}

/* ---- cleaning inside the container ---- */

static int is_list(const xmlNode *n) { return name_is(n, "ul") || name_is(n, "ol"); }

/* Readability-style conditional cleaning: containers inside the article
 * that look like link lists, galleries, forms or widgets. */
static int drop_conditionally(const extractor *x, const xmlNode *n)
{
    if (!(x->flags & CLEAN_CONDITIONALLY)) return 0;
    const char *t = (const char *)n->name;
    const stats *s = ST(n);
    int list = is_list(n);
    int level = heading_level(n);
    if (level) {
        return (s->weight < 0) || link_density(s) > 0.33;
    }
    if (strcmp(t, "table") && strcmp(t, "ul") && strcmp(t, "ol") && strcmp(t, "div") && strcmp(t, "section") &&
        strcmp(t, "header") && strcmp(t, "form") && strcmp(t, "figure") && strcmp(t, "dl") && strcmp(t, "p"))
        return 0;
    double ld = link_density(s);
    if (!strcmp(t, "p")) return s->chars < 200 && ld > 0.5;
    if (s->weight < 0) return 1;
    if (s->commas >= 10) return 0;
    if (s->chars == 0) return s->images == 0; /* an empty wrapper; images alone are no text anyway */
    unsigned p = s->paragraphs, img = s->images, li = s->list_items, input = s->inputs;
    if (!strcmp(t, "figure")) return 1;
    if (img > 1 && (double)p / img < 0.5) return 1;
    if (!list && li > p + 1 && ld > 0.2) return 1;
    if (input > p / 3) return 1;
    if (!list && s->chars < 25 && (img == 0 || img > 2)) return 1;
    if (list && ld > 0.5) return 1;
    if (!list && s->weight < 25 && ld > 0.2) return 1;
    if (s->weight >= 25 && ld > 0.5) return 1;
    if ((s->embeds == 1 && s->chars < 75) || s->embeds > 1) return 1;
    return 0;
}

/* ---- blocks ---- */

typedef struct emitter {
    extractor *x;
    kh_buf text;     /* the page's text: blocks separated by a blank line */
    kh_buf block;    /* the block being collected */
    int space;
    khabar_block_kind kind;
    kh_vec spans;    /* pending blocks: start, end, kind as size_t triples */
    const char *title;
    const char *author;
} emitter;

/* A block that sites put around an article, never part of it: one of
 * data/html.txt's BOILERPLATE, case and trailing punctuation aside. */
static int boilerplate_line(const char *s, size_t n)
{
    if (n > 60) return 0;
    char buf[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof buf; i++) buf[k++] = (char)tolower((unsigned char)s[i]);
    while (k && (buf[k - 1] == ':' || buf[k - 1] == '.' || buf[k - 1] == ' ' || buf[k - 1] == '>' ||
                 buf[k - 1] == '|'))
        k--;
    /* Arabic colon U+061B? no: the Arabic semicolon; a trailing Arabic colon is ':' */
    buf[k] = '\0';
    return in_list(buf, boilerplate_lines);
}

static int iso_date_in(const char *s, char *out);
static int written_date(const char *s, size_t n, char *out);

/* "أسماء بن عمر | 20 جانفي 2017": the author's name and a date in a short
 * line is the byline, not text. */
static int byline(const emitter *e, const char *s, size_t n)
{
    if (n > 100 || !e->author || strlen(e->author) < 3) return 0;
    char line[128], iso[32];
    memcpy(line, s, n);
    line[n] = '\0';
    return strstr(line, e->author) && (iso_date_in(line, iso) || written_date(line, n, iso));
}

static int flush_block(emitter *e)
{
    kh_buf *b = &e->block;
    size_t n = b->len;
    while (n && b->data[n - 1] == ' ') n--;
    size_t start = 0;
    while (start < n && b->data[start] == ' ') start++;
    int rc = 0;
    if (n > start && !boilerplate_line(b->data + start, n - start) && !byline(e, b->data + start, n - start) &&
        !(e->kind == KHABAR_BLOCK_HEADING && e->title && strlen(e->title) == n - start &&
          !memcmp(e->title, b->data + start, n - start))) {
        if (e->text.len) rc |= kh_buf_append(&e->text, "\n\n", 2);
        size_t *span = kh_vec_push(&e->spans, 3 * sizeof(size_t));
        if (!span) return -1;
        span[0] = e->text.len;
        rc |= kh_buf_append(&e->text, b->data + start, n - start);
        span[1] = e->text.len;
        span[2] = (size_t)e->kind;
    }
    b->len = 0;
    e->space = 0;
    return rc;
}

static int emit_node(emitter *e, xmlNode *n, khabar_block_kind kind, int depth);

static int emit_children(emitter *e, xmlNode *n, khabar_block_kind kind, int depth)
{
    for (xmlNode *c = n->children; c; c = c->next)
        if (emit_node(e, c, kind, depth + 1)) return -1;
    return 0;
}

static int emit_node(emitter *e, xmlNode *n, khabar_block_kind kind, int depth)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (!n->content) return 0;
        if (!e->block.len) e->kind = kind;
        return append_collapsed(&e->block, (const char *)n->content, strlen((const char *)n->content), &e->space);
    }
    if (n->type != XML_ELEMENT_NODE || !n->_private) return 0;
    stats *s = ST(n);
    if (s->junk || drop_conditionally(e->x, n)) {
        /* a dropped inline element still separates words */
        if (!is_block(n)) e->space = 1;
        return 0;
    }
    if (name_is(n, "img")) return 0;
    if (name_is(n, "br")) {
        /* two line breaks in a row part paragraphs; one is a space */
        xmlNode *next = n->next;
        while (next && next->type == XML_TEXT_NODE && next->content &&
               count_chars((const char *)next->content, strlen((const char *)next->content)) == 0)
            next = next->next;
        if (next && name_is(next, "br")) return flush_block(e);
        e->space = 1;
        return 0;
    }
    if (depth > 200 || !is_block(n)) return emit_children(e, n, kind, depth);
    if (flush_block(e)) return -1;
    khabar_block_kind inner = kind;
    if (heading_level(n)) inner = KHABAR_BLOCK_HEADING;
    else if (name_is(n, "blockquote")) inner = KHABAR_BLOCK_QUOTE;
    else if (name_is(n, "li") || name_is(n, "dd") || name_is(n, "dt")) inner = kind == KHABAR_BLOCK_QUOTE ? kind : KHABAR_BLOCK_LIST_ITEM;
    else if (name_is(n, "p") && kind != KHABAR_BLOCK_QUOTE && kind != KHABAR_BLOCK_LIST_ITEM) inner = KHABAR_BLOCK_PARAGRAPH;
    if (emit_children(e, n, inner, depth)) return -1;
    return flush_block(e);
}

/* ---- metadata ---- */

/* The text of a subtree, white space collapsed, into b (emptied first).
 * It stops once b holds more than `max` bytes: a caller looking for a short
 * byline need not read every container of the page to its end (which made
 * the byline search quadratic in the nesting). */
static int subtree_text_upto(kh_buf *b, const xmlNode *n, size_t max)
{
    b->len = 0;
    int space = 0;
    const xmlNode *cur = n->children;
    while (cur && b->len <= max) {
        if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) && cur->content &&
            append_collapsed(b, (const char *)cur->content, strlen((const char *)cur->content), &space))
            return -1;
        if (cur->type == XML_ELEMENT_NODE && cur->children && !name_is(cur, "script") && !name_is(cur, "style")) {
            cur = cur->children;
            continue;
        }
        while (cur && cur != n && !cur->next) cur = cur->parent;
        if (!cur || cur == n) break;
        cur = cur->next;
    }
    while (b->len && b->data[b->len - 1] == ' ') b->len--;
    return kh_buf_putc(b, '\0') ? -1 : (b->len--, 0);
}

static int subtree_text(kh_buf *b, const xmlNode *n) { return subtree_text_upto(b, n, SIZE_MAX); }

/* Offers a value for a field from a source of the given rank (lower is
 * stronger); the strongest non-empty one is kept. */
static void offer(extractor *x, khabar_page_field f, int rank, const char *v, size_t n)
{
    while (n && is_html_space((unsigned char)*v)) v++, n--;
    while (n && is_html_space((unsigned char)v[n - 1])) n--;
    if (!n || n > 4096 || (x->meta[f] && x->meta_rank[f] <= rank)) return;
    kh_buf b = {0};
    int space = 0;
    if (append_collapsed(&b, v, n, &space) || kh_buf_putc(&b, '\0')) { kh_buf_free(&b); return; }
    if (kh_utf8_check(b.data, b.len - 1) != b.len - 1) { kh_buf_free(&b); return; }
    free(x->meta[f]);
    x->meta[f] = b.data;
    x->meta_rank[f] = rank;
}

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

static int valid_day(int y, int m, int d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days[m - 1]) return 0;
    return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* "2021-07-12", "2021-07-12T10:30:00+03:00", "2021/07/12 10:30" → ISO 8601
 * in out (at least 32 bytes): the date, and the time with its zone when
 * given.  Returns 1 on success. */
static int iso_date(const char *s, char *out)
{
    while (is_html_space((unsigned char)*s)) s++;
    int y, m, d;
    if (!digits(s, 4, &y) || (s[4] != '-' && s[4] != '/') || !digits(s + 5, 2, &m) || s[7] != s[4] ||
        !digits(s + 8, 2, &d) || !valid_day(y, m, d))
        return 0;
    int len = snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
    const char *t = s + 10;
    int hh, mm, ss = 0;
    if ((*t == 'T' || *t == ' ') && digits(t + 1, 2, &hh) && t[3] == ':' && digits(t + 4, 2, &mm) && hh < 24 &&
        mm < 60) {
        t += 6;
        if (*t == ':' && digits(t + 1, 2, &ss) && ss < 61) t += 3;
        if (*t == '.') { t++; while (*t >= '0' && *t <= '9') t++; }
        len += snprintf(out + len, (size_t)(32 - len), "T%02d:%02d:%02d", hh, mm, ss);
        int zh, zm;
        if (*t == 'Z') snprintf(out + len, (size_t)(32 - len), "Z");
        else if ((*t == '+' || *t == '-') && digits(t + 1, 2, &zh) &&
                 ((t[3] == ':' && digits(t + 4, 2, &zm)) || digits(t + 3, 2, &zm)) && zh < 15 && zm < 60)
            snprintf(out + len, (size_t)(32 - len), "%c%02d:%02d", *t, zh, zm);
    }
    return 1;
}

/* The first ISO date anywhere in s. */
static int iso_date_in(const char *s, char *out)
{
    for (const char *p = s; *p; p++)
        if (*p >= '0' && *p <= '9' && (p == s || p[-1] < '0' || p[-1] > '9') && iso_date(p, out)) return 1;
    return 0;
}

/* A date written out, as in a byline: "نشر في 12 يوليو 2021",
 * "July 12, 2021", "الإثنين 12/07/2021": day, month (a name or a number)
 * and a four-digit year, in any digits.  Writes YYYY-MM-DD. */
static int written_date(const char *s, size_t n, char *out)
{
    /* words: digits (any script, as values) and letters, lower-cased */
    enum { MAXW = 64 };
    int value[MAXW], month[MAXW];
    size_t nw = 0;
    for (size_t i = 0; i < n && nw < MAXW;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!k) { i++; continue; }
        int dig = cp >= '0' && cp <= '9' ? (int)(cp - '0')
                : cp >= 0x0660 && cp <= 0x0669 ? (int)(cp - 0x0660)   /* ARABIC-INDIC DIGIT ZERO.. */
                : cp >= 0x06F0 && cp <= 0x06F9 ? (int)(cp - 0x06F0) : -1; /* EXTENDED ARABIC-INDIC */
        if (dig >= 0) {
            long v = 0;
            int len = 0;
            while (i < n) {
                k = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp);
                dig = cp >= '0' && cp <= '9' ? (int)(cp - '0')
                    : cp >= 0x0660 && cp <= 0x0669 ? (int)(cp - 0x0660)
                    : cp >= 0x06F0 && cp <= 0x06F9 ? (int)(cp - 0x06F0) : -1;
                if (dig < 0 || !k) break;
                if (len < 6) v = v * 10 + dig;
                len++;
                i += k;
            }
            value[nw] = len <= 4 ? (int)v : -1;
            month[nw++] = 0;
            continue;
        }
        int best = 0;
        size_t best_len = 0;
        for (size_t m = 0; m < n_months; m++) {
            size_t ml = strlen(months[m].name);
            if (ml > n - i || ml <= best_len) continue;
            int same = 1;
            for (size_t j = 0; j < ml && same; j++) same = tolower((unsigned char)s[i + j]) == (unsigned char)months[m].name[j];
            /* a whole word: no letter right after */
            if (same && i + ml < n && isalpha((unsigned char)s[i + ml])) same = 0;
            if (same && i + ml + 1 < n && (unsigned char)s[i + ml] >= 0xD8 && (unsigned char)s[i + ml] <= 0xDB) same = 0;
            if (same && i > 0 && (isalpha((unsigned char)s[i - 1]) || (unsigned char)s[i - 1] >= 0x80)) same = 0;
            if (same) { best = months[m].month; best_len = ml; }
        }
        if (best) {
            value[nw] = -1;
            month[nw++] = best;
            i += best_len;
            continue;
        }
        i += k;
    }
    for (size_t w = 0; w < nw; w++) {
        int y = -1, mo = 0, d = -1;
        if (month[w]) {
            mo = month[w];
            /* 12 July 2021, July 12 2021, July 12, 2021 */
            if (w > 0 && w + 1 < nw && value[w - 1] > 0 && value[w - 1] <= 31 && value[w + 1] >= 1900) {
                d = value[w - 1];
                y = value[w + 1];
            } else if (w + 2 < nw && value[w + 1] > 0 && value[w + 1] <= 31 && value[w + 2] >= 1900) {
                d = value[w + 1];
                y = value[w + 2];
            }
        } else if (w + 2 < nw && !month[w + 1] && !month[w + 2] && value[w] >= 0 && value[w + 1] >= 0 &&
                   value[w + 2] >= 0) {
            /* numbers: day first (12/07/2021), or the year first */
            if (value[w] >= 1900) { y = value[w]; mo = value[w + 1]; d = value[w + 2]; }
            else if (value[w + 2] >= 1900) { d = value[w]; mo = value[w + 1]; y = value[w + 2]; }
        }
        if (y >= 0 && valid_day(y, mo, d)) {
            snprintf(out, 32, "%04d-%02d-%02d", y, mo, d);
            return 1;
        }
    }
    return 0;
}

static void offer_date(extractor *x, int rank, const char *v)
{
    char iso[32];
    if (!v) return;
    if (iso_date(v, iso) || written_date(v, strlen(v), iso)) offer(x, KHABAR_PAGE_DATE, rank, iso, strlen(iso));
}

static int is_address(const char *v) { return !strncmp(v, "http://", 7) || !strncmp(v, "https://", 8) || v[0] == '/'; }

static int article_type(json_t *type)
{
    if (json_is_array(type)) {
        size_t i;
        json_t *t;
        json_array_foreach(type, i, t) if (article_type(t)) return 1;
        return 0;
    }
    const char *s = json_string_value(type);
    if (!s) return 0;
    size_t n = strlen(s);
    return (n >= 7 && !strcmp(s + n - 7, "Article")) || !strcmp(s, "BlogPosting") || !strcmp(s, "LiveBlogPosting") ||
           !strcmp(s, "Report");
}

static void json_ld_author(extractor *x, json_t *a)
{
    if (json_is_array(a)) {
        /* several authors: the first names the article */
        if (json_array_size(a)) json_ld_author(x, json_array_get(a, 0));
        return;
    }
    const char *name = json_is_string(a) ? json_string_value(a) : json_string_value(json_object_get(a, "name"));
    if (name && !is_address(name)) offer(x, KHABAR_PAGE_AUTHOR, 1, name, strlen(name));
}

static void json_ld_walk(extractor *x, json_t *j, int depth)
{
    if (depth > 16) return;
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) json_ld_walk(x, v, depth + 1);
        return;
    }
    if (!json_is_object(j)) return;
    json_t *graph = json_object_get(j, "@graph");
    if (graph) json_ld_walk(x, graph, depth + 1);
    if (!article_type(json_object_get(j, "@type"))) return;
    const char *v;
    if ((v = json_string_value(json_object_get(j, "headline")))) offer(x, KHABAR_PAGE_TITLE, 3, v, strlen(v));
    offer_date(x, 1, json_string_value(json_object_get(j, "datePublished")));
    offer_date(x, 6, json_string_value(json_object_get(j, "dateCreated")));
    json_ld_author(x, json_object_get(j, "author"));
    if ((v = json_string_value(json_object_get(j, "inLanguage")))) offer(x, KHABAR_PAGE_LANG, 3, v, strlen(v));
    json_t *page = json_object_get(j, "mainEntityOfPage");
    if (!(v = json_string_value(json_object_get(j, "url"))))
        v = json_is_string(page) ? json_string_value(page) : json_string_value(json_object_get(page, "@id"));
    if (v && is_address(v)) offer(x, KHABAR_PAGE_URL, 3, v, strlen(v));
    if ((v = json_string_value(json_object_get(j, "articleBody"))) && !x->ld_body) x->ld_body = strdup(v);
}

/* Drops a site's name from a <title>: "Headline | Site", "Site - Headline"
 * keep the longer part. */
static void offer_document_title(extractor *x, const char *t, size_t n)
{
    static const char *const seps[] = {" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " || ", NULL};
    size_t best_a = 0, best_b = n;
    for (const char *const *sep = seps; *sep; sep++) {
        size_t sl = strlen(*sep);
        for (size_t i = 0; i + sl <= n; i++) {
            if (memcmp(t + i, *sep, sl)) continue;
            /* keep the longer side of the first separator that splits it */
            if (i >= n - i - sl) { if (i < best_b - best_a) { best_a = 0; best_b = i; } }
            else if (n - i - sl < best_b - best_a) { best_a = i + sl; best_b = n; }
            break;
        }
    }
    if (count_chars(t + best_a, best_b - best_a) < 10) { best_a = 0; best_b = n; }
    offer(x, KHABAR_PAGE_TITLE, 5, t + best_a, best_b - best_a);
}

/* "بقلم فلان", "By Jane Doe", "كتب: فلان": the name without its lead
 * (data/html.txt's BYLINE, the first that fits). */
static void offer_author_line(extractor *x, int rank, const char *s, size_t n)
{
    for (const char *const *l = byline_leads; *l; l++) {
        size_t k = strlen(*l);
        if (n > k && !memcmp(s, *l, k) && (s[k] == ' ' || s[k] == ':')) {
            s += k;
            n -= k;
            while (n && (*s == ' ' || *s == ':')) s++, n--;
            break;
        }
    }
    offer(x, KHABAR_PAGE_AUTHOR, rank, s, n);
}

static const char *const date_meta_names[] = {
    "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date",
    "dcterms.issued", "sailthru.date", "parsely-pub-date", "article.published", "published_time",
    "article_date_original", "cxenseparse:recs:publishtime", "original-publish-date", "release_date", NULL};

static void lower_copy(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < cap; i++) dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

static void collect_metadata(extractor *x, kh_buf *tmp)
{
    int h1_seen = 0, time_seen = 0;
    for (size_t i = 0; i < x->nst; i++) {
        xmlNode *n = x->nodes[i];
        const char *tag = (const char *)n->name;
        const char *v;
        if (!strcmp(tag, "html")) {
            if ((v = attr(n, "lang")) || (v = attr(n, "xml:lang"))) offer(x, KHABAR_PAGE_LANG, 1, v, strlen(v));
        } else if (!strcmp(tag, "meta")) {
            const char *content = attr(n, "content");
            if (!content) continue;
            char key[64];
            const char *k = attr(n, "property");
            if (!k) k = attr(n, "name");
            if (!k) k = attr(n, "itemprop");
            if (!k) k = attr(n, "http-equiv");
            if (!k) continue;
            lower_copy(key, sizeof key, k);
            if (!strcmp(key, "og:title")) offer(x, KHABAR_PAGE_TITLE, 1, content, strlen(content));
            else if (!strcmp(key, "twitter:title")) offer(x, KHABAR_PAGE_TITLE, 2, content, strlen(content));
            else if (!strcmp(key, "og:url")) { if (is_address(content)) offer(x, KHABAR_PAGE_URL, 2, content, strlen(content)); }
            else if (!strcmp(key, "author") || !strcmp(key, "article:author") || !strcmp(key, "dc.creator") ||
                     !strcmp(key, "byl") || !strcmp(key, "parsely-author") || !strcmp(key, "sailthru.author")) {
                if (!is_address(content)) {
                    const char *c = content;
                    if (!strcmp(key, "byl") && !strncasecmp(c, "by ", 3)) c += 3;
                    offer(x, KHABAR_PAGE_AUTHOR, !strcmp(key, "author") ? 2 : 3, c, strlen(c));
                }
            } else if (!strcmp(key, "content-language") || !strcmp(key, "og:locale") || !strcmp(key, "language")) {
                offer(x, KHABAR_PAGE_LANG, 2, content, strlen(content));
            } else if (in_list(key, date_meta_names)) {
                offer_date(x, strstr(key, "published") || strstr(key, "publish") ? 1 : 3, content);
            }
        } else if (!strcmp(tag, "link")) {
            const char *rel = attr(n, "rel"), *href = attr(n, "href");
            if (rel && href && !strcasecmp(rel, "canonical") && is_address(href))
                offer(x, KHABAR_PAGE_URL, 1, href, strlen(href));
        } else if (!strcmp(tag, "script")) {
            const char *type = attr(n, "type");
            if (!type || strcasecmp(type, "application/ld+json") || !n->children) continue;
            if (!subtree_text(tmp, n)) {
                json_t *j = json_loadb(tmp->data, tmp->len, 0, NULL);
                if (j) { json_ld_walk(x, j, 0); json_decref(j); }
            }
        } else if (!strcmp(tag, "title")) {
            if (!subtree_text(tmp, n)) offer_document_title(x, tmp->data, tmp->len);
        } else if (!strcmp(tag, "h1") && !h1_seen) {
            if (!subtree_text(tmp, n) && tmp->len) { offer(x, KHABAR_PAGE_TITLE, 4, tmp->data, tmp->len); h1_seen = 1; }
        } else if (!strcmp(tag, "time") && !time_seen) {
            if ((v = attr(n, "datetime"))) { offer_date(x, 4, v); time_seen = 1; }
            else if (!subtree_text(tmp, n)) offer_date(x, 5, tmp->data);
        }
        if ((v = attr(n, "itemprop")) && !strcmp(v, "datePublished")) {
            const char *d = attr(n, "content");
            if (!d) d = attr(n, "datetime");
            if (d) offer_date(x, 2, d);
            else if (!subtree_text(tmp, n)) offer_date(x, 2, tmp->data);
        }
        if ((v = attr(n, "itemprop")) && !strcmp(v, "author") && !subtree_text(tmp, n) && tmp->len < 100)
            offer(x, KHABAR_PAGE_AUTHOR, 4, tmp->data, tmp->len);
        if ((v = attr(n, "rel")) && !strcmp(v, "author") && !subtree_text(tmp, n) && tmp->len < 100)
            offer(x, KHABAR_PAGE_AUTHOR, 4, tmp->data, tmp->len);
        if ((v = attr(n, "class")) && strstr(v, "author") && !strstr(v, "bio") && !strstr(v, "avatar") &&
            !subtree_text(tmp, n) && tmp->len && tmp->len < 80)
            offer_author_line(x, 5, tmp->data, tmp->len);
    }
    if (x->meta[KHABAR_PAGE_DATE]) return;
    /* A visible byline: a short element whose class names a date, whose
     * text says when it was published, or that stands right after the
     * headline. */
    size_t after_h1 = 0;
    for (size_t i = 0; i < x->nst; i++) {
        xmlNode *n = x->nodes[i];
        if (name_is(n, "h1") && !after_h1) {
            after_h1 = i + 1;
            continue;
        }
        if (name_is(n, "script") || name_is(n, "style")) continue;
        int near_title = after_h1 && i < after_h1 + 4;
        char buf[512];
        const char *s = class_and_id(n, buf, sizeof buf);
        int named = strstr(s, "date") || strstr(s, "time") || strstr(s, "publish") || strstr(s, "byline") ||
                    strstr(s, "posted") || strstr(s, "meta");
        if (!near_title && !named && !name_is(n, "p") && !name_is(n, "span") && !name_is(n, "div")) continue;
        size_t max = near_title && !named ? 80 : 160;
        if (subtree_text_upto(tmp, n, max) || !tmp->len || tmp->len > max) continue;
        if (!near_title && !named && !has_word(tmp->data, dateline_words)) continue;
        char iso[32];
        if (iso_date_in(tmp->data, iso) || written_date(tmp->data, tmp->len, iso)) {
            offer(x, KHABAR_PAGE_DATE, 7, iso, strlen(iso));
            return;
        }
    }
}

/* ---- encoding ---- */

/* The charset a page declares in its first bytes: <meta charset=...> or
 * <meta http-equiv="Content-Type" content="...; charset=...">, as a
 * browser's prescan finds it (HTML's "prescan a byte stream"), before the
 * page can be parsed as text.  Writes a NUL-terminated lower-case name. */
static int declared_charset(const char *s, size_t n, char *out, size_t cap)
{
    if (n > 4096) n = 4096;
    for (size_t i = 0; i + 5 < n; i++) {
        if (s[i] != '<' || strncasecmp(s + i + 1, "meta", 4) || !(is_html_space((unsigned char)s[i + 5]) || s[i + 5] == '/'))
            continue;
        size_t end = i + 5;
        while (end < n && s[end] != '>') end++;
        for (size_t j = i + 5; j + 8 <= end; j++) {
            if (strncasecmp(s + j, "charset", 7)) continue;
            size_t k = j + 7;
            while (k < end && is_html_space((unsigned char)s[k])) k++;
            if (k >= end || s[k] != '=') continue;
            k++;
            while (k < end && (is_html_space((unsigned char)s[k]) || s[k] == '"' || s[k] == '\'')) k++;
            size_t len = 0;
            while (k < end && len + 1 < cap && (isalnum((unsigned char)s[k]) || s[k] == '-' || s[k] == '_' ||
                                                s[k] == ':' || s[k] == '.'))
                out[len++] = (char)tolower((unsigned char)s[k++]);
            out[len] = '\0';
            if (len) return 1;
        }
        i = end;
    }
    return 0;
}

/* ---- the entry point ---- */

static pthread_once_t parser_once = PTHREAD_ONCE_INIT;
static void init_parser(void) { xmlInitParser(); }

static void reset_tree(extractor *x)
{
    for (size_t i = 0; i < x->nst; i++) x->nodes[i]->_private = NULL;
    free(x->st);
    x->st = NULL;
    x->nst = 0;
}

/* One extraction with the heuristics in x->flags; the blocks go to e. */
static int extract_with(extractor *x, xmlNode *root, emitter *e)
{
    reset_tree(x);
    if (compute_stats(x, root)) return -1;
    e->text.len = 0;
    e->block.len = 0;
    e->spans.len = 0;
    e->space = 0;
    xmlNode *top = choose_container(x);
    if (!top) return 0;
    xmlNode *parent = top->parent;
    if (!parent || parent->type != XML_ELEMENT_NODE || name_is(top, "body"))
        return emit_node(e, top, KHABAR_BLOCK_PARAGRAPH, 0) || flush_block(e) ? -1 : 0;
    for (xmlNode *c = parent->children; c; c = c->next) {
        if (!sibling_belongs(x, top, c)) continue;
        if (c->type == XML_ELEMENT_NODE && !is_block(c)) {
            /* a paragraph-like inline element: its own block */
            if (flush_block(e) || emit_node(e, c, KHABAR_BLOCK_PARAGRAPH, 0) || flush_block(e)) return -1;
        } else if (emit_node(e, c, KHABAR_BLOCK_PARAGRAPH, 0)) {
            return -1;
        }
    }
    return flush_block(e);
}

static size_t page_chars(const emitter *e) { return count_chars(e->text.data ? e->text.data : "", e->text.len); }

static khabar_status fill_page(extractor *x, emitter *e, khabar_error *err)
{
    khabar_page *page = x->page;
    for (int f = 0; f < KHABAR_PAGE_FIELD_COUNT; f++) {
        if (f == KHABAR_PAGE_TEXT || !x->meta[f]) continue;
        size_t n = strlen(x->meta[f]);
        if (!(page->fields[f] = kh_arena_strndup(&page->arena, x->meta[f], n))) goto memory;
        page->field_len[f] = n;
    }
    const char *text = e->text.data ? e->text.data : "";
    if (!(page->fields[KHABAR_PAGE_TEXT] = kh_arena_strndup(&page->arena, text, e->text.len))) goto memory;
    page->field_len[KHABAR_PAGE_TEXT] = e->text.len;
    for (size_t i = 0; i < e->spans.len; i++) {
        const size_t *span = (const size_t *)e->spans.data + 3 * i;
        khabar_html_block *b = kh_vec_push(&page->blocks, sizeof *b);
        if (!b) goto memory;
        b->kind = (khabar_block_kind)span[2];
        b->start = span[0];
        b->end = span[1];
        b->text = page->fields[KHABAR_PAGE_TEXT] + span[0];
        b->text_len = span[1] - span[0];
    }
    return KHABAR_OK;
memory:
    return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
}

#define DEFAULT_MAX_BYTES ((size_t)256 << 20)

khabar_status khabar_extract(const char *html, size_t len, const khabar_extract_options *opts,
                             khabar_page **out, khabar_error *err)
{
    if (!out || (!html && len)) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_extract: NULL argument");
    *out = NULL;
    pthread_once(&page_words_once, load_page_words);
    if (!page_words_ok) return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data 'html' is missing or damaged");
    khabar_extract_options defaults = {0};
    if (!opts) opts = &defaults;
    size_t max = opts->max_bytes ? opts->max_bytes : DEFAULT_MAX_BYTES;
    if (len > max || len > (size_t)0x7fffffff)
        return kh_fail(err, KHABAR_ERROR_TOO_LARGE, max, "the page is %zu bytes, more than the limit of %zu", len,
                       max < 0x7fffffff ? max : (size_t)0x7fffffff);
    if (!html) html = "";
    /* The bytes as UTF-8: a byte-order mark, then the encoding the caller
     * names, then the page's own <meta charset>, then UTF-8 itself. */
    char declared[40] = "";
    const char *encoding = opts->encoding;
    if (!encoding && !(len >= 2 && ((unsigned char)html[0] == 0xFF || (unsigned char)html[0] == 0xFE)) &&
        declared_charset(html, len, declared, sizeof declared) && kh_utf8_check(html, len) != len)
        encoding = declared;
    char *utf8 = NULL;
    size_t utf8_len = 0;
    const char *used = NULL;
    khabar_status st = khabar_decode(html, len, encoding, &utf8, &utf8_len, &used, err);
    if (st == KHABAR_ERROR_ARGUMENT && encoding == declared) /* a charset iconv does not know: decide */
        st = khabar_decode(html, len, NULL, &utf8, &utf8_len, &used, err);
    if (st == KHABAR_ERROR_UTF8 && !opts->encoding) {
        /* UTF-8 with a few damaged bytes, as scraped pages often are: each
         * bad byte becomes U+FFFD, as a browser shows it */
        kh_buf fixed = {0};
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            unsigned k = kh_utf8_decode((const unsigned char *)html + i, len - i, &cp);
            if (k ? kh_buf_append(&fixed, html + i, k) : kh_buf_append(&fixed, "\xEF\xBF\xBD", 3)) {
                kh_buf_free(&fixed);
                return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
            }
            i += k ? k : 1;
        }
        size_t n = fixed.len;
        st = khabar_decode(fixed.data ? fixed.data : "", n, "utf-8", &utf8, &utf8_len, &used, err);
        kh_buf_free(&fixed);
    }
    if (st) return st;

    pthread_once(&parser_once, init_parser);
    extractor x = {0};
    emitter e = {0};
    khabar_page *page = calloc(1, sizeof *page);
    htmlDocPtr doc = NULL;
    if (!page) { st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory"); goto done; }
    x.page = page;
    doc = htmlReadMemory(utf8, (int)utf8_len, opts->url, "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                             HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (root) {
        x.flags = STRIP_UNLIKELY | WEIGH_CLASSES | CLEAN_CONDITIONALLY;
        if (compute_stats(&x, root)) goto memory;
        kh_buf tmp = {0};
        collect_metadata(&x, &tmp);
        kh_buf_free(&tmp);
        for (size_t i = 0; i < x.nst && !x.body; i++)
            if (name_is(x.nodes[i], "body")) x.body = x.nodes[i];
        if (!x.body) x.body = root;
        e.x = &x;
        e.title = x.meta[KHABAR_PAGE_TITLE];
        e.author = x.meta[KHABAR_PAGE_AUTHOR];
        /* Too little text: the heuristics threw the article away with the
         * junk; try again with fewer of them and keep the longest. */
        static const unsigned tries[] = {STRIP_UNLIKELY | WEIGH_CLASSES | CLEAN_CONDITIONALLY,
                                         WEIGH_CLASSES | CLEAN_CONDITIONALLY, CLEAN_CONDITIONALLY, 0};
        kh_buf best_text = {0};
        kh_vec best_spans = {0};
        size_t best_chars = 0;
        for (size_t t = 0; t < sizeof tries / sizeof *tries; t++) {
            x.flags = tries[t];
            if (extract_with(&x, root, &e)) { kh_buf_free(&best_text); kh_vec_free(&best_spans); goto memory; }
            /* a relaxed try wins only with much more text: relaxing
             * always lets some junk back in */
            size_t chars = page_chars(&e);
            if (chars > best_chars + best_chars / 2) {
                kh_buf swap = best_text; best_text = e.text; e.text = swap;
                kh_vec sv = best_spans; best_spans = e.spans; e.spans = sv;
                best_chars = chars;
            }
            if (best_chars >= 250) break;
        }
        kh_buf_free(&e.text);
        kh_vec_free(&e.spans);
        e.text = best_text;
        e.spans = best_spans;
    }
    /* a canonical address given from the site's root, resolved against the page's */
    const char *canon = x.meta[KHABAR_PAGE_URL], *base = opts->url, *host;
    if (canon && canon[0] == '/' && canon[1] != '/' && base && (host = strstr(base, "://"))) {
        const char *path = strchr(host + 3, '/');
        size_t keep = path ? (size_t)(path - base) : strlen(base);
        kh_buf u = {0};
        if (kh_buf_append(&u, base, keep) || kh_buf_append(&u, canon, strlen(canon)) || kh_buf_putc(&u, '\0')) {
            kh_buf_free(&u);
            goto memory;
        }
        free(x.meta[KHABAR_PAGE_URL]);
        x.meta[KHABAR_PAGE_URL] = u.data;
    }
    if (used && strcmp(used, "utf-8")) {
        offer(&x, KHABAR_PAGE_ENCODING, 1, used, strlen(used));
    }
    if ((st = fill_page(&x, &e, err))) goto done;
    *out = page;
    page = NULL;
    goto done;
memory:
    st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
done:
    reset_tree(&x);
    free(x.nodes);
    for (int f = 0; f < KHABAR_PAGE_FIELD_COUNT; f++) free(x.meta[f]);
    free(x.ld_body);
    kh_buf_free(&e.text);
    kh_buf_free(&e.block);
    kh_vec_free(&e.spans);
    if (doc) xmlFreeDoc(doc);
    khabar_free(utf8);
    khabar_page_free(page);
    return st;
}

/* ---- JSON ---- */

static const char *const field_names[KHABAR_PAGE_FIELD_COUNT] = {"title", "date", "author", "lang", "url", "text", "encoding"};

const char *khabar_page_json(khabar_page *page, unsigned flags, size_t *len)
{
    if (len) *len = 0;
    if (!page) return NULL;
    json_t *o = json_object();
    if (!o) return NULL;
    int failed = 0;
    for (int f = 0; f < KHABAR_PAGE_FIELD_COUNT; f++) {
        if (f == KHABAR_PAGE_ENCODING) continue;
        const char *v = page->fields[f];
        failed |= json_object_set_new(o, field_names[f], v ? json_stringn(v, page->field_len[f]) : json_null());
    }
    json_t *blocks = json_array();
    failed |= json_object_set_new(o, "blocks", blocks);
    for (size_t i = 0; blocks && i < page->blocks.len; i++) {
        const khabar_html_block *b = khabar_page_block(page, i);
        json_t *jb = json_pack("{s:s, s:s%}", "kind", khabar_block_kind_name(b->kind), "text", b->text, b->text_len);
        failed |= json_array_append_new(blocks, jb);
    }
    if (page->fields[KHABAR_PAGE_ENCODING]) {
        json_t *repairs = json_pack("[{s:s, s:s}]", "kind", "encoding", "text", page->fields[KHABAR_PAGE_ENCODING]);
        failed |= json_object_set_new(o, "repairs", repairs);
    }
    char *s = failed ? NULL : json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT | (flags & KHABAR_JSON_PRETTY ? JSON_INDENT(2) : 0));
    json_decref(o);
    if (!s) return NULL;
    page->json.len = 0;
    size_t n = strlen(s);
    int rc = kh_buf_append(&page->json, s, n) || kh_buf_putc(&page->json, '\0');
    free(s);
    if (rc) return NULL;
    page->json.len--;
    if (len) *len = n;
    return page->json.data;
}
