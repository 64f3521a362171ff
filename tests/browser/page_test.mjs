// The web page of khabar serve in a real browser (Debian's Chromium through
// playwright-core): the seed article pasted into Analyse, and on the page
// its entities marked by type, a quote with its speaker, a resolved date,
// an entity's tip on keyboard focus; the archive's Search, entity, article
// and Stories views; screenshots at desktop and phone width.
// Usage: node page_test.mjs BASE_URL ARTICLE_FILE SCREENSHOT_DIR
import {readFileSync, mkdirSync} from 'node:fs';
import {chromium} from 'playwright-core';

const [base, articleFile, shots] = process.argv.slice(2);
const article = readFileSync(articleFile, 'utf8');
mkdirSync(shots, {recursive: true});
let failed = 0, passed = 0;
function check(name, cond, detail) {
  if (cond) passed++;
  else { failed++; console.log('FAIL: ' + name + (detail !== undefined ? ' — ' + JSON.stringify(detail) : '')); }
}

// Counted nouns as Arabic says them (the page's own module, no DOM needed).
const {counted, ENTITIES, QUOTES, ARTICLES, ARTICLES_GENITIVE, TIMES} = await import('../../server/web/counted.js');
for (const [n, forms, want] of [[1, ENTITIES, 'كيان واحد'], [2, ENTITIES, 'كيانان'], [3, QUOTES, '3 اقتباسات'],
                                [10, ARTICLES, '10 مقالات'], [11, ENTITIES, '11 كيانًا'], [99, QUOTES, '99 اقتباسًا'],
                                [100, ARTICLES, '100 مقال'], [102, ARTICLES, '102 مقال'], [103, ARTICLES, '103 مقالات'],
                                [2, ARTICLES_GENITIVE, 'مقالين'], [2, TIMES, 'مرتين'], [117, TIMES, '117 مرة']])
  check(`counted ${n}: ${want}`, counted(n, forms) === want, counted(n, forms));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const errors = [];
try {
  for (const [name, viewport] of [['desktop', {width: 1366, height: 900}], ['phone', {width: 390, height: 844}]]) {
    const page = await browser.newPage({viewport, locale: 'ar'});
    page.on('pageerror', (e) => errors.push(name + ': ' + e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(name + ': ' + m.text()); });
    page.on('requestfailed', (r) => errors.push(name + ': ' + r.url() + ' ' + (r.failure() || {}).errorText));
    await page.goto(base + '/');
    check(name + ': right to left', await page.evaluate(() => document.documentElement.dir) === 'rtl');
    // Keyboard only: to the text area, type, set the date, analyse with Ctrl+Enter.
    await page.focus('#source');
    await page.fill('#source', article);
    await page.fill('#date', '2021-09-15');
    await page.focus('#source');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#article .ent', {timeout: 20000});

    const types = await page.$$eval('#article .ent', (els) => [...new Set(els.map((e) => e.dataset.type))].sort());
    check(name + ': entities of three types marked', ['LOC', 'ORG', 'PER'].every((t) => types.includes(t)), types);
    const per = await page.$$eval('#article .ent-PER', (els) => els.map((e) => e.dataset.entity));
    check(name + ': أبو عمر خراساني marked as a person', per.includes('أبو عمر خراساني'), per);
    const speakers = await page.$$eval('#article q.quote .speaker', (els) => els.map((e) => e.textContent));
    check(name + ': a quote with its speaker خراساني', speakers.includes('خراساني'), speakers);
    const dates = await page.$$eval('#article .date .val', (els) => els.map((e) => e.textContent));
    check(name + ': منتصف يوليو resolved to 2021-07', dates.includes('2021-07'), dates);
    const tags = await page.$$eval('#facts .tags li', (els) => els.map((e) => e.textContent));
    check(name + ': tags beside the text', tags.includes('طالبان'), tags);
    const summary = await page.$$eval('#facts .summary li', (els) => els.length);
    check(name + ': a summary', summary === 3, summary);
    check(name + ': a repeated sentence marked', await page.$$eval('#article .sent.repeat', (els) => els.length) >= 2);

    // Tab to the first person: its tip shows type, canonical and English names, and a link.
    const tip = await page.evaluate(() => {
      const m = document.querySelector('#article .ent[data-entity="طالبان"]');
      m.focus();
      const t = m.querySelector('.tip');
      return {visible: getComputedStyle(t).display !== 'none', text: t.textContent,
              href: t.querySelector('a').getAttribute('href')};
    });
    check(name + ': focus shows the tip', tip.visible, tip);
    check(name + ': tip has type, name, English name', /منظمة/.test(tip.text) && /Taliban/.test(tip.text), tip.text);
    check(name + ': tip links to the entity page', tip.href === '/entities/' + encodeURIComponent('طالبان'), tip.href);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement.tagName + ' ' + document.activeElement.textContent);
    check(name + ': Tab goes into the tip (its link)', focused.startsWith('A صفحة الكيان'), focused);

    // Nothing wider than the screen at phone width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(name + ': no sideways scrolling', overflow <= 1, overflow);
    await page.evaluate(() => document.activeElement.blur());
    await page.screenshot({path: `${shots}/analyse-${name}.png`, fullPage: false});
    await page.evaluate(() => document.querySelector('#article .ent-PER').focus());
    await page.evaluate(() => document.querySelector('#article .ent-PER').scrollIntoView({block: 'center'}));
    await page.screenshot({path: `${shots}/analyse-${name}-tip.png`});
    await page.close();
  }
  // A JSON article (its own date) and an HTML page: marked the same way.
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push('json/html: ' + e.message));
  await page.goto(base + '/');
  await page.fill('#source', JSON.stringify({title: 'عاجل', date: '2024-03-10',
    text: 'قال وزير الخارجية المصري سامح شكري أمس في القاهرة إن 300 شاحنة دخلت غزة.'}));
  await page.click('#analyse-button');
  await page.waitForSelector('#article .ent');
  const jsonDates = await page.$$eval('#article .date .val', (els) => els.map((e) => e.textContent));
  check('JSON article: أمس resolved against its date', jsonDates.includes('2024-03-09'), jsonDates);
  const places = await page.$$eval('#article .ent-LOC', (els) => els.map((e) => e.dataset.entity));
  check('JSON article: القاهرة marked as a place', places.includes('القاهرة'), places);
  const html = readFileSync(new URL('../html/wordpress.html', import.meta.url), 'utf8');
  await page.fill('#source', html);
  await page.click('#analyse-button');
  await page.waitForFunction(() => /تم التحليل/.test(document.querySelector('#status').textContent));
  const htmlText = await page.textContent('#article');
  check('HTML page: its article drawn, not its markup', htmlText.length > 200 && !/<div|<p>/.test(htmlText),
        htmlText.slice(0, 120));

  // The archive: index the seed and another article, search, click a facet, open an entity.
  const [title, ...rest] = article.split('\n');
  const records = [
    {id: 'seed', title, text: rest.join('\n'), date: '2021-09-15'},
    {id: 'cairo', title: 'عاجل', date: '2021-09-16',
     text: 'قال وزير الخارجية المصري سامح شكري أمس في القاهرة إن المحادثات مع طالبان ستستمر.'},
  ];
  const indexed = await (await fetch(base + '/v1/articles', {method: 'POST', headers: {'Content-Type': 'application/x-ndjson'},
    body: records.map((r) => JSON.stringify(r)).join('\n')})).json();
  check('archive: two articles indexed', indexed.indexed === 2, indexed);
  for (const [name, viewport] of [['desktop', {width: 1366, height: 900}], ['phone', {width: 390, height: 844}]]) {
    const sp = await browser.newPage({viewport, locale: 'ar'});
    sp.on('pageerror', (e) => errors.push('search ' + name + ': ' + e.message));
    await sp.goto(base + '/search');
    await sp.fill('input[name=q]', 'طالبان');
    await sp.keyboard.press('Enter');
    await sp.waitForSelector('.hit');
    check(name + ': search طالبان finds both', (await sp.$$('.hit')).length === 2);
    const marked = await sp.$$eval('.snippet mark', (els) => els.map((e) => e.textContent));
    check(name + ': the matched word marked in the snippets', marked.some((m) => m.includes('طالبان')), marked);
    check(name + ': hits per day drawn', (await sp.$$('.chart rect')).length === 2);
    await sp.screenshot({path: `${shots}/search-${name}.png`});
    const links = await sp.$$eval('.hit h3 a', (els) => els.map((e) => e.getAttribute('href')).sort());
    check(name + ': each hit links to its article page', links.join(' ') === '/articles/cairo /articles/seed', links);
    // Keyboard: focus the facet of a person and press Enter.
    await sp.focus('.facet[data-value="سامح شكري"]');
    await sp.keyboard.press('Enter');
    await sp.waitForSelector('.chip');
    await sp.waitForSelector('.hit');
    const hits = await sp.$$eval('.hit h3', (els) => els.map((e) => e.textContent));
    check(name + ': the facet filters to its article', hits.length === 1 && hits[0] === 'عاجل', hits);
    await sp.goto(base + '/entities/' + encodeURIComponent('طالبان'));
    await sp.waitForSelector('.hit');
    const withIt = await sp.$$eval('.entities a', (els) => els.map((e) => e.textContent));
    check(name + ': the entity page lists what appears with it', withIt.includes('أفغانستان') && withIt.includes('القاهرة'), withIt);
    check(name + ': the entity page shows its articles', (await sp.$$('.hit')).length === 2);
    const seen = await sp.$$eval('.status bdi[dir=ltr]', (els) => els.map((e) => e.textContent));
    check(name + ': the entity page says when it was seen, dates isolated left to right', seen.join(' ') === '2021-09-15 2021-09-16', seen);
    const variants = await sp.$$eval('.tags li .name', (els) => els.map((e) => e.textContent));
    check(name + ': the entity page lists its spellings as written (حركة, not the key حركه)', variants.includes('حركة طالبان') && !variants.includes('حركه طالبان'), variants);
    const counts = await sp.$$eval('.tags li .count', (els) => els.map((e) => e.textContent));
    check(name + ': each spelling with its count', counts.length === variants.length && counts.every((c) => /^×\d+$/.test(c)), counts);
    const apiQuotes = await sp.evaluate(async () => ((await (await fetch('/v1/entities/' + encodeURIComponent('طالبان'))).json())[0].quotes || []).length);
    check(name + ': the entity page lists its quotes', (await sp.$$('.quotes li')).length === apiQuotes, apiQuotes);
    check(name + ': its mentions per day drawn', (await sp.$$('.chart rect')).length === 2);
    const overflow = await sp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(name + ': entity page, no sideways scrolling', overflow <= 1, overflow);
    await sp.screenshot({path: `${shots}/entity-${name}.png`});
    // The article page, reached from a hit: the stored article marked as Analyse marks it.
    await sp.goto(base + '/search?q=' + encodeURIComponent('خراساني'));
    await sp.waitForSelector('.hit h3 a');
    await sp.click('.hit h3 a');
    await sp.waitForSelector('#article .ent', {timeout: 20000});
    check(name + ': the hit opened its article page', new URL(sp.url()).pathname === '/articles/seed', sp.url());
    const artTypes = await sp.$$eval('#article .ent', (els) => [...new Set(els.map((e) => e.dataset.type))].sort());
    check(name + ': article page, entities of three types marked', ['LOC', 'ORG', 'PER'].every((t) => artTypes.includes(t)), artTypes);
    const artSpeakers = await sp.$$eval('#article q.quote .speaker', (els) => els.map((e) => e.textContent));
    check(name + ': article page, a quote with its speaker', artSpeakers.includes('خراساني'), artSpeakers);
    const artDates = await sp.$$eval('#article .date .val', (els) => els.map((e) => e.textContent));
    check(name + ': article page, منتصف يوليو resolved by the stored date', artDates.includes('2021-07'), artDates);
    const artStatus = await sp.textContent('.status');
    const stored = await (await fetch(base + '/v1/articles/seed')).json();
    const want = `${counted(stored.analysis.entities.length, ENTITIES)}، ${counted(stored.analysis.quotes.length, QUOTES)}.`;
    check(name + ': article page, counts said with Arabic agreement (17 كيانًا، 8 اقتباسات)', artStatus === want && !/^(1[1-9]|[2-9]\d) كيان،/.test(artStatus),
          [artStatus, want]);
    check(name + ': article page, its title', (await sp.textContent('#article h2')).includes('طالبان'));
    check(name + ': article page, its facts beside it', (await sp.$$('#facts .tags li')).length > 0);
    const artOverflow = await sp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(name + ': article page, no sideways scrolling', artOverflow <= 1, artOverflow);
    await sp.screenshot({path: `${shots}/article-${name}.png`});
    await sp.close();
  }

  // Stories: two more tellings of the seed (a copy, and a shortened one)
  // make a story of three; search shows it as one hit linking to the
  // Stories view, which lists it with its articles.
  const body = rest.join('\n');
  const short = body.split('\n').filter((l) => l.trim()).slice(0, 6).join('\n');
  const copies = [
    {id: 'seed-copy', title: title + ' (نقلًا عن وكالة)', text: body, date: '2021-09-17'},
    {id: 'seed-short', title: 'طالبان تعترف بقتل زعيم داعش', text: short, date: '2021-09-18'},
  ];
  const more = await (await fetch(base + '/v1/articles', {method: 'POST', headers: {'Content-Type': 'application/x-ndjson'},
    body: copies.map((r) => JSON.stringify(r)).join('\n')})).json();
  check('stories: two tellings of the seed indexed', more.indexed === 2, more);
  for (const [name, viewport] of [['desktop', {width: 1366, height: 900}], ['phone', {width: 390, height: 844}]]) {
    const sp = await browser.newPage({viewport, locale: 'ar'});
    sp.on('pageerror', (e) => errors.push('stories ' + name + ': ' + e.message));
    sp.on('console', (m) => { if (m.type() === 'error') errors.push('stories ' + name + ': ' + m.text()); });
    // Search collapses the story into one hit, which says so and links to it.
    await sp.goto(base + '/search?q=' + encodeURIComponent('خراساني'));
    await sp.waitForSelector('.hit .story-link a');
    check(name + ': search, the story collapsed into one hit', (await sp.$$('.hit')).length === 1, (await sp.$$('.hit')).length);
    const link = await sp.$eval('.story-link', (e) => ({text: e.textContent, href: e.querySelector('a').getAttribute('href'),
                                                         hit: e.closest('.hit').dataset.id}));
    check(name + ': the hit links to its story', link.href === '/stories?article=' + encodeURIComponent(link.hit), link);
    check(name + ': the hit says the story is of 3 articles', /قصة من 3 مقالات · مقالان آخران/.test(link.text), link.text);
    await sp.screenshot({path: `${shots}/search-story-${name}.png`});
    // Keyboard: the link, Enter: the story of that article.
    await sp.focus('.story-link a');
    await sp.keyboard.press('Enter');
    await sp.waitForSelector('.story');
    check(name + ': Enter on the link opens the Stories view', new URL(sp.url()).pathname === '/stories', sp.url());
    const one = await sp.$$eval('.story', (els) => els.map((e) => ({
      first: e.querySelector('h2 a').getAttribute('href'),
      meta: e.querySelector(':scope > .meta').textContent,
      articles: [...e.querySelectorAll('.story-articles li')].map((li) => li.dataset.id),
      links: [...e.querySelectorAll('.story-articles li a')].map((a) => a.getAttribute('href')),
      current: [...e.querySelectorAll('.story-articles li[aria-current]')].map((li) => li.dataset.id),
    })));
    check(name + ': the story of the hit, alone', one.length === 1, one);
    const st = one[0] || {articles: [], links: [], current: [], meta: ''};
    check(name + ': its articles, oldest first', st.articles.join(' ') === 'seed seed-copy seed-short', st.articles);
    check(name + ': its first article is the heading', st.first === '/articles/seed', st.first);
    check(name + ': each article links to its page', st.links.join(' ') === '/articles/seed /articles/seed-copy /articles/seed-short', st.links);
    check(name + ': the hit\'s article marked', st.current.length === 1 && st.current[0] === link.hit, st.current);
    check(name + ': size, dates and near duplicates said', /^3 مقالات/.test(st.meta) && st.meta.includes('2021-09-15') &&
          st.meta.includes('2021-09-18') && /أزواجها شبه المتطابقة: 1\b/.test(st.meta), st.meta);
    // From the navigation, by keyboard: every story of the archive.
    await sp.goto(base + '/');
    await sp.focus('nav a[data-view="stories"]');
    await sp.keyboard.press('Enter');
    await sp.waitForSelector('.story');
    check(name + ': the navigation leads to the Stories view', new URL(sp.url()).pathname === '/stories', sp.url());
    check(name + ': the navigation marks it', await sp.$eval('nav a[data-view="stories"]', (a) => a.getAttribute('aria-current')) === 'page');
    check(name + ': the archive\'s one story listed', (await sp.$$('.story')).length === 1);
    const overflow = await sp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(name + ': stories, no sideways scrolling', overflow <= 1, overflow);
    await sp.screenshot({path: `${shots}/stories-${name}.png`, fullPage: true});
    // A period: only its articles count (the copy and the short one).
    await sp.fill('input[name=from]', '2021-09-17');
    await sp.focus('input[name=from]');
    await Promise.all([sp.waitForURL(/from=2021-09-17/), sp.keyboard.press('Enter')]);
    await sp.waitForSelector('.story');
    const period = await sp.$$eval('.story-articles li', (els) => els.map((e) => e.dataset.id));
    check(name + ': a period keeps its articles', period.join(' ') === 'seed-copy seed-short', period);
    await sp.fill('input[name=from]', '2021-09-18');
    await Promise.all([sp.waitForURL(/from=2021-09-18/), sp.keyboard.press('Enter')]);
    await sp.waitForFunction(() => /لا قصص/.test(document.querySelector('.status').textContent));
    check(name + ': a period with no story says so', true);
    // An article's page from the story.
    await sp.goto(base + '/stories');
    await sp.waitForSelector('.story-articles a');
    await sp.click('.story-articles li[data-id="seed-short"] a');
    await sp.waitForSelector('#article .ent', {timeout: 20000});
    check(name + ': a story\'s article opens its page', new URL(sp.url()).pathname === '/articles/seed-short', sp.url());
    // Uncollapsed, search shows the three.
    await sp.goto(base + '/search?collapse=0&q=' + encodeURIComponent('خراساني'));
    await sp.waitForSelector('.hit');
    check(name + ': search with collapse=0 shows every article', (await sp.$$('.hit')).length === 3);
    check(name + ': the collapse box follows the address', !(await sp.$eval('input[name=collapse]', (b) => b.checked)));
    await sp.close();
  }
  const none = await browser.newPage();
  await none.goto(base + '/stories?article=cairo');
  await none.waitForFunction(() => /ليس هذا المقال في قصة/.test(document.querySelector('.status').textContent));
  check('stories: an article in no story said so', true);
  await none.close();

  // An error from the server is shown, not swallowed.
  await page.goto(base + '/');
  await page.fill('#source', '{"title": "x", "text": ');
  await page.click('#analyse-button');
  await page.waitForSelector('#status.error');
  const msg = await page.textContent('#status');
  check('bad JSON: the error shown', /400 invalid_json/.test(msg), msg);
  await page.goto(base + '/articles/nothing');
  await page.waitForSelector('.status.error');
  check('article page: an unknown id said so', /لا مقال/.test(await page.textContent('main')));
} catch (e) {
  // Say what the pages reported before the step that failed.
  console.log('FAIL: ' + e.message.split('\n')[0] + '; page errors: ' + JSON.stringify(errors));
  failed++;
} finally {
  await browser.close();
}
check('no script errors', errors.length === 0, errors);
console.log(`browser: ${passed} passed, ${failed} failed; screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
