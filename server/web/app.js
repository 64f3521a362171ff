// The page's views, chosen by the address: / is Analyse, /search and
// /entities/NAME the archive's (khabar serve --db); /articles/ID needs a way
// to read a stored article back, which the archive does not have yet.
import {showAnalyse} from './analyse.js';
import {showSearch, showEntity} from './search.js';

const main = document.getElementById('main');

function showArticleMissing(title) {
  main.replaceChildren();
  const h = document.createElement('h1');
  h.textContent = title;
  const p = document.createElement('p');
  p.className = 'notice';
  p.textContent = 'عرض مقال محفوظ غير متاح بعد: الأرشيف لا يعيد المقال المخزن في هذا الإصدار. البحث والتحليل متاحان.';
  const a = document.createElement('a');
  a.href = '/';
  a.textContent = 'إلى التحليل';
  main.append(h, p, a);
}

function route() {
  const path = decodeURIComponent(location.pathname);
  let view = 'analyse';
  if (path.startsWith('/search')) { view = 'search'; showSearch(main); }
  else if (path.startsWith('/entities/')) { view = 'entity'; showEntity(main, path.slice(10)); }
  else if (path.startsWith('/articles/')) { view = 'article'; showArticleMissing('المقال ' + path.slice(10)); }
  else showAnalyse(main);
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

route();
