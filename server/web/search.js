// The archive's views: Search (/search?q=...) and an entity's page
// (/entities/NAME), both over GET /v1/search, whose facets count entities,
// tags and days over all the hits.  Search collapses stories (articles that
// share most of their text) into one hit, which links to the Stories view.
import {el} from './dom.js';
import {get, ApiError} from './api.js';
import {TYPE_NAMES, entityHref} from './annotate.js';
import {articleCount} from './stories.js';
import {counted, nf, ARTICLES_GENITIVE, RESULTS, TIMES} from './counted.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const FILTERS = ['q', 'entity', 'type', 'tag', 'from', 'to'];

const PAGE = 20;

// Collapsed unless the address says collapse=0.
const collapsed = (params) => params.get('collapse') !== '0';

function queryString(params, offset, collapse) {
  const u = new URLSearchParams();
  for (const k of FILTERS) for (const v of params.getAll(k)) if (v) u.append(k, v);
  u.set('limit', String(PAGE));
  if (offset) u.set('offset', String(offset));
  if (collapse) u.set('collapse', '1');
  return u.toString();
}

// A hit's snippet with its matched words marked; marks are byte offsets into
// the article's text, the snippet starts at snippet_start.
function snippet(hit) {
  const bytes = encoder.encode(hit.snippet || '');
  const p = el('p', {class: 'snippet'});
  let pos = 0;
  for (const [a, b] of hit.marks || []) {
    const s = a - hit.snippet_start, e = b - hit.snippet_start;
    if (s < pos || e > bytes.length) continue;
    p.append(decoder.decode(bytes.subarray(pos, s)), el('mark', {}, decoder.decode(bytes.subarray(s, e))));
    pos = e;
  }
  p.append(decoder.decode(bytes.subarray(pos)));
  return p;
}

// Hits per day as bars: an SVG with a text equivalent for screen readers.
function dayChart(days, label) {
  const wrap = el('figure', {class: 'chart'});
  if (!days || !days.length) return wrap;
  const max = Math.max(...days.map((d) => d.count));
  const w = Math.max(days.length * 14, 120), h = 60;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h + 14}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label + ': ' + days.map((d) => `${d.date} ${d.count}`).join('، '));
  days.forEach((d, i) => {
    const bh = Math.max(2, Math.round((d.count / max) * h));
    const r = document.createElementNS(ns, 'rect');
    r.setAttribute('x', String(w - (i + 1) * 14 + 2)); // right to left, oldest first
    r.setAttribute('y', String(h - bh));
    r.setAttribute('width', '10');
    r.setAttribute('height', String(bh));
    const t = document.createElementNS(ns, 'title');
    t.textContent = `${d.date}: ${d.count}`;
    r.append(t);
    svg.append(r);
  });
  const first = days[0].date, last = days[days.length - 1].date;
  const cap = el('figcaption', {}, label + ' (', el('bdi', {dir: 'ltr'}, first));
  if (first !== last) cap.append(' – ', el('bdi', {dir: 'ltr'}, last));
  cap.append(')');
  wrap.append(svg, cap);
  return wrap;
}

function hitList(hits) {
  const ol = el('ol', {class: 'hits'});
  for (const h of hits)
    ol.append(el('li', {class: 'hit', 'data-id': h.id},
      el('h3', {}, el('a', {href: '/articles/' + encodeURIComponent(h.id)}, h.title || h.id)),
      el('p', {class: 'meta'}, (h.date || 'بلا تاريخ') + ' · ', el('bdi', {}, h.id)),
      snippet(h)));
  return ol;
}

// Marks the hits that stand for a story (GET /v1/stories?article=...): the
// story's size and a link to it in the Stories view.  A failure leaves the
// hits as they are: the link is an extra.
async function linkStories(ol, hits) {
  if (!hits.length) return;
  const q = new URLSearchParams();
  for (const h of hits) q.append('article', h.id);
  q.set('limit', String(hits.length));
  let stories;
  try { stories = await get('/v1/stories?' + q); } catch (e) { return; }
  const storyOf = new Map();
  for (const s of stories) for (const a of s.articles) storyOf.set(a.id, s);
  for (const li of ol.querySelectorAll('.hit')) {
    const s = storyOf.get(li.dataset.id);
    if (!s || li.querySelector('.story-link')) continue;
    const others = s.size - 1;
    li.append(el('p', {class: 'story-link'},
      el('a', {href: '/stories?article=' + encodeURIComponent(li.dataset.id)}, 'قصة من ' + articleCount(s.size)),
      ' · ' + (others === 1 ? 'مقال آخر ينقل' : others === 2 ? 'مقالان آخران ينقلان' : articleCount(others) + ' أخرى تنقل') +
      ' النص نفسه',
      s.near_duplicates ? ` (أزواج شبه متطابقة: ${nf(s.near_duplicates)})` : ''));
  }
}

function notice(main, text) {
  main.append(el('p', {class: 'notice'}, text));
}

async function search(params, offset, collapse) {
  return get('/v1/search?' + queryString(params, offset, collapse));
}

export function missingArchive(main, err) {
  if (err instanceof ApiError && err.code === 'no_archive') {
    notice(main, 'لا أرشيف لهذا الخادم: شغّله مع ‎--db FILE‎ ليُتاح البحث. التحليل متاح في الصفحة الرئيسية.');
    return true;
  }
  return false;
}

// The first hits of a search, or null with the failure shown.
async function load(main, status, params, failed, collapse) {
  try {
    return await search(params, 0, collapse);
  } catch (err) {
    status.textContent = '';
    if (!missingArchive(main, err)) { status.className = 'status error'; status.textContent = failed + err.message; }
    return null;
  }
}

// Facets as buttons: a click adds its filter and searches again.
function facetButtons(title, items, onPick) {
  if (!items || !items.length) return null;
  const ul = el('ul', {class: 'facet-list'});
  for (const it of items) {
    const b = el('button', {type: 'button', class: 'facet', 'data-value': it.value}, it.label,
                 el('span', {class: 'count'}, String(it.count)));
    b.addEventListener('click', () => onPick(it));
    ul.append(el('li', {}, b));
  }
  return el('section', {class: 'fact'}, el('h2', {}, title), ul);
}

export async function showSearch(main) {
  const params = new URLSearchParams(location.search);
  main.replaceChildren();
  main.append(el('h1', {}, 'البحث في الأرشيف'));
  const form = el('form', {class: 'search-form', role: 'search'});
  form.innerHTML = `
    <label>كلمات البحث <input type="search" name="q" dir="auto"></label>
    <label>من <input type="date" name="from"></label>
    <label>إلى <input type="date" name="to"></label>
    <label>النوع <select name="type"><option value="">الكل</option><option value="PER">شخص</option>
      <option value="ORG">منظمة</option><option value="LOC">مكان</option><option value="MISC">أخرى</option></select></label>
    <label class="check"><input type="checkbox" name="collapse"> اجمع القصة في نتيجة واحدة</label>
    <button type="submit">ابحث</button>`;
  for (const k of ['q', 'from', 'to', 'type']) form.elements[k].value = params.get(k) || '';
  const collapse = collapsed(params);
  form.elements.collapse.checked = collapse;
  const chips = el('p', {class: 'chips'});
  for (const k of ['entity', 'tag'])
    for (const v of params.getAll(k)) {
      const b = el('button', {type: 'button', class: 'chip', title: 'إزالة هذا المرشّح'}, (k === 'tag' ? 'وسم: ' : 'كيان: ') + v + ' ×');
      b.addEventListener('click', () => {
        const rest = params.getAll(k).filter((x) => x !== v);
        params.delete(k);
        rest.forEach((x) => params.append(k, x));
        go(params);
      });
      chips.append(b);
    }
  form.append(chips);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    for (const k of ['q', 'from', 'to', 'type']) params.set(k, form.elements[k].value);
    params.set('collapse', form.elements.collapse.checked ? '' : '0');
    go(params);
  });
  main.append(form);
  const status = el('p', {class: 'status', role: 'status', 'aria-live': 'polite'});
  main.append(status);
  if (![...params.keys()].some((k) => FILTERS.includes(k) && params.get(k))) return;
  status.textContent = 'جارٍ البحث…';
  const res = await load(main, status, params, 'تعذر البحث: ', collapse);
  if (!res) return;
  status.textContent = counted(res.total, RESULTS) + (collapse ? '، وكل قصة في نتيجة واحدة' : '');
  const layout = el('div', {class: 'result'});
  const left = el('div', {class: 'hits-col'});
  const list = hitList(res.hits);
  left.append(dayChart(res.facets && res.facets.days, 'النتائج في كل يوم'), list);
  linkStories(list, res.hits);
  // collapsed, offsets count stories and the total counts articles: a
  // short page is the last
  let shown = res.hits.length;
  if (shown === PAGE && shown < res.total) {
    const more = el('button', {type: 'button', class: 'more'}, 'المزيد');
    more.addEventListener('click', async () => {
      const next = await search(params, shown, collapse);
      const items = hitList(next.hits);
      list.append(...items.children);
      linkStories(list, next.hits);
      shown += next.hits.length;
      if (next.hits.length < PAGE || shown >= res.total) more.remove();
    });
    left.append(more);
  }
  const aside = el('aside', {class: 'facts', 'aria-label': 'تصفية النتائج'});
  const pick = (k) => (it) => { params.append(k, it.value); go(params); };
  const ents = (res.facets && res.facets.entities) || {};
  for (const t of ['PER', 'ORG', 'LOC', 'MISC']) {
    const sec = facetButtons(TYPE_NAMES[t], (ents[t] || []).map((e) => ({value: e.name, label: e.name, count: e.count})),
                             pick('entity'));
    if (sec) aside.append(sec);
  }
  const tags = facetButtons('الوسوم', ((res.facets && res.facets.tags) || []).map((t) => ({value: t.tag, label: t.tag, count: t.count})),
                            pick('tag'));
  if (tags) aside.append(tags);
  layout.append(left, aside);
  main.append(layout);
}

function go(params) {
  for (const k of [...params.keys()]) if (!params.get(k)) params.delete(k);
  location.href = '/search?' + params.toString();
}

export async function showEntity(main, name) {
  main.replaceChildren();
  main.append(el('h1', {}, name));
  const status = el('p', {class: 'status', role: 'status', 'aria-live': 'polite'}, 'جارٍ التحميل…');
  main.append(status);
  // The entity across the archive (GET /v1/entities/NAME): type, English
  // name, spellings, mentions per day, company; then its articles.
  let info = null;
  try {
    info = (await get('/v1/entities/' + encodeURIComponent(name)))[0];
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404 && err.code === 'not_found')) {
      status.textContent = '';
      if (!missingArchive(main, err)) { status.className = 'status error'; status.textContent = 'تعذر التحميل: ' + err.message; }
      return;
    }
  }
  const params = new URLSearchParams();
  params.append('entity', name);
  const res = await load(main, status, params, 'تعذر التحميل: ');
  if (!res) return;
  if (!info) {
    status.textContent = 'لا كيان بهذا الاسم في الأرشيف.';
    return;
  }
  status.textContent = `${TYPE_NAMES[info.type] || info.type} · يرد ${counted(info.mentions, TIMES)} في ${counted(info.articles, ARTICLES_GENITIVE)}`;
  // dates isolated left to right: bare, "2021-09-15 و2021-09-16" reads backwards in a right-to-left line
  if (info.first_seen) status.append(' بين ', el('bdi', {dir: 'ltr'}, info.first_seen), ' و', el('bdi', {dir: 'ltr'}, info.last_seen));
  if (info.en) main.querySelector('h1').append(' ', el('span', {class: 'en', lang: 'en', dir: 'ltr'}, info.en));
  const layout = el('div', {class: 'result'});
  const left = el('div', {class: 'hits-col'});
  const days = (info.days || []).map((d) => ({date: d.date, count: d.mentions}));
  const list = hitList(res.hits);
  left.append(dayChart(days, 'ذكره في كل يوم'), el('h2', {}, 'مقالات تذكره'), list);
  linkStories(list, res.hits);
  const aside = el('aside', {class: 'facts', 'aria-label': 'عن الكيان'});
  const variants = el('ul', {class: 'tags'});
  for (const v of info.variants || []) {
    // a spelling and how often the archive has it written so
    const spelling = typeof v === 'string' ? {name: v} : v;
    const item = el('li', {}, el('span', {class: 'name'}, spelling.name));
    if (spelling.mentions !== undefined) item.append(el('span', {class: 'count', title: 'مرات وروده'}, '×' + spelling.mentions));
    variants.append(item);
  }
  aside.append(el('section', {class: 'fact'}, el('h2', {}, 'صيغ الاسم'), variants));
  const ul = el('ul', {class: 'entities'});
  for (const e of info.with || [])
    ul.append(el('li', {}, el('span', {class: 'badge ent-' + e.type}, TYPE_NAMES[e.type] || e.type), ' ',
                 el('a', {href: entityHref(e.name)}, e.name), el('span', {class: 'count', title: 'مقالات تذكرهما'}, '×' + e.articles)));
  aside.append(el('section', {class: 'fact'}, el('h2', {}, 'يرد معه'), ul));
  const quotes = el('ul', {class: 'quotes'});
  for (const q of info.quotes || [])
    quotes.append(el('li', {}, el('q', {}, q.text), q.date ? el('span', {class: 'count'}, q.date) : ''));
  aside.append(el('section', {class: 'fact'}, el('h2', {}, 'اقتباساته'),
    (info.quotes || []).length ? quotes : el('p', {class: 'hint'}, 'لا اقتباس له في الأرشيف.')));
  aside.append(el('section', {class: 'fact'}, el('a', {href: '/search?entity=' + encodeURIComponent(name)}, 'ابحث فيما يذكره')));
  layout.append(left, aside);
  main.append(layout);
}
