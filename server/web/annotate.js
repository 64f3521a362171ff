// An analysed article drawn with its analysis marked: entities by type
// (hover or focus shows type, canonical name, English name and a link to the
// entity's page), quotes with their speaker, numbers and dates with their
// values, repeated sentences.  Offsets in the analysis are bytes of UTF-8
// into the text analysed (docs/json.md), so the text is cut as bytes.
import {el} from './dom.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const TYPE_NAMES = {PER: 'شخص', ORG: 'منظمة', LOC: 'مكان', MISC: 'أخرى'};

let tipCount = 0;

// A mark that shows its tip on hover and on keyboard focus.
function markWithTip(tag, cls, label, tipChildren, extra) {
  const id = 'tip-' + (++tipCount);
  const tip = el('span', {class: 'tip', role: 'tooltip', id}, ...tipChildren);
  const m = el(tag, {class: 'mark ' + cls, tabindex: '0', 'aria-describedby': id, ...(extra || {})});
  m.append(label, tip);
  return m;
}

export function entityHref(name) {
  return '/entities/' + encodeURIComponent(name);
}

function entityMark(text, mention, entity) {
  const type = mention.type;
  const tip = [
    el('span', {class: 'tip-type'}, TYPE_NAMES[type] || type),
    el('span', {class: 'tip-name'}, entity ? entity.name : mention.text),
    el('span', {class: 'tip-en', lang: 'en', dir: 'ltr'}, entity && entity.en ? entity.en : '—'),
    el('a', {href: entityHref(entity ? entity.name : mention.text)}, 'صفحة الكيان'),
  ];
  return markWithTip('span', 'ent ent-' + type, text, tip, {
    'data-type': type,
    'data-entity': entity ? entity.name : mention.text,
  });
}

export function quantityValue(q) {
  const fmt = (v) => Number(v).toLocaleString('ar-EG-u-nu-latn');
  let v = q.value !== undefined ? fmt(q.value) : q.min !== undefined ? fmt(q.min) + '–' + fmt(q.max) : '';
  if (q.approx) v = '≈ ' + v;
  return v;
}

// A date's value; for one relative to an unknown day, its offset from it.
export function dateValue(d) {
  if (d.value && !/X/.test(d.value)) return d.value;
  if (d.offset) return d.offset;
  return d.value || '';
}

function quantityMark(text, q) {
  const v = quantityValue(q);
  const tip = [el('span', {class: 'tip-type'}, 'عدد'), el('span', {class: 'tip-name', dir: 'ltr'}, v),
               q.unit ? el('span', {}, 'الوحدة: ' + q.unit) : null];
  const m = markWithTip('span', 'num', text, tip.filter(Boolean), {'data-value': v});
  m.insertBefore(el('span', {class: 'val', dir: 'ltr', 'aria-hidden': 'true'}, v), m.lastChild);
  return m;
}

function dateMark(text, d) {
  const resolved = d.value && !/X/.test(d.value);
  const v = dateValue(d);
  const tip = [el('span', {class: 'tip-type'}, d.kind === 'duration' ? 'مدة' : 'تاريخ'),
               el('span', {class: 'tip-name', dir: 'ltr'}, v),
               d.mod ? el('span', {}, 'الموضع: ' + d.mod) : null];
  const m = markWithTip('span', 'date', text, tip.filter(Boolean), {'data-value': v});
  if (resolved) m.insertBefore(el('span', {class: 'val', dir: 'ltr'}, d.value), m.lastChild);
  return m;
}

// Inline marks that do not overlap: at one place, the longest wins
// (داعش خراسان over داعش).
function inlineMarks(doc) {
  const marks = [];
  for (const m of doc.mentions || [])
    marks.push({start: m.start, end: m.end, make: (t) => entityMark(t, m, doc.entities[m.entity])});
  for (const q of doc.quantities || []) marks.push({start: q.start, end: q.end, make: (t) => quantityMark(t, q)});
  for (const d of doc.dates || []) marks.push({start: d.start, end: d.end, make: (t) => dateMark(t, d)});
  marks.sort((a, b) => a.start - b.start || (b.end - b.start) - (a.end - a.start));
  const chosen = [];
  let end = -1;
  for (const m of marks) {
    if (m.start >= end && m.end > m.start) { chosen.push(m); end = m.end; }
  }
  return chosen;
}

export function renderArticle(doc, source, container) {
  const bytes = encoder.encode(source);
  const cut = (a, b) => decoder.decode(bytes.subarray(a, b));
  const marks = inlineMarks(doc);
  const quotes = (doc.quotes || []).slice().sort((a, b) => a.start - b.start);
  const repeats = new Map();
  for (const d of doc.duplicates || []) {
    repeats.set(d.b, {other: d.a, similarity: d.similarity});
    if (!repeats.has(d.a)) repeats.set(d.a, {other: d.b, similarity: d.similarity});
  }
  const summary = new Set(doc.summary || []);

  // [a, b) with the inline marks wholly inside it.
  function inline(parent, a, b) {
    let pos = a;
    for (const m of marks) {
      if (m.start < a || m.end > b) continue;
      if (m.start > pos) parent.append(cut(pos, m.start));
      parent.append(m.make(cut(m.start, m.end)));
      pos = m.end;
    }
    if (pos < b) parent.append(cut(pos, b));
  }

  // [a, b) with quotes (clipped to it) around the inline marks.
  function withQuotes(parent, a, b) {
    let pos = a;
    for (const q of quotes) {
      const qs = Math.max(q.start, a), qe = Math.min(q.end, b);
      if (qs >= qe || qs < pos) continue;
      if (qs > pos) inline(parent, pos, qs);
      const qel = el('q', {class: 'quote', 'data-speaker': q.speaker, tabindex: '0',
                           title: (q.direct ? 'اقتباس مباشر' : 'كلام منقول') + ' — ' + q.speaker});
      if (qs === q.start) qel.append(el('span', {class: 'speaker'}, q.speaker));
      inline(qel, qs, qe);
      parent.append(qel);
      pos = qe;
    }
    if (pos < b) inline(parent, pos, b);
  }

  container.replaceChildren();
  const title = el('h2', {class: 'art-title'});
  if (doc.title_start !== null && doc.title_start !== undefined) withQuotes(title, doc.title_start, doc.title_end);
  else title.textContent = doc.title || '';
  if (doc.title) container.append(title);

  const sentencesOf = new Map();
  (doc.sentences || []).forEach((s, i) => {
    if (!sentencesOf.has(s.block)) sentencesOf.set(s.block, []);
    sentencesOf.get(s.block).push([s, i]);
  });
  (doc.blocks || []).forEach((blk, bi) => {
    const tag = blk.kind === 'heading' ? 'h3' : blk.kind === 'quote' ? 'blockquote' : blk.kind === 'list_item' ? 'p' : 'p';
    const be = el(tag, {class: 'blk blk-' + blk.kind});
    const sents = sentencesOf.get(bi) || [];
    if (!sents.length) {
      withQuotes(be, blk.start, blk.end);
    } else {
      let pos = blk.start;
      for (const [s, i] of sents) {
        if (s.start > pos) be.append(cut(pos, s.start));
        const rep = repeats.get(i);
        const se = el('span', {class: 'sent' + (rep ? ' repeat' : '') + (summary.has(i) ? ' in-summary' : ''),
                               id: 's-' + i, 'data-sentence': String(i)});
        if (rep) {
          se.setAttribute('title', `تتكرر مع الجملة ${rep.other + 1} (تشابه ${Math.round(rep.similarity * 100)}٪)`);
          se.append(el('span', {class: 'rep-tag'}, 'مكررة'));
        }
        withQuotes(se, s.start, s.end);
        be.append(se);
        pos = s.end;
      }
      if (pos < blk.end) be.append(cut(pos, blk.end));
    }
    container.append(be);
  });
}
