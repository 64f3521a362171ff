// The Article view (/articles/ID): a stored article read back from the
// archive (GET /v1/articles/ID) and marked as the Analyse view marks it,
// its analysis as it was stored when the article was indexed.
import {el} from './dom.js';
import {get, ApiError} from './api.js';
import {renderArticle} from './annotate.js';
import {renderFacts} from './analyse.js';
import {counted, ENTITIES, QUOTES} from './counted.js';

export async function showArticle(main, id) {
  main.replaceChildren();
  const status = el('p', {class: 'status', role: 'status', 'aria-live': 'polite'}, 'جارٍ التحميل…');
  main.append(el('h1', {}, 'مقال من الأرشيف'), status);
  let stored;
  try {
    stored = await get('/v1/articles/' + encodeURIComponent(id));
  } catch (err) {
    status.className = 'status error';
    if (err instanceof ApiError && err.code === 'no_archive')
      status.textContent = 'لا أرشيف لهذا الخادم: شغّله مع ‎--db FILE‎.';
    else if (err instanceof ApiError && err.status === 404)
      status.textContent = 'لا مقال بهذا المعرّف في الأرشيف: ' + id;
    else status.textContent = 'تعذر تحميل المقال: ' + err.message;
    return;
  }
  const doc = stored.analysis;
  if (!doc.title && stored.title) doc.title = stored.title;
  const article = el('article', {id: 'article', class: 'article', 'aria-label': 'المقال وعليه التحليل', dir: 'rtl'});
  const facts = el('aside', {id: 'facts', class: 'facts', 'aria-label': 'ملخص التحليل'});
  main.append(el('p', {class: 'meta'}, (stored.date || 'بلا تاريخ') + ' · ', el('bdi', {}, stored.id)),
              el('div', {id: 'result', class: 'result'}, article, facts));
  renderArticle(doc, stored.text, article);
  renderFacts(doc, facts);
  status.textContent = `${counted((doc.entities || []).length, ENTITIES)}، ${counted((doc.quotes || []).length, QUOTES)}.`;
}
