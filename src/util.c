/* Small shared utilities: errors, buffers, arenas, UTF-8, hashing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "kh.h"

khabar_status kh_fail(khabar_error *err, khabar_status code, size_t offset,
                      const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        err->offset = offset;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *khabar_status_name(khabar_status status)
{
    switch (status) {
    case KHABAR_OK: return "ok";
    case KHABAR_ERROR_ARGUMENT: return "invalid_argument";
    case KHABAR_ERROR_MEMORY: return "out_of_memory";
    case KHABAR_ERROR_UTF8: return "invalid_utf8";
    case KHABAR_ERROR_EMPTY: return "empty";
    case KHABAR_ERROR_TOO_LARGE: return "too_large";
    case KHABAR_ERROR_JSON: return "invalid_json";
    case KHABAR_ERROR_RECORD: return "invalid_record";
    case KHABAR_ERROR_SPACE: return "buffer_too_small";
    case KHABAR_ERROR_DATA: return "damaged_data";
    case KHABAR_ERROR_ENCODING: return "invalid_encoding";
    case KHABAR_ERROR_IO: return "io_error";
    case KHABAR_ERROR_FORMAT: return "bad_format";
    case KHABAR_ERROR_QUERY: return "invalid_query";
    }
    return "unknown";
}

const char *khabar_version(void) { return KHABAR_VERSION; }

int kh_buf_reserve(kh_buf *b, size_t extra)
{
    if (b->cap - b->len >= extra) return 0;
    if (b->fixed) return -1;
    size_t need = b->len + extra;
    if (need < b->len) return -1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) { cap = need; break; }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int kh_buf_append(kh_buf *b, const void *p, size_t n)
{
    if (n == 0) return 0;
    if (kh_buf_reserve(b, n)) return -1;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

int kh_buf_putc(kh_buf *b, char c)
{
    if (b->len == b->cap && kh_buf_reserve(b, 1)) return -1;
    b->data[b->len++] = c;
    return 0;
}

void kh_buf_free(kh_buf *b)
{
    if (!b->fixed) free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int kh_vec_grow(kh_vec *v, size_t item_size)
{
    size_t cap = v->cap ? v->cap * 2 : 16;
    if (cap > SIZE_MAX / item_size) return -1;
    void *p = realloc(v->data, cap * item_size);
    if (!p) return -1;
    v->data = p;
    v->cap = cap;
    return 0;
}

void kh_vec_free(kh_vec *v)
{
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

struct kh_arena_block {
    kh_arena_block *next;
    size_t size;
    _Alignas(8) unsigned char mem[];
};

void *kh_arena_alloc(kh_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (n == 0) n = 8;
    if (!a->head || a->head->size - a->used < n) {
        size_t size = 16384;
        while (size < n) size *= 2;
        kh_arena_block *b = malloc(sizeof *b + size);
        if (!b) return NULL;
        b->next = a->head;
        b->size = size;
        a->head = b;
        a->used = 0;
    }
    void *p = a->head->mem + a->used;
    a->used += n;
    return p;
}

char *kh_arena_strndup(kh_arena *a, const char *s, size_t n)
{
    char *p = kh_arena_alloc(a, n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void kh_arena_free(kh_arena *a)
{
    kh_arena_block *b = a->head;
    while (b) {
        kh_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}

unsigned kh_utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t kh_utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* ASCII runs, eight bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= len) break;
        if (p[i] < 0x80) { i++; continue; }
        uint32_t cp;
        unsigned k = kh_utf8_decode(p + i, len - i, &cp);
        if (!k) return i;
        i += k;
    }
    return len;
}

uint64_t kh_hash(const void *p, size_t n) { return XXH3_64bits(p, n); }

size_t khabar_utf8_check(const char *text, size_t len) { return text ? kh_utf8_check(text, len) : 0; }
int kh_utf8_append_repaired(kh_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (k ? kh_buf_append(b, s + i, k) : kh_buf_append(b, "\xEF\xBF\xBD", 3)) return -1;
        i += k ? k : 1;
    }
    return 0;
}
