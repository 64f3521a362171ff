// The page's views, chosen by the address: / is Analyse, /search,
// /stories, /entities/NAME and /articles/ID the archive's (khabar serve --db).
import {showAnalyse} from './analyse.js';
import {showSearch, showEntity} from './search.js';
import {showArticle} from './article.js';
import {showStories} from './stories.js';

const main = document.getElementById('main');

function route() {
  const path = decodeURIComponent(location.pathname);
  let view = 'analyse';
  if (path.startsWith('/search')) { view = 'search'; showSearch(main); }
  else if (path.startsWith('/entities/')) { view = 'entity'; showEntity(main, path.slice(10)); }
  else if (path.startsWith('/articles/')) { view = 'article'; showArticle(main, path.slice(10)); }
  else if (path.startsWith('/stories')) { view = 'stories'; showStories(main); }
  else showAnalyse(main);
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

route();
