// The web page of khabar serve in a real browser (Debian's Chromium through
// playwright-core): the seed article pasted into Analyse, and on the page
// its entities marked by type, a quote with its speaker, a resolved date,
// an entity's tip on keyboard focus; screenshots at desktop and phone width.
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
    const hits = await sp.$$eval('.hit h3', (els) => els.map((e) => e.textContent));
    check(name + ': the facet filters to its article', hits.length === 1 && hits[0] === 'عاجل', hits);
    await sp.goto(base + '/entities/' + encodeURIComponent('طالبان'));
    await sp.waitForSelector('.hit');
    const withIt = await sp.$$eval('.entities a', (els) => els.map((e) => e.textContent));
    check(name + ': the entity page lists what appears with it', withIt.includes('أفغانستان') && withIt.includes('القاهرة'), withIt);
    check(name + ': the entity page shows its articles', (await sp.$$('.hit')).length === 2);
    const variants = await sp.$$eval('.tags li .name', (els) => els.map((e) => e.textContent));
    check(name + ': the entity page lists its spellings', variants.includes('حركه طالبان'), variants);
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
    check(name + ': article page, its title', (await sp.textContent('#article h2')).includes('طالبان'));
    check(name + ': article page, its facts beside it', (await sp.$$('#facts .tags li')).length > 0);
    const artOverflow = await sp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(name + ': article page, no sideways scrolling', artOverflow <= 1, artOverflow);
    await sp.screenshot({path: `${shots}/article-${name}.png`});
    await sp.close();
  }

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
