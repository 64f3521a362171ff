// Counted nouns in Arabic: the noun's form follows the number.  1 and 2 are
// said with the noun alone (مقال واحد، مقالان); 3-10 take the plural (5
// مقالات); 11-99 the singular in the accusative (17 مقالًا); 100, 1,000 and
// the like the singular (100 مقال).  Intl.PluralRules('ar') names these
// classes (one, two, few, many, other), by the last two digits.
const rules = new Intl.PluralRules('ar');

// Digits as the rest of the page writes them, with Arabic grouping.
export const nf = (n) => Number(n).toLocaleString('ar-EG-u-nu-latn');

// forms: {one, two, few, many, other, zero?}: one and two are whole phrases,
// the others the noun after the number; zero, when given, is a whole phrase.
export function counted(n, forms) {
  const c = rules.select(n);
  if (c === 'one' || c === 'two') return forms[c];
  if (c === 'zero' && forms.zero) return forms.zero;
  return `${nf(n)} ${forms[c] || forms.other}`;
}

export const ARTICLES = {one: 'مقال واحد', two: 'مقالان', few: 'مقالات', many: 'مقالًا', other: 'مقال'};
// after a preposition (في مقالين)
export const ARTICLES_GENITIVE = {...ARTICLES, two: 'مقالين'};
export const SENTENCES = {one: 'جملة واحدة', two: 'جملتان', few: 'جمل', many: 'جملة', other: 'جملة'};
export const ENTITIES = {one: 'كيان واحد', two: 'كيانان', few: 'كيانات', many: 'كيانًا', other: 'كيان'};
export const QUOTES = {one: 'اقتباس واحد', two: 'اقتباسان', few: 'اقتباسات', many: 'اقتباسًا', other: 'اقتباس'};
export const RESULTS = {zero: 'لا نتائج', one: 'نتيجة واحدة', two: 'نتيجتان', few: 'نتائج', many: 'نتيجة', other: 'نتيجة'};
export const STORIES = {one: 'قصة واحدة', two: 'قصتان', few: 'قصص', many: 'قصة', other: 'قصة'};
// "N times", said after a verb (يرد مرتين)
export const TIMES = {one: 'مرة واحدة', two: 'مرتين', few: 'مرات', many: 'مرة', other: 'مرة'};
