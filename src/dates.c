/* Dates and times in news text: Gregorian months in their MSA, Levantine
 * and Maghrebi names and the paired form (يوليو/تموز), Hijri months and
 * years, weekdays, years, numeric dates, parts of periods (مطلع، منتصف،
 * أواخر), times of day, durations, frequencies and expressions relative to
 * the article's date (أمس، قبل يومين، الأسبوع الماضي), resolved to ISO 8601
 * values when the article's date is known. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "facts.h"

/* ------------------------------------------------------------------ */
/* Calendar arithmetic                                                 */
/* ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

/* ISO weekday, 1 = Monday. */
static long weekday_of(long days)
{
    long w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
    if (w < 0) w += 7;
    return w + 1;
}

/* ISO 8601 week of a day: *week_year and the week number. */
static long iso_week(long days, long *week_year)
{
    long thursday = days - weekday_of(days) + 4;
    long y, m, d;
    civil_from_days(thursday, &y, &m, &d);
    *week_year = y;
    return (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
}

static int days_in_month(long y, long m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return n[m - 1];
}

/* The tabular (arithmetical) Islamic calendar: within a day or two of the
 * observed one, which is as close as a date without a place can be. */
static long days_from_hijri(long y, long m, long d)
{
    const long epoch = -492148; /* 622-07-19 (Gregorian), 1 Muharram 1 */
    return d + (long)ceil(29.5 * (double)(m - 1)) + (y - 1) * 354 + (3 + 11 * y) / 30 + epoch - 1;
}

/* ------------------------------------------------------------------ */
/* What an expression says                                             */
/* ------------------------------------------------------------------ */

typedef struct when {
    long y, m, d;          /* -1 unknown */
    int hijri;             /* y, m, d are Hijri */
    int wday;              /* 1..7, 0 none */
    int month_dir;         /* a month or weekday with الماضي (-1) or المقبل (+1) */
    int month_current;     /* a month with الجاري: the document's year */
    long hour, minute;     /* -1 unknown */
    const char *tod;       /* MO AF EV NI MI, or NULL */
    long decade;           /* the decade within its century: 4 for the 1940s, -1 */
    long century;          /* 19 for the 20th century, -1 */
    int bc;                /* y or century counted before Christ (ق.م، قبل الميلاد) */
    int century_rel;       /* القرن الماضي: `century_off` from the document's */
    int century_off;
    const char *season;
    /* an offset from an anchor: the document's date or an event */
    int rel;
    char unit;             /* D W M Y E C H N S */
    double amount;         /* signed */
    int amount_unknown;    /* منذ سنوات */
    int event;
    /* a length of time */
    int duration;
    const char *set;       /* a frequency: the period, "D", "6M" */
    const char *ref;       /* PRESENT_REF PAST_REF FUTURE_REF */
    int anaphoric;         /* ذلك العام: a time named earlier */
    int is_time;
    int approx;
    kh_date_mod mod;
    int no_value;          /* a named period: الفترة العثمانية */
    size_t core_skip;      /* leading tokens Wojood leaves out (فصل of فصل الشتاء) */
    const char *part_of_year; /* "Q" or "H" with part_no: الربع الثاني → Q2 */
    int part_no;
} when;

static void when_init(when *w)
{
    memset(w, 0, sizeof *w);
    w->y = w->m = w->d = -1;
    w->hour = w->minute = -1;
    w->decade = w->century = -1;
}

typedef struct dctx {
    kh_fx x;
    size_t limit;
} dctx;

/* ------------------------------------------------------------------ */
/* Token helpers                                                       */
/* ------------------------------------------------------------------ */

static const kh_fact *word(const dctx *c, size_t i, kh_fact_class cls, unsigned allow, unsigned *st)
{
    if (i >= c->limit) return NULL;
    return kh_fx_word(&c->x, i, KH_F(cls), allow, st);
}

static size_t phrase(const dctx *c, size_t i, uint64_t mask, unsigned allow, const kh_fact **e,
                     unsigned *st)
{
    if (i >= c->limit) return 0;
    size_t k = kh_fx_phrase(&c->x, i, mask, allow, e, st);
    return i + k <= c->limit ? k : 0;
}

static int is(const dctx *c, size_t i, const char *s)
{
    return i < c->limit && kh_fx_is(&c->x, i, s);
}

/* An integer in digits at i: clitics as allowed, no separator, no suffix. */
static int integer_at(const dctx *c, size_t i, unsigned allow, long *v, unsigned *ndigits)
{
    kh_digits d;
    if (i >= c->limit || !kh_fx_digits(&c->x, i, &d)) return 0;
    if (!d.integer || d.percent || d.suffix || (d.clitic & ~allow) || d.ndigits > 9) return 0;
    /* 10.000 is an integer but not a day or a year */
    const char *s = c->x.t[i].norm;
    if (strchr(s, '.') || strchr(s, ',')) return 0;
    *v = (long)d.value;
    if (ndigits) *ndigits = d.ndigits;
    return 1;
}

static int is_sep(const dctx *c, size_t i)
{
    return is(c, i, "/") || is(c, i, "-") || is(c, i, ".") || is(c, i, "\\");
}

/* ------------------------------------------------------------------ */
/* Pieces: months, years, days                                         */
/* ------------------------------------------------------------------ */

typedef struct month_ref {
    long m;
    int hijri;
    unsigned flags;   /* of the first name */
    int partner;      /* another name of the month after it (يوليو/تموز) */
    size_t last;
} month_ref;

/* One month name at i (one or two tokens, or a token "يوليو/تموز"). */
static size_t month_name(const dctx *c, size_t i, unsigned allow, month_ref *mr)
{
    const kh_fact *e;
    unsigned st;
    size_t k = phrase(c, i, KH_F(KH_F_MONTH) | KH_F(KH_F_HMONTH), allow, &e, &st);
    if (k) {
        mr->m = (long)e->value;
        mr->hijri = e->cls == KH_F_HMONTH;
        mr->flags = e->flags;
        mr->partner = 0;
        mr->last = i + k;
        return k;
    }
    /* يوليو/تموز as one token */
    if (i >= c->limit || !c->x.t[i].norm) return 0;
    const char *s = c->x.t[i].norm;
    const char *slash = strchr(s, '/');
    if (!slash) return 0;
    const kh_fact *a = kh_facts_find(c->x.f, s, (size_t)(slash - s), KH_F(KH_F_MONTH));
    const kh_fact *b = kh_facts_find(c->x.f, slash + 1, strlen(slash + 1), KH_F(KH_F_MONTH));
    if (!a || !b) return 0;
    mr->m = (long)a->value;
    mr->hijri = 0;
    mr->flags = a->flags;
    mr->partner = 1;
    mr->last = i + 1;
    return 1;
}

/* A month with its other names: يوليو / تموز، آذار ( مارس ). */
static size_t month_group(const dctx *c, size_t i, unsigned allow, month_ref *mr)
{
    if (!month_name(c, i, allow, mr)) return 0;
    for (;;) {
        size_t j = mr->last;
        month_ref other;
        /* only another name of the same month: تشرين الثاني / كانون الأول are two */
        if (is(c, j, "/") && month_name(c, j + 1, 0, &other) && other.m == mr->m && other.hijri == mr->hijri) {
            mr->last = other.last;
            mr->partner = 1;
        } else if (is(c, j, "(") && month_name(c, j + 1, 0, &other) && is(c, other.last, ")") &&
                   other.m == mr->m && other.hijri == mr->hijri) {
            mr->last = other.last + 1;
            mr->partner = 1;
        } else {
            break;
        }
    }
    return mr->last - i;
}

/* An era after a year or a century (هـ، ميلادي، ق.م، قبل الميلاد): its
 * length in tokens, 0 when none; *hijri for the Hijri era; *bc (when not
 * NULL) for the years before Christ, which no caller may take for AD. */
static size_t era_word(const dctx *c, size_t i, unsigned allow, int *hijri, int *bc)
{
    const kh_fact *e;
    size_t k = phrase(c, i, KH_F(KH_F_ERA), allow, &e, NULL);
    if (!k) return 0;
    /* م مربع is a square metre; م د million dinars (197 م د) */
    if (!strcmp(e->code, "G") && kh_fx_word(&c->x, i + k, KH_F(KH_F_MEASADJ), 0, NULL)) return 0;
    if (kh_fx_phrase(&c->x, i, KH_F(KH_F_CUR), 0, NULL, NULL) > k) return 0;
    if (!strcmp(e->code, "BC") && !bc) return 0;
    *hijri = e->code[0] == 'H';
    if (bc) *bc = !strcmp(e->code, "BC");
    return k;
}

/* A year in digits at i, with an era written on it or after it (1441هـ،
 * 2021 م، 1907 ميلادي, 64 ق.م: *has_era 2).  `trigger`: after عام/سنة, so
 * short years count. */
static size_t year_number(const dctx *c, size_t i, unsigned allow, int trigger, long *y, int *hijri,
                          int *has_era)
{
    kh_digits d;
    *has_era = 0;
    *hijri = 0;
    if (i >= c->limit || !kh_fx_digits(&c->x, i, &d)) return 0;
    if (!d.integer || d.percent || (d.clitic & ~allow) || d.value < 1) return 0;
    int bc = 0, era_hijri;
    /* older years only before Christ: 6500 قبل الميلاد */
    if (d.value > 2200 && !(era_word(c, i + 1, 0, &era_hijri, &bc) && bc)) return 0;
    const char *s = c->x.t[i].norm;
    if (strchr(s, '.') || strchr(s, ',')) return 0;
    if (d.suffix) {
        const kh_fact *e = kh_facts_find(c->x.f, s + d.suffix, strlen(s + d.suffix), KH_F(KH_F_ERA));
        if (!e) return 0;
        *has_era = 1;
        *hijri = e->code[0] == 'H';
    }
    /* a short year alone only with its era on it, or before Christ (45 ق.م) */
    if (!trigger && !*has_era && d.ndigits < 3 && !(era_word(c, i + 1, 0, &era_hijri, &bc) && bc)) return 0;
    *y = (long)d.value;
    size_t k = 1;
    size_t ke;
    if (!*has_era && (ke = era_word(c, i + 1, 0, hijri, &bc))) {
        *has_era = bc ? 2 : 1;
        k += ke;
    }
    return k;
}

/* The year after a month or a part: 2017، ( 1983 )، عام 2019، سنة ( 1935 ) م;
 * *bc set for a year before Christ (331 قبل الميلاد). */
static size_t year_part(const dctx *c, size_t i, long *y, int *hijri, int *bc)
{
    size_t j = i;
    int trigger = 0, era;
    if (is(c, j, "/") || is(c, j, ",")) j++; /* كانون اول / ( 1986 ) */
    if (word(c, j, KH_F_YEARKW, KH_CL_ART, NULL)) { j++; trigger = 1; }
    size_t k;
    if (is(c, j, "(") && (k = year_number(c, j + 1, 0, trigger, y, hijri, &era)) && is(c, j + 1 + k, ")")) {
        j += k + 2;
        if (!era) j += era_word(c, j, 0, hijri, bc);
        else *bc = era == 2;
        return j - i;
    }
    if ((k = year_number(c, j, 0, trigger, y, hijri, &era))) {
        if (!trigger && !era && (*y < 100 || *y > 2100)) return 0;
        *bc = era == 2;
        return j + k - i;
    }
    return 0;
}

/* Three numbers in one token: 12/4/1995, 2021-07-15.  Returns 0 when the
 * token is something else. */
static int numeric_token(const char *s, long v[3], unsigned nd[3])
{
    char sep = 0;
    size_t p = 0, n = strlen(s);
    for (int part = 0; part < 3; part++) {
        size_t q = p;
        long val = 0;
        while (q < n && s[q] >= '0' && s[q] <= '9' && q - p < 5) val = val * 10 + (s[q++] - '0');
        if (q == p) return 0;
        v[part] = val;
        nd[part] = (unsigned)(q - p);
        p = q;
        if (part < 2) {
            if (p >= n || (s[p] != '/' && s[p] != '-' && s[p] != '.') || (sep && s[p] != sep)) return 0;
            sep = s[p++];
        }
    }
    return p == n;
}

/* A numeric date: 12 / 4 / 1995، 12/4/1995، 2021-07-15، 17 / 2 / ( 1966 ),
 * 14 / 15 / 2 / ( 1941 ) (two days of one month). */
static size_t numeric_date(const dctx *c, size_t i, when *w)
{
    long v[3];
    unsigned nd[3];
    size_t j;
    if (i < c->limit && c->x.t[i].norm && (strchr(c->x.t[i].norm, '/') || strchr(c->x.t[i].norm, '-'))) {
        if (!numeric_token(c->x.t[i].norm, v, nd)) return 0;
        j = i + 1;
    } else {
        if (!integer_at(c, i, KH_CL_CONJ, &v[0], &nd[0]) || !is_sep(c, i + 1) ||
            !integer_at(c, i + 2, 0, &v[1], &nd[1]) || !is_sep(c, i + 3))
            return 0;
        size_t at = i + 4; /* the token after the second separator */
        long month;
        unsigned nm;
        if (nd[0] <= 2 && nd[1] <= 2 && v[0] < v[1] && v[1] <= 31 && integer_at(c, at, 0, &month, &nm) &&
            month <= 12 && nm <= 2 && is(c, at + 1, "/")) {
            v[1] = month; /* the first day is the one kept */
            nd[1] = nm;
            at += 2;
        }
        /* the separators must agree */
        if (strcmp(c->x.t[i + 1].norm, c->x.t[at - 1].norm) != 0) return 0;
        int paren = is(c, at, "(");
        if (!integer_at(c, at + (size_t)paren, 0, &v[2], &nd[2])) return 0;
        j = at + 1 + (size_t)paren;
        if (paren) {
            if (!is(c, j, ")")) return 0;
            j++;
        }
    }
    long d = v[0], m = v[1], y = v[2];
    unsigned ny = nd[2];
    if (nd[0] == 4) { /* 2021-07-15 */
        y = v[0];
        d = v[2];
        ny = 4;
    } else if (m > 12 && d <= 12) { /* 7/15/2021 */
        d = v[1];
        m = v[0];
    }
    if (ny == 2) y += y < 40 ? 2000 : 1900;
    else if (ny != 4) return 0;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return 0;
    w->y = y, w->m = m, w->d = d;
    int hijri;
    size_t ke = era_word(c, j, 0, &hijri, NULL);
    if (ke) {
        w->hijri = hijri;
        j += ke;
    }
    return j - i;
}

/* A day of the month before a month name: 13 يوليو، الخامس من يونيو، 15 من الشهر */
static size_t day_number(const dctx *c, size_t i, unsigned allow, long *day)
{
    long v;
    unsigned nd;
    if (integer_at(c, i, allow, &v, &nd) && v >= 1 && v <= 31 && nd <= 2) {
        *day = v;
        if (kh_fx_word(&c->x, i + 1, KH_F(KH_F_FROM), 0, NULL)) return 2;
        return 1;
    }
    unsigned st = 0;
    const kh_fact *e = word(c, i, KH_F_ORD, allow | KH_CL_ART, &st);
    if (!e || !(st & KH_CL_ART) || e->value < 1) return 0;
    size_t j = i + 1;
    v = (long)e->value;
    const kh_fact *t;
    unsigned st2 = 0;
    if ((t = word(c, j, KH_F_NUM, 0, &st2)) && t->value == 10) { v += 10; j++; }
    else if ((t = word(c, j, KH_F_NUM, KH_CL_CONJ | KH_CL_ART, &st2)) && (st2 & KH_CL_CONJ) &&
             (t->value == 20 || t->value == 30)) { v += (long)t->value; j++; }
    if (v > 31 || !kh_fx_word(&c->x, j, KH_F(KH_F_FROM), 0, NULL)) return 0;
    *day = v;
    return j + 1 - i;
}

/* ------------------------------------------------------------------ */
/* Core expressions                                                    */
/* ------------------------------------------------------------------ */

/* A modifier's offset: الماضي -1, الجاري 0, المقبل +1; *event is set for
 * those counted from a time told of (السابق، التالي، نفسه). */
static int relmod_amount(const kh_fact *e, int *event)
{
    *event = 0;
    switch (e->code[0]) {
    case '-': case 'P': return -1;
    case '1': return 1;
    case 'B': *event = 1; return -1;
    case 'N': *event = 1; return 1;
    case '=': *event = 1; return 0;
    default: return 0;
    }
}

/* الماضي or المقبل after a month or a weekday: -1, +1, or 0 for neither. */
static int month_direction(const kh_fact *e)
{
    return !e ? 0 : !strcmp(e->code, "-1") ? -1 : !strcmp(e->code, "1") ? 1 : 0;
}

typedef struct ctx_flags {
    int after_prep;    /* a preposition (منذ، قبل) came before */
    int after_count;   /* an approximator or مرور: a bare unit is "one" */
    int before_part;   /* a part word (مطلع) came before */
    int supported;     /* another month came before in a range (بين يناير ومارس) */
} ctx_flags;

static int weak_month_ok(const dctx *c, size_t i, const month_ref *mr, const ctx_flags *cf,
                         int day, int year_after, int modifier)
{
    if (!(mr->flags & (KH_FF_WEAK | KH_FF_IN))) return 1;
    if (mr->partner || day || year_after || modifier || cf->before_part || cf->supported) return 1;
    if ((mr->flags & KH_FF_IN) && i > 0 && kh_fx_word(&c->x, i - 1, KH_F(KH_F_INPREP), KH_CL_CONJ, NULL)) return 1;
    return 0;
}

/* [day] month [/ month] [year | ( date ) | الماضي]: 13 يوليو / تموز 2021 */
static size_t of_year(const dctx *c, size_t j, when *w);

static size_t m_day_month(const dctx *c, size_t i, const ctx_flags *cf, when *w)
{
    long day = -1;
    size_t j = i;
    size_t k = day_number(c, j, KH_CL_CONJ | KH_CL_PREP, &day);
    if (k) j += k;
    month_ref mr;
    if (k == 1 && is(c, j, "/") && month_name(c, j + 1, 0, &mr)) j++; /* 20 / شعبان / 1428 */
    unsigned allow = k ? 0 : KH_CL_CONJ | KH_CL_PREP;
    int monthkw = 0;
    /* شهر مارس; الخامس عشر من شهر مارس */
    if (word(c, j, KH_F_MONTHKW, (k ? 0u : KH_CL_CONJ | KH_CL_PREP) | KH_CL_ART, NULL) &&
        month_name(c, j + 1, 0, &mr)) {
        j++;
        monthkw = 1;
        allow = 0;
    }
    if (!month_group(c, j, allow, &mr)) return 0;
    j = mr.last;
    if (mr.hijri && word(c, j, KH_F_HONOR, 0, NULL)) j++;
    long y = -1;
    int hijri = mr.hijri, year_after = 0, modifier = 0, era_hijri = 0;
    const kh_fact *e;
    if ((k = year_part(c, j, &y, &era_hijri, &w->bc))) {
        j += k;
        year_after = 1;
        hijri = hijri || era_hijri;
    } else if (is(c, j, "(")) {
        when inner;
        when_init(&inner);
        size_t n = numeric_date(c, j + 1, &inner);
        if (n && is(c, j + 1 + n, ")")) {
            j += n + 2;
            y = inner.y;
            if (day < 0 && inner.m == mr.m) day = inner.d;
            year_after = 1;
        }
    } else if ((e = word(c, j, KH_F_RELMOD, 0, NULL)) && (month_direction(e) || !strcmp(e->code, "0"))) {
        w->month_dir = month_direction(e);
        w->month_current = !w->month_dir;
        modifier = 1;
        j++;
    } else if (!hijri) {
        /* مارس من هذه السنة، مارس من العام الماضي، مارس من سنة 2015 */
        when of;
        when_init(&of);
        size_t ky = of_year(c, j, &of);
        if (ky && (of.y >= 0 || (of.rel && day < 0 && !of.event && !of.anaphoric))) {
            j += ky;
            y = of.y;
            if (of.rel) {
                w->rel = 1;
                w->unit = 'Y';
                w->amount = of.amount;
            }
            year_after = 1;
        }
    }
    if (!monthkw && !weak_month_ok(c, i + k, &mr, cf, day >= 0, year_after, modifier)) return 0;
    w->m = mr.m;
    w->d = day;
    w->y = y;
    w->hijri = hijri;
    if (day > 0 && day > (mr.hijri ? 30 : 31)) return 0;
    return j - i;
}

/* [يوم] weekday [الماضي] [الموافق] [date]: يوم الثلاثاء الموافق 5 / 8 / 2008 */
static size_t m_weekday(const dctx *c, size_t i, const ctx_flags *cf, when *w)
{
    size_t j = i;
    int daykw = 0;
    if (word(c, j, KH_F_DAYKW, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, NULL)) { j++; daykw = 1; }
    unsigned st = 0;
    const kh_fact *e = word(c, j, KH_F_WDAY, daykw ? 0 : KH_CL_CONJ | KH_CL_PREP, &st);
    if (e && (e->flags & KH_FF_BARE) && !daykw) e = NULL;
    if (!e) {
        /* يوم 30 مارس 2019 */
        if (!daykw) return 0;
        size_t k = m_day_month(c, j, cf, w);
        if (!k || w->d < 0) {
            when_init(w);
            k = numeric_date(c, j, w);
        }
        return k ? j + k - i : 0;
    }
    w->wday = (int)e->value;
    j++;
    const kh_fact *mod = word(c, j, KH_F_RELMOD, 0, NULL);
    if (month_direction(mod)) {
        w->month_dir = month_direction(mod);
        j++;
    }
    size_t j2 = j;
    if (is(c, j2, ",") || kh_fx_is_cp(&c->x, j2, ARABIC_COMMA)) j2++;
    if (word(c, j2, KH_F_LINK, 0, NULL)) j2++;
    if (is(c, j2, "(")) j2++;
    when d;
    when_init(&d);
    size_t k = numeric_date(c, j2, &d);
    if (!k) {
        when_init(&d);
        ctx_flags none = {0};
        k = m_day_month(c, j2, &none, &d);
        if (k && d.d < 0) k = 0;
    }
    if (k) {
        int wday = w->wday;
        *w = d;
        w->wday = wday;
        j = j2 + k;
        if (is(c, j, ")") && j2 > i && is(c, j2 - 1, "(")) j++;
    }
    return j - i;
}

/* عام 2019، العام ( 1948 )، سنة ( 1935 ) م، لسنة 2004، عامي 2010 و2015 */
static size_t m_year(const dctx *c, size_t i, when *w, when *range_end)
{
    unsigned st = 0;
    const kh_fact *kw = word(c, i, KH_F_YEARKW, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, &st);
    if (!kw) return 0;
    size_t j = i + 1;
    int paren = is(c, j, "(");
    if (paren) j++;
    long y;
    int hijri, era;
    size_t k = year_number(c, j, 0, 1, &y, &hijri, &era);
    if (!k) return 0;
    j += k;
    w->y = y;
    w->hijri = hijri;
    /* ( 1958 / 1963 ), عامي 2010 و2015، عام 2010 - 2015 */
    long y2;
    int h2, e2 = 0;
    size_t k2;
    if ((is(c, j, "/") || is(c, j, "-")) && (k2 = year_number(c, j + 1, 0, 1, &y2, &h2, &e2)) && y2 > y) {
        when_init(range_end);
        range_end->y = y2;
        range_end->hijri = h2 || hijri;
        j += 1 + k2;
    } else if (kw->value == 2 && (k2 = year_number(c, j, KH_CL_CONJ, 1, &y2, &h2, &e2)) &&
               (c->x.t[j].norm[0] & 0x80)) {
        when_init(range_end);
        range_end->y = y2;
        range_end->hijri = h2 || hijri;
        j += k2;
    }
    if (paren) {
        if (!is(c, j, ")")) return 0;
        j++;
    }
    size_t ke;
    if (!era && (ke = era_word(c, j, 0, &hijri, &w->bc))) {
        w->hijri = hijri;
        j += ke;
    }
    /* an era after a range's last year is both ends' (بين عامي 284 و246 قبل
     * الميلاد) */
    if (era == 2 || (range_end->y >= 0 && e2 == 2)) w->bc = 1;
    if (range_end->y >= 0) range_end->bc = w->bc;
    return j - i;
}

/* An indefinite accusative noun (شخصا، قتيلا، دولارا): counted by the
 * number before it. */
static int counted_accusative(const dctx *c, size_t j)
{
    if (j >= c->x.n || !kh_fx_arabic(&c->x, j) || kh_fx_article(&c->x, j)) return 0;
    if (kh_fx_word(&c->x, j, KH_F(KH_F_STOP) | KH_F(KH_F_INPREP) | KH_F(KH_F_FREQ) | KH_F(KH_F_NOW) |
                                  KH_F(KH_F_TOD), KH_CL_CONJ, NULL))
        return 0;
    const char *s = c->x.t[j].norm;
    size_t n = strlen(s);
    char alef[4];
    unsigned len = kh_utf8_encode(ALEF, alef);
    char waw[4];
    unsigned wl = kh_utf8_encode(WAW, waw);
    if (kh_fx_chars(s, n) < 4 || memcmp(s + n - len, alef, len) != 0) return 0;
    /* but not a verb in the plural: هاجروا */
    return memcmp(s + n - len - wl, waw, wl) != 0;
}

/* A year alone: 1948، 1348هـ، 1936 - 1939 */
static size_t m_bare_year(const dctx *c, size_t i, when *w, when *range_end)
{
    long y;
    int hijri, era;
    /* ( 1343 ) هجري */
    size_t ke;
    if (is(c, i, "(") && (year_number(c, i + 1, 0, 0, &y, &hijri, &era) == 1) && !era && is(c, i + 2, ")") &&
        (ke = era_word(c, i + 3, 0, &hijri, &w->bc))) {
        w->y = y;
        w->hijri = hijri;
        return 3 + ke;
    }
    size_t k = year_number(c, i, KH_CL_CONJ | KH_CL_PREP, 0, &y, &hijri, &era);
    if (!k) return 0;
    if (era == 2) w->bc = 1;
    kh_digits d;
    kh_fx_digits(&c->x, i, &d);
    /* a year in brackets may be older: ( 1332 ) */
    int bracketed = i > 0 && kh_fx_is(&c->x, i - 1, "(") && is(c, i + k, ")") && d.ndigits == 4 && y >= 1000;
    if (!era && !bracketed && (d.ndigits != 4 || y < 1900 || y > 2099)) return 0;
    size_t j = i + k;
    /* a count, not a year: 2000 مقاتل، 1990 دولارا */
    const uint64_t units = KH_F(KH_F_CUR) | KH_F(KH_F_MEAS) | KH_F(KH_F_PCT) | KH_F(KH_F_SCALE) |
                           KH_F(KH_F_TUNIT) | KH_F(KH_F_MEASADJ);
    if (!era && j < c->x.n && kh_fx_phrase(&c->x, j, units, 0, NULL, NULL)) return 0;
    if (!era && y % 100 == 0 && kh_fx_arabic(&c->x, j) &&
        !kh_fx_word(&c->x, j, KH_F(KH_F_STOP) | KH_F(KH_F_INPREP), KH_CL_CONJ, NULL))
        return 0;
    /* 1990 شخصا: what a number counts takes the accusative (its alef) */
    if (!era && counted_accusative(c, j)) return 0;
    if (i > 0) {
        const uint64_t before = KH_F(KH_F_REF) | KH_F(KH_F_APPROX) | KH_F(KH_F_MORE) |
                                KH_F(KH_F_LESS) | KH_F(KH_F_CUR);
        if (kh_fx_word(&c->x, i - 1, before, KH_CL_CONJ | KH_CL_PREP, NULL)) return 0;
        if (i > 1 && kh_fx_phrase(&c->x, i - 2, before, KH_CL_CONJ | KH_CL_PREP, NULL, NULL) == 2) return 0;
    }
    w->y = y;
    w->hijri = hijri;
    long y2;
    int h2, e2;
    size_t k2;
    if ((is(c, j, "-") || is(c, j, "/")) && (k2 = year_number(c, j + 1, 0, 0, &y2, &h2, &e2)) && y2 > y &&
        y2 - y < 200) {
        when_init(range_end);
        range_end->y = y2;
        range_end->hijri = h2 || hijri;
        j += 1 + k2;
    }
    return j - i;
}

/* أمس، اليوم، غدا، أول أمس */
/* A definite nisba adjective that is no modifier of time (الوطني، العالمي،
 * العثمانية): after اليوم it names a day (اليوم الوطني للفلاحة), after
 * الفترة a period (الفترة العثمانية). */
static int named_day_adjective(const dctx *c, size_t i)
{
    return i < c->limit && kh_fx_article(&c->x, i) && kh_fx_nisba(&c->x, i) && !word(c, i, KH_F_RELMOD, 0, NULL);
}

static size_t m_time(const dctx *c, size_t i, when *w);

static size_t m_relday(const dctx *c, size_t i, int after_noun, when *w)
{
    const kh_fact *e;
    size_t k = phrase(c, i, KH_F(KH_F_RELDAY), KH_CL_CONJ | KH_CL_PREP, &e, NULL);
    if (!k || ((e->flags & KH_FF_NOUN) && !after_noun)) return 0;
    /* اليوم الوطني، اليوم العالمي: a named day, not today */
    if (e->value == 0 && k == 1 && named_day_adjective(c, i + 1)) return 0;
    w->rel = 1;
    w->unit = 'D';
    w->amount = e->value;
    /* اليوم الثلاثاء، أمس الجمعة */
    const kh_fact *wd = word(c, i + k, KH_F_WDAY, 0, NULL);
    if (wd && !(wd->flags & KH_FF_BARE)) {
        w->wday = (int)wd->value;
        k++;
    }
    /* غدا الثانية ظهرا: the time of that day (not when m_time itself
     * looks for the day after a time: الساعة العاشرة مساء أمس) */
    if (!after_noun) {
        when t;
        when_init(&t);
        size_t kt = m_time(c, i + k, &t);
        if (kt && t.is_time && t.hour >= 0 && !t.rel && t.y < 0 && t.m < 0 && t.d < 0 && !t.wday) {
            w->hour = t.hour;
            w->minute = t.minute;
            w->tod = t.tod;
            w->is_time = 1;
            k += kt;
        }
    }
    return k;
}

/* العام الماضي، الأسبوع المقبل، هذا العام، السنوات الأخيرة، اليوم التالي */
static size_t m_relunit(const dctx *c, size_t i, when *w)
{
    size_t j = i;
    unsigned st = 0;
    const kh_fact *this = word(c, j, KH_F_THIS, KH_CL_CONJ | KH_CL_PREP, NULL);
    if (this) j++;
    const kh_fact *u = word(c, j, KH_F_TUNIT, this ? KH_CL_ART : KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, &st);
    if (!u || !(st & KH_CL_ART) || (u->flags & (KH_FF_DUAL | KH_FF_ACC))) return 0;
    j++;
    /* الأشهر الثلاثة المقبلة: a length of time from now */
    unsigned stn = 0;
    const kh_fact *count = (u->flags & KH_FF_PL) && !this ? word(c, j, KH_F_NUM, KH_CL_ART, &stn) : NULL;
    if (count && (stn & KH_CL_ART) && count->value >= 3 && word(c, j + 1, KH_F_RELMOD, 0, NULL)) {
        w->duration = 1;
        w->unit = u->code[0];
        w->amount = count->value;
        if (w->unit == 'H' || w->unit == 'N' || w->unit == 'S') w->is_time = 1;
        return j + 2 - i;
    }
    /* الأيام القليلة الماضية */
    const kh_fact *few = (u->flags & KH_FF_PL) ? word(c, j, KH_F_SEVERAL, 0, NULL) : NULL;
    if (few && (few->flags & KH_FF_ADV) && word(c, j + 1, KH_F_RELMOD, 0, NULL)) j++;
    const kh_fact *mod = word(c, j, KH_F_RELMOD, 0, NULL);
    if (!this && !mod) return 0;
    if (mod) j++;
    char unit = u->code[0];
    if (unit == 'H' || unit == 'N' || unit == 'S') w->is_time = 1;
    int event = 0;
    int amount = mod ? relmod_amount(mod, &event) : 0;
    if (u->flags & KH_FF_PL) {
        if (!mod) return 0;
        w->ref = amount > 0 ? "FUTURE_REF" : amount < 0 ? "PAST_REF" : "PRESENT_REF";
        return j - i;
    }
    w->rel = 1;
    w->unit = unit;
    w->amount = amount;
    w->event = event;
    if (this && this->code[0] == 'T') w->anaphoric = 1; /* ذلك العام */
    if (event && amount == 0) w->anaphoric = 1;         /* العام نفسه */
    return j - i;
}

/* A length of time: ثلاث سنوات، 45 يوما، يومين، لعدة أيام، (قبل) شهر */
static size_t m_duration(const dctx *c, size_t i, const ctx_flags *cf, when *w)
{
    size_t j = i;
    double amount = 1;
    int unknown = 0, counted = 0;
    kh_number num;
    unsigned st = 0;
    const kh_fact *several = word(c, j, KH_F_SEVERAL, KH_CL_CONJ | KH_CL_PREP, NULL);
    if (kh_fx_number(&c->x, j, c->limit, KH_CL_CONJ | KH_CL_PREP, &num)) {
        if (num.plural && num.scale < 2) {
            unknown = 1;
        } else if (num.plural) {
            return 0;
        } else {
            amount = num.value;
        }
        j = num.last;
        counted = 1;
    } else if (several && !(several->flags & KH_FF_ADV)) {
        unknown = 1;
        counted = 1;
        j++;
    }
    unsigned allow = !counted ? KH_CL_CONJ | KH_CL_PREP | KH_CL_ART : amount < 1 ? KH_CL_ART : 0;
    const kh_fact *u = word(c, j, KH_F_TUNIT, allow, &st); /* نصف السنة */
    if (!u) return 0;
    if (counted && (u->flags & KH_FF_DUAL)) return 0;
    const kh_fact *one = NULL;
    if (!counted && !(st & KH_CL_ART) && !(u->flags & (KH_FF_PL | KH_FF_DUAL))) {
        /* يوم واحد، ساعة واحدة */
        one = word(c, j + 1, KH_F_NUM, 0, NULL);
        if (one && (one->value != 1 || !(one->flags & KH_FF_ALONE))) one = NULL;
        if (one) counted = 1;
    }
    /* الدقيقة 90: a minute of a match, the time played */
    long minute;
    if (!counted && (st & KH_CL_ART) && u->code[0] == 'N' && !(u->flags & (KH_FF_PL | KH_FF_DUAL)) &&
        integer_at(c, j + 1, 0, &minute, NULL) && minute >= 1 && minute <= 130) {
        w->duration = 1;
        w->unit = 'N';
        w->amount = (double)minute;
        w->is_time = 1;
        return j + 2 - i;
    }
    if (!counted) {
        if ((u->flags & KH_FF_WEAK) && !(st & KH_CL_ART)) return 0; /* بعد عقد اتفاقية */
        if (u->flags & KH_FF_DUAL) {
            amount = 2;
        } else if (st & KH_CL_ART) {
            if (!cf->after_count) return 0; /* مرور الشهر، حوالى الشهر */
        } else if (u->flags & KH_FF_PL) {
            if (!cf->after_prep) return 0;
            unknown = 1;
        } else {
            if (!cf->after_prep && !cf->after_count) return 0; /* قبل شهر */
        }
    }
    j += one ? 2 : 1;
    /* قبل أيام قليلة */
    const kh_fact *few = (u->flags & KH_FF_PL) ? word(c, j, KH_F_SEVERAL, 0, NULL) : NULL;
    if (few && (few->flags & KH_FF_ADV)) j++;
    /* ثلاث ساعات ونصف */
    const kh_fact *half = word(c, j, KH_F_FRAC, KH_CL_CONJ, &st);
    if (half && (st & KH_CL_CONJ) && !unknown) {
        amount += half->value;
        j++;
    }
    w->duration = 1;
    w->unit = u->code[0];
    w->amount = amount;
    w->amount_unknown = unknown;
    if (w->unit == 'H' || w->unit == 'N' || w->unit == 'S') w->is_time = 1;
    return j - i;
}

/* مطلع يونيو، منتصف يوليو/تموز، أواخر عام 2017، نهاية العام، بداية السنة الجارية */
typedef size_t core_fn(const dctx *c, size_t i, const ctx_flags *cf, when *w, when *range_end);
static size_t m_part(const dctx *c, size_t i, when *w, when *range_end, core_fn *core);

static size_t century_words(const dctx *c, size_t i, when *w);

/* Whether a word of time comes before القرن at i (في، منذ، مطلع، من ...,
 * or a preposition on it: بالقرن): what tells the century from the horn
 * (قرن) when its ordinal could count horns. */
static int century_context(const dctx *c, size_t i, unsigned st)
{
    if (st & KH_CL_PREP) return 1;
    const uint64_t time_words = KH_F(KH_F_PREP) | KH_F(KH_F_INPREP) | KH_F(KH_F_PART) | KH_F(KH_F_FROM) |
                                KH_F(KH_F_TO) | KH_F(KH_F_DECADE);
    if (i > 0 && kh_fx_word(&c->x, i - 1, time_words, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, NULL)) return 1;
    /* a century joined to the one just before: القرن الخامس والقرن السادس */
    if (!(st & KH_CL_CONJ)) return 0;
    for (size_t b = i > 4 ? i - 4 : 0; b + 1 < i; b++) {
        when before;
        when_init(&before);
        if (kh_fx_word(&c->x, b, KH_F(KH_F_CENTKW), KH_CL_CONJ | KH_CL_PREP, NULL) &&
            b + century_words(c, b, &before) == i)
            return 1;
    }
    return 0;
}

/* القرن العشرين، القرن الـ19، القرن التاسع عشر، القرن الماضي، القرن الثالث
 * قبل الميلاد */
static size_t century_words(const dctx *c, size_t i, when *w)
{
    unsigned kw_st = 0;
    if (!word(c, i, KH_F_CENTKW, KH_CL_CONJ | KH_CL_PREP, &kw_st)) return 0;
    size_t j = i + 1;
    const kh_fact *e;
    unsigned st = 0;
    int event, hijri = 0, bc = 0;
    /* the era may come first: القرن الميلادي الثالث عشر */
    size_t era_first = era_word(c, j, KH_CL_ART, &hijri, &bc);
    if (era_first && word(c, j + era_first, KH_F_ORD, KH_CL_ART, NULL)) j += era_first;
    else era_first = 0;
    if ((e = word(c, j, KH_F_RELMOD, 0, NULL)) && month_direction(e) + 2 && !strchr("PBN=", e->code[0])) {
        w->century_rel = 1;
        w->century_off = relmod_amount(e, &event);
        return 2;
    }
    if ((e = word(c, j, KH_F_ORD, KH_CL_ART, &st)) && e->value >= 1) {
        long v = (long)e->value;
        j++;
        const kh_fact *t;
        unsigned st2 = 0;
        if ((t = word(c, j, KH_F_NUM, 0, &st2)) && t->value == 10) { v += 10; j++; }
        else if ((t = word(c, j, KH_F_NUM, KH_CL_CONJ | KH_CL_ART, &st2)) && (st2 & KH_CL_CONJ) &&
                 t->value == 20) { v += 20; j++; }
        size_t ke = era_first ? 0 : era_word(c, j, KH_CL_ART, &hijri, &bc);
        /* والقرن الثاني: a second horn, unless time words or an era say a
         * century (a horn has no eleventh) */
        if (v <= 10 && !ke && !era_first && !century_context(c, i, kw_st)) return 0;
        w->century = v - 1;
        w->bc = bc;
        return j + ke - i;
    }
    if ((e = word(c, j, KH_F_NUM, KH_CL_ART, &st)) && (st & KH_CL_ART) && e->value == 20) {
        w->century = 19;
        return 2;
    }
    kh_digits d;
    if (j < c->limit && kh_fx_digits(&c->x, j, &d) && d.integer && d.value >= 1 && d.value <= 22 &&
        !d.suffix && !d.percent && (d.clitic == 0 || d.clitic == KH_CL_ART)) {
        w->century = (long)d.value - 1;
        return 2;
    }
    return 0;
}

/* الأربعينات (من القرن الماضي) */
static size_t m_decade(const dctx *c, size_t i, when *w)
{
    size_t k = century_words(c, i, w);
    if (k) return k;
    const kh_fact *e = word(c, i, KH_F_DECADE, KH_CL_CONJ | KH_CL_PREP, NULL);
    if (!e) return 0;
    size_t j = i + 1;
    if (kh_fx_word(&c->x, j, KH_F(KH_F_FROM), 0, NULL) && (k = century_words(c, j + 1, w))) j += 1 + k;
    else w->century = 19; /* the decades named alone are the last century's */
    w->decade = (long)e->value;
    return j - i;
}

/* فصل الشتاء، صيف 2019، الصيف الماضي */
static size_t m_season(const dctx *c, size_t i, when *w)
{
    size_t j = i;
    int kw = 0;
    const kh_fact *this = NULL;
    if (word(c, j, KH_F_SEASONKW, KH_CL_CONJ | KH_CL_PREP, NULL)) { kw = 1; j++; w->core_skip = 1; }
    else if ((this = word(c, j, KH_F_THIS, KH_CL_CONJ | KH_CL_PREP, NULL))) j++;
    unsigned st = 0;
    const kh_fact *s = word(c, j, KH_F_SEASON, kw || this ? 0 : KH_CL_CONJ | KH_CL_PREP, &st);
    if (!s) return 0;
    j++;
    w->season = s->code;
    long y;
    int hijri;
    size_t k;
    const kh_fact *mod;
    when rel;
    when_init(&rel);
    if ((k = year_part(c, j, &y, &hijri, &w->bc))) {
        w->y = y;
        j += k;
    } else if ((mod = word(c, j, KH_F_RELMOD, 0, NULL)) && (mod->code[0] == '-' || mod->code[0] == '0' || mod->code[0] == '1')) {
        w->rel = 1;
        w->unit = 'Y';
        w->amount = mod->value;
        j++;
    } else if ((k = m_relunit(c, j, &rel)) && rel.unit == 'Y') {
        w->rel = 1;
        w->unit = 'Y';
        w->amount = rel.amount;
        j += k;
    } else if (this) {
        w->rel = 1;
        w->unit = 'Y';
        w->amount = 0;
    } else if (!kw) {
        return 0;
    }
    return j - i;
}

/* A clock time in digits at i: 10:30 (one token or three), or an hour
 * alone when `hour_alone`.  Returns the tokens used. */
static size_t clock_at(const dctx *c, size_t i, int hour_alone, long *h, long *mnt)
{
    const char *s = i < c->limit ? c->x.t[i].norm : NULL;
    if (!s) return 0;
    if (strchr(s, ':')) {
        char *end;
        long hh = strtol(s, &end, 10);
        if (*end != ':' || end == s) return 0;
        long mm = strtol(end + 1, &end, 10);
        if (*end != '\0' || hh > 24 || mm > 59 || hh < 0 || mm < 0) return 0;
        *h = hh, *mnt = mm;
        return 1;
    }
    long hh, mm;
    unsigned nd, nm;
    if (!integer_at(c, i, 0, &hh, &nd) || hh > 24 || nd > 2) return 0;
    if (is(c, i + 1, ":") && integer_at(c, i + 2, 0, &mm, &nm) && nm == 2 && mm < 60) {
        *h = hh, *mnt = mm;
        return 3;
    }
    if (!hour_alone) return 0;
    *h = hh, *mnt = 0;
    return 1;
}

/* Whether token j ends with TEH MARBUTA (or the HEH it is often written as). */
static int ends_feminine(const dctx *c, size_t j)
{
    static const unsigned teh_marbuta[] = {TEH_MARBUTA}, heh[] = {HEH};
    return j < c->limit && (kh_fx_ends_with(&c->x, j, teh_marbuta, 1) || kh_fx_ends_with(&c->x, j, heh, 1));
}

/* An hour as an ordinal: الخامسة، الحادية عشرة (1 to 12).  Hours are
 * feminine (الساعة is): الخامس مساء is not one. */
static size_t hour_word(const dctx *c, size_t j, long *h)
{
    const kh_fact *e = word(c, j, KH_F_ORD, KH_CL_ART, NULL);
    if (!e || e->value < 1 || e->value > 10 || !ends_feminine(c, j)) return 0;
    *h = (long)e->value;
    if (*h <= 2 && (e = word(c, j + 1, KH_F_NUM, 0, NULL)) && e->value == 10) {
        *h += 10;
        return 2;
    }
    return 1;
}

/* The minutes after an hour: والنصف، وربع، إلا ربعا (a quarter to: the
 * hour before). */
static size_t hour_fraction(const dctx *c, size_t j, long *h, long *mnt)
{
    unsigned st = 0;
    const kh_fact *fr = word(c, j, KH_F_FRAC, KH_CL_CONJ | KH_CL_ART, &st);
    if (fr && (st & KH_CL_CONJ) && fr->value < 1) {
        *mnt = (long)(fr->value * 60 + 0.5);
        return 1;
    }
    if (word(c, j, KH_F_MINUS, 0, NULL) && (fr = word(c, j + 1, KH_F_FRAC, KH_CL_ART, NULL)) && fr->value < 1) {
        *mnt = 60 - (long)(fr->value * 60 + 0.5);
        *h = *h == 1 ? 12 : *h - 1;
        return 2;
    }
    return 0;
}

/* الساعة الخامسة مساء، الساعة 10:30 صباحا، صباح اليوم، ليلة 3 كانون الأول */
static size_t m_time(const dctx *c, size_t i, when *w)
{
    size_t j = i;
    const kh_fact *e;
    size_t k;
    unsigned st = 0;
    long h = -1, mnt = 0;
    if (word(c, j, KH_F_HOURKW, KH_CL_CONJ | KH_CL_PREP, NULL)) {
        j++;
        if ((k = clock_at(c, j, 1, &h, &mnt))) {
            j += k;
        } else if ((k = hour_word(c, j, &h))) {
            j += k;
        } else if ((e = word(c, j, KH_F_NUM, 0, NULL)) && e->value >= 1 && e->value <= 12) {
            h = (long)e->value;
            j++;
        }
        if (h < 0) return 0;
        j += hour_fraction(c, j, &h, &mnt);
        w->hour = h;
        w->minute = mnt;
    } else if ((k = hour_word(c, j, &h))) {
        /* العاشرة والنصف صباحا: an hour without الساعة needs its part of the day */
        j += k;
        j += hour_fraction(c, j, &h, &mnt);
        e = word(c, j, KH_F_TOD, 0, NULL);
        if (!e || !(e->flags & KH_FF_ADV)) return 0;
        w->hour = h;
        w->minute = mnt;
    } else if ((k = clock_at(c, j, 1, &h, &mnt))) {
        /* 10 صباحا، 22:30 */
        j += k;
        e = word(c, j, KH_F_TOD, 0, NULL);
        /* without a part of the day, only 22:30 written as one token */
        if ((!e || !(e->flags & KH_FF_ADV)) && (k != 1 || !strchr(c->x.t[i].norm, ':'))) return 0;
        w->hour = h;
        w->minute = mnt;
    } else {
        /* صباح اليوم، مساء الخميس، ليلة 3 كانون الأول */
        e = word(c, j, KH_F_TOD, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, &st);
        if (!e || !(e->flags & KH_FF_NOUN)) return 0;
        j++;
        when d;
        when_init(&d);
        if (st & KH_CL_ART) {
            /* الليلة الماضية: last night; المساء المقبل: this evening */
            const kh_fact *mod = word(c, j, KH_F_RELMOD, 0, NULL);
            int dir = month_direction(mod);
            if (!mod || (!dir && strcmp(mod->code, "0"))) return 0;
            d.rel = 1;
            d.unit = 'D';
            d.amount = dir < 0 ? -1 : 0;
            *w = d;
            w->tod = e->code;
            w->is_time = 1;
            return j + 1 - i;
        }
        ctx_flags none = {0};
        k = m_relday(c, j, 1, &d);
        if (!k) { when_init(&d); k = m_relunit(c, j, &d); if (k && d.unit != 'D') k = 0; }
        if (!k) { when_init(&d); k = m_weekday(c, j, &none, &d); }
        if (!k) { when_init(&d); k = m_day_month(c, j, &none, &d); if (k && d.d < 0) k = 0; }
        if (!k) return 0;
        *w = d;
        w->tod = e->code;
        w->is_time = 1;
        return j + k - i;
    }
    e = word(c, j, KH_F_TOD, 0, NULL);
    if (e && (e->flags & KH_FF_ADV)) {
        w->tod = e->code;
        if (w->hour >= 0 && w->hour < 12 && (!strcmp(e->code, "EV") || !strcmp(e->code, "NI") || !strcmp(e->code, "AF")))
            w->hour += 12;
        /* الثانية ظهرا is 14:00, الثانية عشرة ليلا midnight */
        else if (w->hour >= 1 && w->hour < 6 && !strcmp(e->code, "MI"))
            w->hour += 12;
        else if (w->hour == 12 && !strcmp(e->code, "NI"))
            w->hour = 0;
        if (w->hour == 24) w->hour = 0;
        j++;
    }
    w->is_time = 1;
    /* the day it falls on: الساعة العاشرة مساء أمس، ... من يوم الخميس */
    size_t d0 = j + (kh_fx_word(&c->x, j, KH_F(KH_F_FROM), 0, NULL) ? 1u : 0u);
    when day;
    when_init(&day);
    ctx_flags none = {0};
    k = m_relday(c, d0, 1, &day);
    if (!k) { when_init(&day); k = m_weekday(c, d0, &none, &day); }
    if (!k) { when_init(&day); k = m_day_month(c, d0, &none, &day); if (k && day.d < 0) k = 0; }
    if (k) {
        long hour = w->hour, minute = w->minute;
        const char *tod = w->tod;
        *w = day;
        w->hour = hour;
        w->minute = minute;
        w->tod = tod;
        w->is_time = 1;
        j = d0 + k;
    }
    return j - i;
}

/* يوميا، شهريا، نصف السنوية */
static size_t m_freq(const dctx *c, size_t i, when *w)
{
    const kh_fact *e;
    size_t k = phrase(c, i, KH_F(KH_F_FREQ), KH_CL_CONJ | KH_CL_PREP, &e, NULL);
    if (!k) return 0;
    w->set = e->code;
    return k;
}

/* الآن، حاليا، الآونة الأخيرة */
static size_t m_now(const dctx *c, size_t i, when *w)
{
    const kh_fact *e;
    size_t k = phrase(c, i, KH_F(KH_F_NOW), KH_CL_CONJ | KH_CL_PREP, &e, NULL);
    if (!k) return 0;
    if (e->code[0] == 'P') {
        w->ref = "PAST_REF";
    } else {
        w->ref = "PRESENT_REF";
        w->is_time = 1;
    }
    return k;
}

/* الفترة العثمانية، العهد العثماني */
static size_t m_period(const dctx *c, size_t i, when *w)
{
    if (!word(c, i, KH_F_PERIODKW, KH_CL_CONJ | KH_CL_PREP, NULL) || i + 1 >= c->limit) return 0;
    /* الفترة الأخيرة، الفترة القادمة: the recent past, the near future */
    const kh_fact *mod = word(c, i + 1, KH_F_RELMOD, 0, NULL);
    if (mod && strchr("-1P", mod->code[0])) {
        w->ref = mod->code[0] == '1' ? "FUTURE_REF" : "PAST_REF";
        return 2;
    }
    /* a definite nisba adjective, not an ordinal (الفترة الثانية) */
    if (!named_day_adjective(c, i + 1) || kh_fx_word(&c->x, i + 1, KH_F(KH_F_ORD), KH_CL_ART, NULL)) return 0;
    w->no_value = 1;
    return 2;
}

/* The two ends of a range of times of day, as the text leaves them to be
 * read: the end's part of the day is the start's (من الساعة الرابعة حتى
 * العاشرة مساء: 16:00), midnight ends the day (حتى الثانية عشرة ليلا:
 * 24:00), and an end before the start is on the next day (من الساعة
 * الثامنة مساء إلى الثالثة فجرا). */
static void settle_time_range(when *a, when *b)
{
    if (a->hour < 0 || b->hour < 0) return;
    if (a->hour < 12 && !a->tod && b->tod) {
        long end_hour = b->hour == 0 ? 24 : b->hour;
        if (end_hour >= 12 && a->hour + 12 <= end_hour) {
            a->hour += 12;
            a->tod = b->tod;
        }
    }
    if (a->hour > 0 && b->hour == 0 && b->minute <= 0) b->hour = 24;
    int a_dated = a->y >= 0 || a->m >= 0 || a->d >= 0 || a->wday || (a->rel && a->unit != 'D');
    int b_dated = b->y >= 0 || b->m >= 0 || b->d >= 0 || b->wday || b->rel;
    long start = a->hour * 60 + (a->minute > 0 ? a->minute : 0), end = b->hour * 60 + (b->minute > 0 ? b->minute : 0);
    if (!a_dated && !b_dated && end < start) {
        b->rel = 1;
        b->unit = 'D';
        b->amount = (a->rel ? a->amount : 0) + 1;
    }
}

/* An age, which Wojood marks as a length of time in years: سن الرابعة
 * عشرة، سن 18، سن الـ18; and without سن a definite number or ordinal with
 * a year after it: (أتم) الثامنة والعشرين عاما. */
static size_t m_age(const dctx *c, size_t i, when *w)
{
    size_t j = i;
    const kh_fact *kw = word(c, j, KH_F_AGE, KH_CL_CONJ | KH_CL_PREP, NULL);
    int keyword = kw && !(kw->flags & KH_FF_ADV);
    if (keyword) j++;
    /* العقد الثالث من العمر: the ordinal counts the unit before it */
    if (!keyword && i > 0 && word(c, i - 1, KH_F_TUNIT, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, NULL)) return 0;
    double v = 0;
    size_t k = 0;
    unsigned st = 0;
    long digits;
    kh_number num;
    int in_digits = 0;
    if (integer_at(c, j, keyword ? KH_CL_ART : 0, &digits, NULL)) {
        v = (double)digits;
        k = 1;
        in_digits = 1;
    } else if ((k = kh_fx_ordinal(&c->x, j, c->limit, KH_CL_ART, &v, &st)) != 0) {
        if (!keyword && !(st & KH_CL_ART)) return 0;
    } else if (kh_fx_number(&c->x, j, c->limit, KH_CL_ART, &num) && !num.plural && num.words) {
        if (!keyword && !num.article) return 0;
        v = num.value;
        k = num.last - j;
    }
    if (!k || v < 1 || v > 150) return 0;
    j += k;
    const kh_fact *u = word(c, j, KH_F_TUNIT, 0, NULL);
    /* الثامنة والعشرين عاما; الأربع سنوات (3 to 10 count a plural) */
    int years = u && u->code[0] == 'Y' && !(u->flags & KH_FF_DUAL) &&
                (!(u->flags & KH_FF_PL) || (v >= 3 && v <= 10));
    /* عام before digits introduces a year, not an age (سليم الأول عام 1516) */
    kh_digits yd;
    if (years && word(c, j, KH_F_YEARKW, 0, NULL) && j + 1 < c->limit && kh_fx_digits(&c->x, j + 1, &yd)) years = 0;
    /* 18 من العمر */
    const kh_fact *after = !years && word(c, j, KH_F_FROM, 0, NULL) ? word(c, j + 1, KH_F_AGE, 0, NULL) : NULL;
    int of_age = after && (after->flags & KH_FF_ADV);
    if (!keyword && !of_age && (!years || in_digits)) return 0;
    if (years) j++;
    if (of_age) j += 2;
    w->duration = 1;
    w->unit = 'Y';
    w->amount = v;
    return j - i;
}

/* The year a part of a year belongs to, after من: من العام الجاري، من
 * سنة 2015، من 2014.  Returns the tokens read, من included, or 0. */
static size_t of_year(const dctx *c, size_t j, when *w)
{
    if (!kh_fx_word(&c->x, j, KH_F(KH_F_FROM), 0, NULL)) return 0;
    when y, y_end;
    when_init(&y);
    when_init(&y_end);
    size_t k = m_year(c, j + 1, &y, &y_end);
    if (!k) { when_init(&y); k = m_bare_year(c, j + 1, &y, &y_end); }
    if (!k) { when_init(&y); k = m_relunit(c, j + 1, &y); if (k && y.unit != 'Y') k = 0; }
    if (!k) return 0;
    w->y = y.y;
    if (y.rel) { w->rel = 1; w->unit = 'Y'; w->amount = y.amount; w->event = y.event; w->anaphoric = y.anaphoric; }
    return k + 1;
}

/* The same period of another year: نفس الفترة من سنة 2014، الفترة ذاتها
 * من العام الماضي.  Its value is that year. */
static size_t m_same_period(const dctx *c, size_t i, when *w)
{
    size_t j = i;
    const kh_fact *same;
    if (word(c, j, KH_F_SAME, KH_CL_CONJ | KH_CL_PREP, NULL) && word(c, j + 1, KH_F_PERIODKW, 0, NULL)) {
        j += 2;
    } else if (word(c, j, KH_F_PERIODKW, KH_CL_CONJ | KH_CL_PREP, NULL) &&
               (same = word(c, j + 1, KH_F_RELMOD, 0, NULL)) && same->code[0] == '=') {
        j += 2;
    } else {
        return 0;
    }
    size_t k = of_year(c, j, w);
    return k ? j + k - i : 0;
}

/* The n-th unit in a row, a length of n units: لليوم الثاني على التوالي،
 * للعام الثالث على التوالي. */
static size_t m_in_a_row(const dctx *c, size_t i, when *w)
{
    unsigned st = 0, sto = 0;
    const kh_fact *u = word(c, i, KH_F_TUNIT, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, &st);
    if (!u || !(st & KH_CL_ART) || (u->flags & (KH_FF_PL | KH_FF_DUAL | KH_FF_ACC))) return 0;
    double v;
    size_t ko = kh_fx_ordinal(&c->x, i + 1, c->limit, KH_CL_ART, &v, &sto);
    if (!ko || !(sto & KH_CL_ART) || v < 2) return 0;
    size_t kr = phrase(c, i + 1 + ko, KH_F(KH_F_INROW), 0, NULL, NULL);
    if (!kr) return 0;
    w->duration = 1;
    w->unit = u->code[0];
    w->amount = v;
    if (w->unit == 'H' || w->unit == 'N' || w->unit == 'S') w->is_time = 1;
    return 1 + ko + kr;
}

/* The nth day, week, month or year of something: اليوم الأول (of a fair),
 * الأسبوع الثلاثين من الحمل, العام الثاني من ولايته: a date whose value the
 * text does not give (""), not an ordinal. */
static size_t m_nth_unit(const dctx *c, size_t i, when *w)
{
    unsigned st = 0, sto = 0;
    const kh_fact *u = word(c, i, KH_F_TUNIT, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, &st);
    if (!u || !(st & KH_CL_ART) || (u->flags & (KH_FF_PL | KH_FF_DUAL | KH_FF_ACC)) || !strchr("DWMY", u->code[0]))
        return 0;
    double v;
    size_t ko = kh_fx_ordinal(&c->x, i + 1, c->limit, KH_CL_ART, &v, &sto);
    kh_number tens;
    /* the tens rank with the article: الأسبوع الثلاثين */
    if (!ko && kh_fx_number(&c->x, i + 1, c->limit, KH_CL_ART, &tens) && tens.article && tens.words &&
        !tens.plural && tens.value >= 20 && tens.value < 100) {
        ko = tens.last - (i + 1);
        v = tens.value;
        sto = KH_CL_ART;
    }
    if (!ko || !(sto & KH_CL_ART) || v < 1) return 0;
    /* the ordinal agrees with the unit (السنة الأولى، اليوم الأول; العام
     * الأولي is "the preliminary year"), as tens do not */
    static const unsigned teh_marbuta[] = {TEH_MARBUTA};
    static const unsigned ula[] = {WAW, LAM, YEH};
    int fem_unit = kh_fx_ends_with(&c->x, i, teh_marbuta, 1);
    int fem_ord = kh_fx_ends_with(&c->x, i + 1, teh_marbuta, 1) || kh_fx_ends_with(&c->x, i + 1, ula, 3);
    if (v < 20 && fem_unit != fem_ord) return 0;
    /* اليوم الأول من أغسطس is a day of the month */
    if (word(c, i + 1 + ko, KH_F_FROM, 0, NULL) &&
        (word(c, i + 2 + ko, KH_F_MONTH, 0, NULL) || word(c, i + 2 + ko, KH_F_HMONTH, 0, NULL) ||
         word(c, i + 2 + ko, KH_F_MONTHKW, 0, NULL)))
        return 0;
    w->no_value = 1;
    return 1 + ko;
}

/* The first or last months of a year: الأشهر الخمسة الأولى من سنة 2016
 * (2016-01 to 2016-05), الشهور الثلاثة الأخيرة من العام الماضي. */
static size_t m_months_of_year(const dctx *c, size_t i, when *w, when *range_end)
{
    /* the unit first (الأشهر الخمسة) with the article, or the count first
     * (السبعة أشهر), the article then on the count */
    unsigned st = 0, stn = 0;
    const unsigned lead = KH_CL_CONJ | KH_CL_PREP | KH_CL_ART;
    const kh_fact *u = word(c, i, KH_F_TUNIT, lead, &st), *count;
    if (u) {
        if (!(st & KH_CL_ART)) return 0;
        count = word(c, i + 1, KH_F_NUM, KH_CL_ART, &stn);
    } else {
        count = word(c, i, KH_F_NUM, lead, &stn);
        u = word(c, i + 1, KH_F_TUNIT, 0, NULL);
    }
    if (!u || u->code[0] != 'M' || !(u->flags & KH_FF_PL)) return 0;
    if (!count || !(stn & KH_CL_ART) || count->value < 2 || count->value > 11) return 0;
    unsigned sto = 0;
    const kh_fact *o = word(c, i + 2, KH_F_ORD, KH_CL_ART, &sto);
    if (!o || !(sto & KH_CL_ART) || (o->value != 1 && o->value != 0)) return 0;
    when y;
    when_init(&y);
    size_t k = of_year(c, i + 3, &y);
    if (!k) return 0;
    long n = (long)count->value;
    *w = y;
    *range_end = y;
    w->m = o->value == 1 ? 1 : 13 - n;
    range_end->m = o->value == 1 ? n : 12;
    return 3 + k;
}

/* الربع الثاني من العام الجاري، النصف الأول من 2020، السداسي الأول من سنة 2015 */
static size_t m_quarter(const dctx *c, size_t i, when *w)
{
    unsigned st = 0;
    const kh_fact *q = word(c, i, KH_F_QUARTERKW, KH_CL_CONJ | KH_CL_PREP, &st);
    if (!q) return 0;
    unsigned st2 = 0;
    const kh_fact *o = word(c, i + 1, KH_F_ORD, KH_CL_ART, &st2);
    if (!o || !(st2 & KH_CL_ART) || o->value < 1 || o->value > q->value) return 0;
    size_t j = i + 2;
    /* the first or second half of a month: النصف الثاني من شهر نوفمبر 2017 */
    if (q->value == 2 && kh_fx_word(&c->x, j, KH_F(KH_F_FROM), 0, NULL)) {
        when m;
        when_init(&m);
        ctx_flags none = {0};
        size_t km = m_day_month(c, j + 1, &none, &m);
        if (km && m.m >= 0 && m.d < 0) {
            *w = m;
            w->mod = o->value == 1 ? KH_DATE_MOD_START : KH_DATE_MOD_END;
            return j + 1 + km - i;
        }
    }
    w->part_of_year = q->value == 4 ? "Q" : "H";
    w->part_no = (int)o->value;
    /* without a year it is not a date */
    size_t k = of_year(c, j, w);
    return k ? j + k - i : 0;
}

/* Whether any core form can start at token i: every one begins with a
 * word of the tables, a number in digits or a bracket.  Without classes,
 * the forms are simply tried. */
static int core_may_start(const dctx *c, size_t i)
{
    if (i >= c->x.n) return 0;
    /* classes include KH_F_DIGITS */
    return !c->x.classes || c->x.classes[i] || kh_fx_is(&c->x, i, "(");
}

/* Tries every core form at i and keeps the longest. */
static size_t core_at(const dctx *c, size_t i, const ctx_flags *cf, when *w, when *range_end)
{
    size_t best = 0;
    when cand, cand_end;
    when_init(range_end);
    if (!core_may_start(c, i)) return 0;
#define TRY(call)                                              \
    do {                                                       \
        when_init(&cand);                                      \
        when_init(&cand_end);                                  \
        size_t k_ = (call);                                    \
        if (k_ > best) {                                       \
            best = k_;                                         \
            *w = cand;                                         \
            *range_end = cand_end;                             \
        }                                                      \
    } while (0)
    /* Forms that begin with a word of one class are tried only when token
     * i has that class (with its clitics stripped as any form allows). */
    const uint64_t cls = c->x.classes ? c->x.classes[i] : ~(uint64_t)0;
#define HAS(classes) ((cls & (classes)) != 0)
    const uint64_t phrase_start = KH_F(KH_F_PHRASE);
    /* The other forms begin with digits, a bracket, or a word (or a
     * phrase's first word) of a class that can begin a date. */
    const uint64_t never_first = KH_F_NEVER_DATE_FIRST;
    if (!HAS(~never_first) && !kh_fx_is(&c->x, i, "(")) { /* digits are outside never_first */
        if (HAS(KH_F(KH_F_RELDAY) | phrase_start)) TRY(m_relday(c, i, 0, &cand));
        if (HAS(KH_F(KH_F_FREQ) | phrase_start)) TRY(m_freq(c, i, &cand));
        if (HAS(KH_F(KH_F_NOW) | phrase_start)) TRY(m_now(c, i, &cand));
        return best;
    }
    TRY(numeric_date(c, i, &cand));
    TRY(m_day_month(c, i, cf, &cand));
    if (HAS(KH_F(KH_F_DAYKW) | KH_F(KH_F_WDAY))) TRY(m_weekday(c, i, cf, &cand));
    if (HAS(KH_F(KH_F_YEARKW))) TRY(m_year(c, i, &cand, &cand_end));
    TRY(m_bare_year(c, i, &cand, &cand_end));
    if (HAS(KH_F(KH_F_RELDAY) | phrase_start)) TRY(m_relday(c, i, 0, &cand));
    if (HAS(KH_F(KH_F_THIS) | KH_F(KH_F_TUNIT))) TRY(m_relunit(c, i, &cand));
    TRY(m_duration(c, i, cf, &cand));
    if (HAS(KH_F(KH_F_PART))) TRY(m_part(c, i, &cand, &cand_end, core_at));
    TRY(m_decade(c, i, &cand));
    if (HAS(KH_F(KH_F_SEASONKW) | KH_F(KH_F_THIS) | KH_F(KH_F_SEASON))) TRY(m_season(c, i, &cand));
    TRY(m_time(c, i, &cand));
    if (HAS(KH_F(KH_F_FREQ) | phrase_start)) TRY(m_freq(c, i, &cand));
    if (HAS(KH_F(KH_F_NOW) | phrase_start)) TRY(m_now(c, i, &cand));
    if (HAS(KH_F(KH_F_PERIODKW))) TRY(m_period(c, i, &cand));
    if (HAS(KH_F(KH_F_QUARTERKW))) TRY(m_quarter(c, i, &cand));
    if (HAS(KH_F(KH_F_SAME) | KH_F(KH_F_PERIODKW))) TRY(m_same_period(c, i, &cand));
    if (HAS(KH_F(KH_F_TUNIT) | KH_F(KH_F_NUM))) TRY(m_months_of_year(c, i, &cand, &cand_end));
    if (HAS(KH_F(KH_F_TUNIT))) TRY(m_in_a_row(c, i, &cand));
    if (HAS(KH_F(KH_F_TUNIT))) TRY(m_nth_unit(c, i, &cand));
    if (HAS(KH_F(KH_F_AGE) | KH_F(KH_F_ORD) | KH_F(KH_F_NUM) | KH_F(KH_F_DIGITS))) TRY(m_age(c, i, &cand));
#undef HAS
#undef TRY
    return best;
}

static size_t m_part(const dctx *c, size_t i, when *w, when *range_end, core_fn *core)
{
    const kh_fact *p = word(c, i, KH_F_PART, KH_CL_CONJ | KH_CL_PREP, NULL);
    if (!p) return 0;
    size_t j = i + 1;
    size_t k;
    unsigned st = 0;
    ctx_flags cf = {0};
    cf.before_part = 1;
    k = core(c, j, &cf, w, range_end);
    if (k && (w->duration || w->set || w->ref || w->is_time || w->no_value)) k = 0;
    const kh_fact *def = word(c, j, KH_F_TUNIT, KH_CL_ART, &st);
    if (!k && def && st == KH_CL_ART && !(def->flags & (KH_FF_PL | KH_FF_DUAL | KH_FF_ACC))) {
        /* نهاية العام، بداية الشهر: the current one */
        when_init(w);
        w->rel = 1;
        w->unit = def->code[0];
        w->amount = 0;
        k = 1;
    }
    if (!k) return 0;
    w->mod = p->code[0] == 'S' ? KH_DATE_MOD_START : p->code[0] == 'M' ? KH_DATE_MOD_MID : KH_DATE_MOD_END;
    return j + k - i;
}

/* ------------------------------------------------------------------ */
/* Whole expressions                                                   */
/* ------------------------------------------------------------------ */

typedef struct match {
    size_t last, core_first;
    when a, b;     /* b: the end of a range */
    int range;
    when link;     /* the other calendar's form after الموافق */
    int linked;
} match;

static int has_fields(const when *w)
{
    return w->y >= 0 || w->m >= 0 || w->d >= 0 || w->rel || w->duration || w->wday;
}

/* The token after a relative expression names an event it counts from:
 * قبل يومين من إعدامه، بعد أسبوع على الانتخابات. */
static int event_follows(const dctx *c, size_t j)
{
    if (j + 1 >= c->x.n || !kh_fx_word(&c->x, j, KH_F(KH_F_ANCHOR), 0, NULL)) return 0;
    return kh_fx_arabic(&c->x, j + 1);
}

static size_t match_date(const dctx *c, size_t i, match *mt)
{
    memset(mt, 0, sizeof *mt);
    when_init(&mt->a);
    when_init(&mt->b);
    size_t j = i;
    const kh_fact *e;
    int prep = 0;
    size_t k = phrase(c, j, KH_F(KH_F_PREP), KH_CL_CONJ, &e, NULL);
    if (k) {
        prep = e->code[0] == 'S' && e->code[1] == 'I' ? 'S' : e->code[0] == 'B' ? 'B' : e->code[0] == 'A' ? 'A'
             : e->code[0] == 'O' ? 'O' : 'D';
        j += k;
        if (prep == 'O' && is(c, j, ":")) j++;
    }
    int elapse = 0, approx = 0;
    if (prep && word(c, j, KH_F_ELAPSE, 0, NULL)) { elapse = 1; j++; }
    size_t ak = phrase(c, j, KH_F(KH_F_APPROX), KH_CL_CONJ | KH_CL_PREP, &e, NULL);
    if (ak) { approx = 1; j += ak; }
    ctx_flags cf = {0};
    cf.after_prep = prep != 0;
    cf.after_count = elapse || approx;
    mt->core_first = prep && !elapse && !approx ? i : j;

    /* من X إلى Y، بين X وY، من 13 وحتى 15 تشرين الثاني */
    size_t rk = phrase(c, j, KH_F(KH_F_FROM) | KH_F(KH_F_BETWEEN), KH_CL_CONJ, &e, NULL);
    if (rk) {
        int between = e->cls == KH_F_BETWEEN;
        size_t s0 = j + rk;
        when a, a_end, b, b_end;
        ctx_flags rcf = cf;
        rcf.after_prep = 1;
        size_t ka = core_at(c, s0, &rcf, &a, &a_end);
        long day = -1;
        unsigned nd;
        if (!ka && integer_at(c, s0, 0, &day, &nd) && day >= 1 && day <= 999) {
            when_init(&a);
            ka = 1;
        } else {
            day = -1;
        }
        /* من الثامنة إلى العاشرة صباحا: the first hour without its part of the day */
        int bare_hour = 0;
        long hour, minute = 0;
        size_t kh;
        if (!ka && (kh = hour_word(c, s0, &hour))) {
            kh += hour_fraction(c, s0 + kh, &hour, &minute);
            when_init(&a);
            a.is_time = 1;
            a.hour = hour;
            a.minute = minute;
            ka = kh;
            bare_hour = 1;
        }
        if (ka && !has_fields(&a_end)) {
            size_t t = s0 + ka;
            int ok = 0;
            if (between) {
                if (kh_fx_is_cp(&c->x, t, WAW)) { t++; ok = 1; }
                else if (t < c->limit && c->x.t[t].norm) {
                    uint32_t cp = 0;
                    const char *s = c->x.t[t].norm;
                    ok = kh_utf8_decode((const unsigned char *)s, strlen(s), &cp) && cp == WAW;
                }
            } else {
                size_t tk = phrase(c, t, KH_F(KH_F_TO), KH_CL_CONJ, NULL, NULL);
                if (tk) { t += tk; ok = 1; }
            }
            ctx_flags bcf = rcf;
            bcf.supported = a.m >= 0;
            size_t kb = ok ? core_at(c, t, &bcf, &b, &b_end) : 0;
            int same_kind = kb && (a.duration == b.duration) && !b.set && !b.ref && !a.set && !a.ref;
            if (bare_hour && !(b.is_time && b.hour >= 0)) same_kind = 0;
            /* بين 5 و10 مارس: a day; بين 17 و23 سنة: a length of time */
            int day_of_b = same_kind && day >= 0 && day <= 31 && b.m >= 0 && b.d >= 0;
            int length_of_b = kb && day >= 0 && b.duration && !b.set && !b.amount_unknown && (double)day < b.amount;
            if (day >= 0 && !day_of_b && !length_of_b) same_kind = 0;
            if (same_kind || length_of_b) {
                if (day_of_b) {
                    a = b;
                    a.d = day;
                } else if (length_of_b) {
                    a = b;
                    a.amount = (double)day;
                }
                if (a.y < 0 && a.m >= 0 && b.y >= 0) a.y = b.y;
                /* a range that ends before Christ starts before him (بين عامي 284 و246
                 * قبل الميلاد) */
                if (b.bc) a.bc = 1;
                /* يومي أمس وأمس الأول: the earlier day first */
                if (a.rel && b.rel && a.unit == b.unit && !a.event && !b.event && b.amount < a.amount) {
                    when earlier = b;
                    b = a;
                    a = earlier;
                }
                if (a.is_time && b.is_time) settle_time_range(&a, &b);
                mt->a = a;
                mt->b = b;
                mt->range = 1;
                mt->last = t + kb;
                mt->a.approx = approx;
                return mt->last - i; /* the range words (من، بين) belong to the core */
            }
        }
    }

    size_t kc = core_at(c, j, &cf, &mt->a, &mt->b);
    if (is(c, j, "(") && (prep || j > i)) {
        when pa, pb;
        size_t kp = core_at(c, j + 1, &cf, &pa, &pb);
        if (kp && is(c, j + 1 + kp, ")") && kp + 2 > kc) {
            mt->a = pa;
            mt->b = pb;
            kc = kp + 2;
        }
    }
    if (!kc) return 0;
    if (has_fields(&mt->b)) mt->range = 1;
    if (mt->core_first == j) mt->core_first += mt->a.core_skip;
    size_t end = j + kc;
    /* لمدة ست سنوات بدءا من العام 2004 */
    size_t fk = mt->a.duration ? phrase(c, end, KH_F(KH_F_FROMDATE), 0, NULL, NULL) : 0;
    if (fk) {
        when fa, fb;
        size_t kf = core_at(c, end + fk, &cf, &fa, &fb);
        if (kf && !fa.duration) end += fk + kf;
    }
    /* الموافق: the day a weekday or a relative day falls on (يوم الثلاثاء
     * الموافق 5 / 8 / 2008); after a full date it starts another one */
    const when *a0 = &mt->a;
    int full = a0->d >= 0 && (a0->m >= 0 || a0->y >= 0);
    if (!full && !mt->range && word(c, end, KH_F_LINK, 0, NULL)) {
        size_t l = end + 1;
        if (is(c, l, ":")) l++;
        int paren = is(c, l, "(");
        when la, lb;
        size_t kl = core_at(c, l + (size_t)paren, &cf, &la, &lb);
        if (kl && (la.d >= 0 || la.y >= 0) && (!paren || is(c, l + 1 + kl, ")"))) {
            mt->link = la;
            mt->linked = 1;
            end = l + kl + (paren ? 2u : 0u);
        }
    }
    mt->last = end;
    when *a = &mt->a;
    a->approx = approx;
    if (elapse) a->event = 1;
    if ((prep == 'B' || prep == 'A') && event_follows(c, end)) a->event = 1;
    if (a->duration && (prep == 'S' || prep == 'B' || prep == 'A')) {
        /* منذ عامين، قبل يومين، بعد شهر: a time counted back or on */
        a->duration = 0;
        a->rel = 1;
        a->amount = prep == 'A' ? a->amount : -a->amount;
        /* قبل 65 مليون سنة: too far to name a calendar date */
        if (fabs(a->amount) > 1e5) a->amount_unknown = 1;
    }
    return end - i;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

typedef struct docdate {
    int known;
    long y, m, d, days;
} docdate;

static docdate parse_doc_date(const char *s)
{
    docdate dd = {0};
    if (!s) return dd;
    long y, m, d;
    char tail;
    if (sscanf(s, "%4ld-%2ld-%2ld%c", &y, &m, &d, &tail) != 3) return dd;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return dd;
    dd.known = 1;
    dd.y = y, dd.m = m, dd.d = d;
    dd.days = days_from_civil(y, m, d);
    return dd;
}

static void format_ymd(char *out, size_t cap, long y, long m, long d)
{
    char ys[8], ms[4], ds[4];
    if (y < 0) snprintf(ys, sizeof ys, "XXXX");
    else snprintf(ys, sizeof ys, "%04d", (int)(y % 10000));
    if (m < 0) snprintf(ms, sizeof ms, "XX");
    else snprintf(ms, sizeof ms, "%02d", (int)(m % 100));
    if (d < 0) snprintf(ds, sizeof ds, "XX");
    else snprintf(ds, sizeof ds, "%02d", (int)(d % 100));
    if (m < 0 && d < 0) snprintf(out, cap, "%s", ys);
    else if (d < 0) snprintf(out, cap, "%s-%s", ys, ms);
    else snprintf(out, cap, "%s-%s-%s", ys, ms, ds);
}

static void format_days(char *out, size_t cap, long days)
{
    long y, m, d;
    civil_from_days(days, &y, &m, &d);
    format_ymd(out, cap, y, m, d);
}

/* A duration in ISO 8601: P2D, P1.5Y, PT2H, PXY (an unknown count). */
static void format_duration(char *out, size_t cap, char unit, double amount, int unknown)
{
    const char *t = unit == 'H' || unit == 'N' || unit == 'S' ? "T" : "";
    char u = unit == 'N' ? 'M' : unit;
    double a = fabs(amount);
    if (unit == 'E') { u = 'Y'; a *= 10; }
    if (unit == 'C') { u = 'Y'; a *= 100; }
    /* ISO 8601 has no exponent: a count too large to write in full (or to
     * hold in a double: inf) is written as unknown, and a fraction plainly. */
    if (unknown || !isfinite(a) || a >= 1e12) snprintf(out, cap, "P%sX%c", t, u);
    else if (a == floor(a) || a >= 1e5) snprintf(out, cap, "P%s%.0f%c", t, a, u);
    else {
        char n[32];
        int len = snprintf(n, sizeof n, "%.3f", a);
        while (len > 1 && n[len - 1] == '0') len--;
        if (n[len - 1] == '.') len--;
        snprintf(out, cap, "P%s%.*s%c", t, len, n, u);
    }
}

static long hijri_year_near(long days)
{
    return (long)floor((double)(days - days_from_hijri(1, 1, 1)) / 354.36667) + 1;
}

/* Fills y/m/d from the document's date for an offset of `unit`. */
static void render_offset(const when *w, const docdate *dd, char *out, size_t cap)
{
    long n = (long)w->amount;
    if (!dd->known || w->event || w->anaphoric) {
        switch (w->unit) {
        case 'W': snprintf(out, cap, "XXXX-WXX"); break;
        case 'M': snprintf(out, cap, "XXXX-XX"); break;
        case 'Y': case 'E': case 'C': snprintf(out, cap, "XXXX"); break;
        default: snprintf(out, cap, "XXXX-XX-XX"); break;
        }
        return;
    }
    switch (w->unit) {
    case 'W': {
        long wy;
        long wk = iso_week(dd->days + 7 * n, &wy);
        snprintf(out, cap, "%04ld-W%02ld", wy, wk);
        break;
    }
    case 'M': {
        long months = dd->y * 12 + (dd->m - 1) + n;
        snprintf(out, cap, "%04ld-%02ld", months / 12, months % 12 + 1);
        break;
    }
    case 'Y': snprintf(out, cap, "%04ld", dd->y + n); break;
    case 'E': snprintf(out, cap, "%03ldX", (dd->y + 10 * n) / 10); break;
    case 'C': snprintf(out, cap, "%02ldXX", dd->y / 100 + n); break;
    default: format_days(out, cap, dd->days + (w->unit == 'D' ? n : 0)); break;
    }
}

/* The value of one point, duration or set; *relative is set when the
 * document's date went into it. */
static void render_when(const when *w, const docdate *dd, char *out, size_t cap, char *hijri,
                        size_t hcap, int *relative)
{
    out[0] = '\0';
    if (w->no_value) return;
    if (w->ref) { snprintf(out, cap, "%s", w->ref); return; }
    if (w->set) {
        char u = w->set[strlen(w->set) - 1];
        if (strlen(w->set) > 1) snprintf(out, cap, "P%s", w->set);
        else format_duration(out, cap, u, 1, 0);
        return;
    }
    if (w->duration) { format_duration(out, cap, w->unit, w->amount, w->amount_unknown); return; }
    if (w->rel && w->amount_unknown) {
        snprintf(out, cap, "%s", w->amount > 0 ? "FUTURE_REF" : "PAST_REF");
        return;
    }
    char date[64]; /* room for any long a format can write: -Wformat-truncation at -O3 */
    date[0] = '\0';
    if (w->rel && !((w->season || w->part_of_year) && w->unit == 'Y')) {
        render_offset(w, dd, date, sizeof date);
        /* a month of a year told relatively: الأشهر الثلاثة الأخيرة من العام الماضي */
        size_t len = strlen(date);
        if (w->unit == 'Y' && w->m >= 0 && len == 4) snprintf(date + len, sizeof date - len, "-%02d", (int)w->m);
        if (dd->known && !w->event && !w->anaphoric) *relative = 1;
    } else if (w->century >= 0 || w->century_rel) {
        long cent = w->century;
        if (w->century_rel) cent = dd->known ? dd->y / 100 + w->century_off : -1;
        if (w->century_rel && dd->known) *relative = 1;
        if (cent < 0 && w->decade >= 0) snprintf(date, sizeof date, "XX%dX", (int)(w->decade % 10));
        else if (cent < 0) snprintf(date, sizeof date, "XXXX");
        else if (w->decade >= 0) snprintf(date, sizeof date, "%02d%dX", (int)(cent % 100), (int)(w->decade % 10));
        else if (w->bc) snprintf(date, sizeof date, "-%02dXX", (int)(cent % 100)); /* the 3rd century BC: -02XX */
        else snprintf(date, sizeof date, "%02dXX", (int)(cent % 100));
    } else if (w->hijri) {
        long hy = w->y, hm = w->m, hd = w->d;
        char hs[24];
        format_ymd(hs, sizeof hs, hy, hm, hd);
        if (hy < 0 && hm >= 0 && hd < 0) snprintf(hs, sizeof hs, "XXXX-%02d", (int)(hm % 100));
        snprintf(hijri, hcap, "%s", hs);
        if (hy < 0 && hm >= 0 && dd->known) {
            /* the nearest such month to the document's date */
            long best = 0, best_dist = LONG_MAX;
            long base = hijri_year_near(dd->days);
            for (long y = base - 1; y <= base + 1; y++) {
                long g = days_from_hijri(y, hm, hd > 0 ? hd : 15);
                long dist = labs(g - dd->days);
                if (dist < best_dist) { best_dist = dist; best = y; }
            }
            hy = best;
            *relative = 1;
        }
        if (hy < 0) format_ymd(date, sizeof date, -1, -1, -1), snprintf(date, sizeof date, hm >= 0 ? "XXXX-XX" : "XXXX");
        else if (hm < 0) {
            long y, m, d;
            civil_from_days(days_from_hijri(hy, 1, 1), &y, &m, &d);
            snprintf(date, sizeof date, "%04ld", y);
        } else if (hd < 0) {
            long y, m, d;
            civil_from_days(days_from_hijri(hy, hm, 15), &y, &m, &d);
            snprintf(date, sizeof date, "%04ld-%02ld", y, m);
        } else {
            format_days(date, sizeof date, days_from_hijri(hy, hm, hd));
        }
    } else if (w->y >= 0 || w->m >= 0 || w->d >= 0) {
        long y = w->y;
        if (y < 0 && w->m >= 0 && dd->known) {
            if (w->month_current) y = dd->y;
            else if (w->month_dir < 0) y = w->m < dd->m ? dd->y : dd->y - 1;
            else if (w->month_dir > 0) y = w->m > dd->m ? dd->y : dd->y + 1;
            else y = w->m - dd->m > 6 ? dd->y - 1 : w->m - dd->m < -6 ? dd->y + 1 : dd->y;
            *relative = 1;
        }
        format_ymd(date, sizeof date, y, w->m, w->d);
        if (w->bc && y >= 1) {
            /* ISO 8601's astronomical numbering: 1 BC is 0000, 64 BC -0063 */
            char rest[16];
            snprintf(rest, sizeof rest, "%.10s", date + 4); /* -MM-DD */
            if (y == 1) snprintf(date, sizeof date, "0000%s", rest);
            else snprintf(date, sizeof date, "-%04ld%s", (y - 1) % 10000, rest);
        }
    } else if (w->wday) {
        if (dd->known) {
            long back = (weekday_of(dd->days) - w->wday + 7) % 7;
            long days = dd->days - back;
            if (w->month_dir < 0 && back == 0) days -= 7;
            if (w->month_dir > 0) days = dd->days + ((w->wday - weekday_of(dd->days) + 6) % 7) + 1;
            format_days(date, sizeof date, days);
            *relative = 1;
        } else {
            snprintf(date, sizeof date, "XXXX-WXX-%d", w->wday);
        }
    } else if (w->season) {
        snprintf(date, sizeof date, "XXXX");
    }
    if (w->part_of_year) {
        char year[16] = "XXXX";
        if (w->y >= 0) snprintf(year, sizeof year, "%04d", (int)(w->y % 10000));
        else if (w->rel && dd->known && !w->event && !w->anaphoric) {
            snprintf(year, sizeof year, "%04d", (int)((dd->y + (long)w->amount) % 10000));
            *relative = 1;
        }
        snprintf(out, cap, "%s-%s%d", year, w->part_of_year, w->part_no);
        return;
    }
    if (w->season) {
        char year[16] = "XXXX";
        if (w->y >= 0) snprintf(year, sizeof year, "%04d", (int)(w->y % 10000));
        else if (w->rel && dd->known) {
            snprintf(year, sizeof year, "%04d", (int)((dd->y + (long)w->amount) % 10000));
            *relative = 1;
        }
        snprintf(out, cap, "%s-%s", year, w->season);
        return;
    }
    if (w->is_time && (w->hour >= 0 || w->tod)) {
        if (!date[0]) {
            if (dd->known) {
                format_days(date, sizeof date, dd->days);
                *relative = 1;
            } else {
                snprintf(date, sizeof date, "XXXX-XX-XX");
            }
        }
        if (w->hour >= 0) snprintf(out, cap, "%sT%02ld:%02ld", date, w->hour, w->minute < 0 ? 0 : w->minute);
        else snprintf(out, cap, "%sT%s", date, w->tod);
        return;
    }
    snprintf(out, cap, "%s", date);
}

static void fill_date(const dctx *c, const match *mt, size_t i, const docdate *dd, kh_date *d)
{
    memset(d, 0, sizeof *d);
    const when *a = &mt->a;
    d->first = i;
    d->last = mt->last;
    d->core = (kh_token_range){mt->core_first, mt->last};
    d->start = c->x.t[i].span.start;
    d->end = c->x.t[mt->last - 1].span.end;
    d->is_time = a->is_time ? 1 : 0;
    d->approx = a->approx ? 1 : 0;
    d->event_anchor = a->event || a->anaphoric ? 1 : 0;
    d->mod = a->mod;
    d->kind = mt->range ? KH_DATE_RANGE : a->set ? KH_DATE_SET : a->duration ? KH_DATE_DURATION : KH_DATE_POINT;
    int relative = 0;
    char hijri[24] = "";
    const when *shown = a;
    when merged;
    if (mt->linked) {
        /* الموافق: prefer the Gregorian form with the most detail */
        merged = mt->link;
        if (a->hijri && !merged.hijri) {
            char h2[24] = "", tmp[48];
            int r2 = 0;
            render_when(a, dd, tmp, sizeof tmp, h2, sizeof h2, &r2);
            snprintf(hijri, sizeof hijri, "%s", h2);
        }
        if (merged.wday == 0) merged.wday = a->wday;
        if ((merged.d >= 0 && a->d < 0) || (a->hijri && !merged.hijri)) shown = &merged;
    }
    render_when(shown, dd, d->value, sizeof d->value, d->hijri_value, sizeof d->hijri_value, &relative);
    if (hijri[0]) snprintf(d->hijri_value, sizeof d->hijri_value, "%s", hijri);
    d->hijri = d->hijri_value[0] ? 1 : 0;
    if (mt->range) {
        char end[48], h2[16] = "";
        when b = mt->b;
        if (b.y < 0 && a->y >= 0 && b.m >= 0) b.y = a->y;
        render_when(&b, dd, end, sizeof end, h2, sizeof h2, &relative);
        size_t len = strlen(d->value);
        snprintf(d->value + len, sizeof d->value - len, "/%s", end);
    }
    if (a->rel && !a->amount_unknown) {
        if (a->amount == 0 && !a->event) snprintf(d->offset, sizeof d->offset, "P0%c", a->unit == 'N' ? 'M' : a->unit == 'E' || a->unit == 'C' ? 'Y' : a->unit);
        else {
            char dur[24];
            format_duration(dur, sizeof dur, a->unit, a->amount, 0);
            if (a->anaphoric && a->amount == 0) dur[0] = '\0';
            snprintf(d->offset, sizeof d->offset, "%s%s", dur[0] ? (a->amount < 0 ? "-" : "+") : "", dur);
        }
        if (a->unit == 'H' || a->unit == 'N' || a->unit == 'S') {
            if (a->amount == 0) snprintf(d->offset, sizeof d->offset, "PT0%c", a->unit == 'N' ? 'M' : a->unit);
        }
        relative = 1;
    }
    if (a->century_rel || (a->rel && a->season)) relative = 1;
    d->relative = relative ? 1 : 0;
}

const char *kh_date_mod_name(kh_date_mod mod)
{
    switch (mod) {
    case KH_DATE_MOD_START: return "START";
    case KH_DATE_MOD_MID: return "MID";
    case KH_DATE_MOD_END: return "END";
    case KH_DATE_MOD_NONE: break;
    }
    return NULL;
}

const char *kh_date_kind_name(kh_date_kind kind)
{
    switch (kind) {
    case KH_DATE_POINT: return "point";
    case KH_DATE_DURATION: return "duration";
    case KH_DATE_SET: return "set";
    case KH_DATE_RANGE: return "range";
    }
    return "point";
}

/* Whether a date expression can start at token i: digits, a bracket, or a
 * word of a date (or of a number, for durations). */
static int may_start(const dctx *c, size_t i)
{
    const char *s = c->x.t[i].norm;
    if (!s || !*s) return 0;
    if ((*s >= '0' && *s <= '9') || *s == '(') return 1;
    const uint64_t starters = ~(KH_F(KH_F_STOP) | KH_F(KH_F_CUR) | KH_F(KH_F_CURADJ) | KH_F(KH_F_MEAS) |
                                KH_F(KH_F_MEASADJ) | KH_F(KH_F_PCT) | KH_F(KH_F_REF) | KH_F(KH_F_TO) |
                                KH_F(KH_F_MORE) | KH_F(KH_F_LESS) | KH_F(KH_F_ERA) | KH_F(KH_F_HONOR) |
                                KH_F(KH_F_RELMOD) | KH_F(KH_F_LINK) | KH_F(KH_F_INPREP));
    if (c->x.classes ? (c->x.classes[i] & starters) != 0
                     : kh_fx_word(&c->x, i, starters, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, NULL) != NULL)
        return 1;
    kh_digits d;
    if (kh_fx_digits(&c->x, i, &d)) return 1;
    return strchr(s, '/') != NULL;
}

/* يوما بعد يوم، عاما بعد عام: a unit of time on both sides of بعد says
 * "gradually", no day after another; the tokens from i (بعد) it takes, 0
 * when it is not that. */
static size_t repeated_unit(const dctx *c, size_t i)
{
    const kh_fact *p = word(c, i, KH_F_PREP, 0, NULL);
    if (!p || strcmp(p->code, "AFTER") || i == 0) return 0;
    const kh_fact *a = kh_fx_word(&c->x, i - 1, KH_F(KH_F_TUNIT), KH_CL_CONJ, NULL);
    const kh_fact *b = word(c, i + 1, KH_F_TUNIT, 0, NULL);
    return a && b && !strcmp(a->code, b->code) ? 2 : 0;
}

khabar_status kh_find_dates(const kh_facts *f, const khabar_token *t, size_t n,
                            const uint64_t *classes, const char *doc_date, kh_vec *out)
{
    if (!f || (!t && n) || !out) return KHABAR_ERROR_ARGUMENT;
    docdate dd = parse_doc_date(doc_date);
    dctx c;
    c.x = (kh_fx){f, t, n, classes, NULL};
    c.limit = 0;
    kh_fx_prepare(&c.x);
    khabar_status st = KHABAR_OK;
    for (size_t i = 0; i < n; i++) {
        if (i >= c.limit) {
            /* matches stay within a sentence */
            size_t j = i + 1;
            while (j < n && t[j].sentence == t[i].sentence && t[j].block == t[i].block) j++;
            c.limit = j;
        }
        if (!may_start(&c, i)) continue;
        size_t skip = repeated_unit(&c, i);
        if (skip) {
            i += skip - 1;
            continue;
        }
        match mt;
        if (!match_date(&c, i, &mt)) continue;
        kh_date *d = kh_vec_push(out, sizeof *d);
        if (!d) { st = KHABAR_ERROR_MEMORY; break; }
        fill_date(&c, &mt, i, &dd, d);
        i = mt.last - 1;
    }
    kh_fx_release(&c.x);
    return st;
}
