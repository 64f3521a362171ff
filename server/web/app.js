// The page's views, chosen by the address: / is Analyse; the archive's
// views (/search, /entities/..., /articles/...) need the archive, which this
// build of the server does not have.
import {showAnalyse} from './analyse.js';

const main = document.getElementById('main');

function showArchiveMissing(title) {
  main.replaceChildren();
  const h = document.createElement('h1');
  h.textContent = title;
  const p = document.createElement('p');
  p.className = 'notice';
  p.textContent = 'الأرشيف (البحث وصفحات الكيانات والمقالات) غير متاح في هذا الإصدار من الخادم. التحليل متاح في الصفحة الرئيسية.';
  const a = document.createElement('a');
  a.href = '/';
  a.textContent = 'إلى التحليل';
  main.append(h, p, a);
}

function route() {
  const path = decodeURIComponent(location.pathname);
  let view = 'analyse';
  if (path.startsWith('/search')) { view = 'search'; showArchiveMissing('البحث'); }
  else if (path.startsWith('/entities/')) { view = 'entity'; showArchiveMissing('الكيان: ' + path.slice(10)); }
  else if (path.startsWith('/articles/')) { view = 'article'; showArchiveMissing('المقال ' + path.slice(10)); }
  else showAnalyse(main);
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

route();
