// The Analyse view: paste plain text, an HTML page or a JSON article; see
// it marked, with its tags, summary, entities, quotes, numbers and dates
// beside it.
import {el} from './dom.js';
import {post, setToken, ApiError} from './api.js';
import {renderArticle, TYPE_NAMES, entityHref, quantityValue, dateValue} from './annotate.js';
import {counted, ENTITIES, QUOTES, SENTENCES} from './counted.js';

const FORM = `
<h1>تحليل مقال</h1>
<form id="analyse-form" class="analyse-form">
  <label for="source">النص، أو صفحة HTML، أو مقال JSON <code dir="ltr">{"title", "text", "date"}</code></label>
  <textarea id="source" name="source" rows="9" dir="auto" required
    placeholder="الصق هنا نص الخبر: السطر الأول عنوانه"></textarea>
  <div class="controls">
    <label>النوع
      <select id="kind" name="kind">
        <option value="auto">تلقائي</option>
        <option value="text">نص</option>
        <option value="html">HTML</option>
        <option value="json">JSON</option>
      </select>
    </label>
    <label>تاريخ المقال <input type="date" id="date" name="date"></label>
    <label id="token-field" hidden>رمز الدخول <input type="password" id="token" autocomplete="off"></label>
    <button type="submit" id="analyse-button">حلِّل</button>
  </div>
  <p class="hint">Ctrl+Enter للتحليل. التاريخ يحدد التواريخ النسبية (أمس، الشهر الماضي).</p>
</form>
<p id="status" class="status" role="status" aria-live="polite"></p>
<div id="result" class="result" hidden>
  <article id="article" class="article" aria-label="المقال وعليه التحليل" dir="rtl"></article>
  <aside id="facts" class="facts" aria-label="ملخص التحليل"></aside>
</div>
<section class="legend" aria-label="دليل الألوان">
  <span class="mark ent ent-PER">شخص</span>
  <span class="mark ent ent-ORG">منظمة</span>
  <span class="mark ent ent-LOC">مكان</span>
  <span class="mark ent ent-MISC">أخرى</span>
  <q class="quote"><span class="speaker">المتحدث</span>اقتباس</q>
  <span class="mark num">عدد</span>
  <span class="mark date">تاريخ</span>
  <span class="sent repeat"><span class="rep-tag">مكررة</span>جملة مكررة</span>
</section>`;

function kindOf(text, chosen) {
  if (chosen !== 'auto') return chosen;
  const t = text.trimStart();
  if (t.startsWith('{')) return 'json';
  if (/^<(!doctype|html|head|body|article|div|p)\b/i.test(t)) return 'html';
  return 'text';
}

// The analysis and the text its offsets point into.
async function analyse(text, kind, date) {
  const q = date ? '?date=' + encodeURIComponent(date) : '';
  if (kind === 'text') return {doc: await post('/v1/analyze' + q, text, 'text/plain; charset=utf-8'), source: text};
  if (kind === 'html') {
    const page = await post('/v1/extract', text, 'text/html');
    const doc = await post('/v1/analyze' + q, text, 'text/html');
    return {doc, source: page.text};
  }
  const doc = await post('/v1/analyze' + q, text, 'application/json');
  const record = JSON.parse(text);
  if (typeof record.html === 'string') {
    const page = await post('/v1/extract', record.html, 'text/html');
    return {doc, source: page.text};
  }
  return {doc, source: record.text};
}

function section(title, ...children) {
  return el('section', {class: 'fact'}, el('h2', {}, title), ...children);
}

export function renderFacts(doc, aside) {
  aside.replaceChildren();
  const sentences = doc.sentences || [];
  if (doc.tags && doc.tags.length) {
    const ul = el('ul', {class: 'tags'});
    for (const t of doc.tags) ul.append(el('li', {title: 'الوزن ' + t.score.toFixed(2)}, t.text));
    aside.append(section('الوسوم', ul));
  }
  if (doc.summary && doc.summary.length) {
    const ol = el('ol', {class: 'summary'});
    for (const i of doc.summary)
      ol.append(el('li', {}, el('a', {href: '#s-' + i}, sentences[i] ? sentences[i].text : '')));
    aside.append(section('الملخص', ol));
  }
  if (doc.entities && doc.entities.length) {
    const ul = el('ul', {class: 'entities'});
    const sorted = doc.entities.slice().sort((a, b) => b.mentions - a.mentions);
    for (const e of sorted)
      ul.append(el('li', {},
        el('span', {class: 'badge ent-' + e.type}, TYPE_NAMES[e.type] || e.type), ' ',
        el('a', {href: entityHref(e.name)}, e.name),
        e.en ? el('span', {class: 'en', lang: 'en', dir: 'ltr'}, e.en) : null,
        el('span', {class: 'count', title: 'عدد الذكر'}, '×' + e.mentions)));
    aside.append(section('الكيانات', ul));
  }
  if (doc.quotes && doc.quotes.length) {
    const ul = el('ul', {class: 'quotes'});
    for (const q of doc.quotes)
      ul.append(el('li', {}, el('strong', {class: 'who'}, q.speaker), ': ', el('q', {}, q.text)));
    aside.append(section('الاقتباسات', ul));
  }
  const facts = [];
  for (const q of doc.quantities || [])
    facts.push([q.start, q.text, 'عدد: ', quantityValue(q), q.unit ? ' ' + q.unit : '']);
  for (const d of doc.dates || []) {
    const resolved = d.value && !/X/.test(d.value);
    facts.push([d.start, d.text, resolved ? 'تاريخ: ' : 'نسبي، لا تاريخ للمقال: ', dateValue(d), '']);
  }
  if (facts.length) {
    facts.sort((a, b) => a[0] - b[0]);
    const dl = el('dl', {class: 'values'});
    for (const [, text, kind, value, unit] of facts)
      dl.append(el('dt', {}, text), el('dd', {}, kind, el('bdi', {dir: 'ltr'}, value), unit));
    aside.append(section('الأعداد والتواريخ', dl));
  }
  if (doc.duplicates && doc.duplicates.length) {
    const ul = el('ul', {class: 'repeats'});
    for (const d of doc.duplicates)
      ul.append(el('li', {},
        el('a', {href: '#s-' + d.a}, 'الجملة ' + (d.a + 1)), ' و', el('a', {href: '#s-' + d.b}, 'الجملة ' + (d.b + 1)),
        ` (تشابه ${Math.round(d.similarity * 100)}٪)`));
    aside.append(section('جمل مكررة', ul));
  }
  if (doc.repairs && doc.repairs.length) {
    const names = {joined_word: 'كلمة موصولة', boilerplate: 'حشو محذوف', invalid_utf8: 'بايت غير صالح',
                   control: 'محرف تحكم', encoding: 'تحويل ترميز'};
    const ul = el('ul', {class: 'repairs'});
    for (const r of doc.repairs) ul.append(el('li', {}, (names[r.kind] || r.kind) + ': ', el('span', {}, r.text)));
    aside.append(section('الإصلاحات', ul));
  }
}

export function showAnalyse(main) {
  main.innerHTML = FORM;
  const form = main.querySelector('#analyse-form');
  const source = main.querySelector('#source');
  const status = main.querySelector('#status');
  const result = main.querySelector('#result');
  const tokenField = main.querySelector('#token-field');
  const button = main.querySelector('#analyse-button');

  source.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = source.value;
    if (!text.trim()) { status.textContent = 'لا نص للتحليل.'; return; }
    const token = main.querySelector('#token').value;
    if (token) setToken(token);
    const kind = kindOf(text, main.querySelector('#kind').value);
    status.textContent = 'جارٍ التحليل…';
    status.className = 'status';
    button.disabled = true;
    try {
      const {doc, source: analysed} = await analyse(text, kind, main.querySelector('#date').value);
      renderArticle(doc, analysed, main.querySelector('#article'));
      renderFacts(doc, main.querySelector('#facts'));
      result.hidden = false;
      const n = (doc.entities || []).length, m = (doc.quotes || []).length;
      status.textContent = `تم التحليل: ${counted((doc.sentences || []).length, SENTENCES)}، ${counted(n, ENTITIES)}، ${counted(m, QUOTES)}.`;
    } catch (err) {
      status.className = 'status error';
      if (err instanceof ApiError && err.status === 401) {
        tokenField.hidden = false;
        status.textContent = 'الخادم يطلب رمز دخول: أدخله ثم أعد التحليل.';
        main.querySelector('#token').focus();
      } else if (err instanceof ApiError) {
        status.textContent = `تعذر التحليل (${err.status} ${err.code}): ${err.message}` +
          (err.offset !== undefined ? ` عند البايت ${err.offset}` : '');
      } else {
        status.textContent = 'تعذر التحليل: ' + err.message;
      }
    } finally {
      button.disabled = false;
    }
  });
}
