// The Stories view (/stories?from=&to=, or /stories?article=ID for the story
// of one article): the archive's stories (GET /v1/stories), articles that
// share most of their text, largest first, each with its size, its first
// article, its dates, its near duplicates and its articles.
import {el} from './dom.js';
import {get} from './api.js';
import {missingArchive} from './search.js';

import {counted, nf, ARTICLES, STORIES} from './counted.js';

export const articleCount = (n) => counted(n, ARTICLES);

function articleLink(a) {
  return el('a', {href: '/articles/' + encodeURIComponent(a.id)}, a.title || a.id);
}

function dates(first, last) {
  if (!first) return 'بلا تاريخ';
  const p = el('span', {}, el('bdi', {dir: 'ltr'}, first));
  if (last && last !== first) p.append(' – ', el('bdi', {dir: 'ltr'}, last));
  return p;
}

function storyItem(s, i, current) {
  const first = s.articles[0] || {id: s.first, title: ''};
  const meta = el('p', {class: 'meta'}, articleCount(s.size) + ' · ', dates(s.first_date, s.last_date),
    ` · تشابه ${nf(Math.round(s.similarity * 100))}٪ · `,
    s.near_duplicates ? `أزواجها شبه المتطابقة: ${nf(s.near_duplicates)}` : 'لا أزواج شبه متطابقة فيها');
  const list = el('ol', {class: 'story-articles'});
  s.articles.forEach((a, k) => {
    const li = el('li', {'data-id': a.id}, articleLink(a), ' ',
      el('span', {class: 'meta'}, a.date ? el('bdi', {dir: 'ltr'}, a.date) : 'بلا تاريخ', ' · ', el('bdi', {}, a.id)));
    if (k === 0) li.prepend(el('span', {class: 'badge'}, 'الأول'), ' ');
    if (a.id === current) { li.className = 'current'; li.setAttribute('aria-current', 'true'); }
    list.append(li);
  });
  const h = 'story-' + (i + 1);
  return el('li', {class: 'story', 'aria-labelledby': h},
    el('h2', {id: h}, articleLink(first)),
    meta,
    el('h3', {class: 'sr-only'}, 'مقالاتها'),
    list);
}

export async function showStories(main) {
  const params = new URLSearchParams(location.search);
  const article = params.get('article');
  main.replaceChildren();
  main.append(el('h1', {}, article ? 'قصة مقال' : 'القصص'));
  main.append(el('p', {class: 'hint'},
    'القصة مقالات تروي خبرًا واحدًا: نُقل أو أُعيدت صياغته أو اختُصر، أو رُوي بكلمات أخرى في الأيام نفسها. الأكبر أولًا، ومقالاتها من الأقدم.'));
  const form = el('form', {class: 'search-form', 'aria-label': 'فترة القصص'});
  form.innerHTML = `
    <label>من <input type="date" name="from"></label>
    <label>إلى <input type="date" name="to"></label>
    <button type="submit">اعرض</button>`;
  for (const k of ['from', 'to']) form.elements[k].value = params.get(k) || '';
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const u = new URLSearchParams();
    for (const k of ['from', 'to']) if (form.elements[k].value) u.set(k, form.elements[k].value);
    location.href = '/stories' + (u.toString() ? '?' + u : '');
  });
  main.append(form);
  if (article) main.append(el('p', {}, el('a', {href: '/stories'}, 'كل القصص')));
  const status = el('p', {class: 'status', role: 'status', 'aria-live': 'polite'}, 'جارٍ التحميل…');
  main.append(status);
  const q = new URLSearchParams();
  for (const k of ['from', 'to', 'article']) if (params.get(k)) q.set(k, params.get(k));
  q.set('limit', '50');
  let stories;
  try {
    stories = await get('/v1/stories?' + q);
  } catch (err) {
    status.textContent = '';
    if (!missingArchive(main, err)) { status.className = 'status error'; status.textContent = 'تعذر التحميل: ' + err.message; }
    return;
  }
  if (!stories.length) {
    status.textContent = article ? 'ليس هذا المقال في قصة: لا مقال آخر يشاركه نصه.' : 'لا قصص في هذه الفترة.';
    return;
  }
  status.textContent = article ? `قصة من ${articleCount(stories[0].size)}.`
    : stories.length === 1 ? 'قصة واحدة.' : `${counted(stories.length, STORIES)}، الأكبر أولًا.`;
  const ol = el('ol', {class: 'stories'});
  stories.forEach((s, i) => ol.append(storyItem(s, i, article)));
  main.append(ol);
}
