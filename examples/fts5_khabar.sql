-- khabar's tokenizer in any SQLite with FTS5 (docs/archive.md):
--   sqlite3 -cmd '.load build/khabar' :memory: < examples/fts5_khabar.sql
CREATE VIRTUAL TABLE news USING fts5(title, body, tokenize = 'khabar');
INSERT INTO news VALUES
  ('الكتاب الجديد', 'قال الناشر إن الكتاب الجديد يصدر غداً في الرياض.'),
  ('معرض الكتاب', 'وعرضت دار النشر كتابها الأول وكتبه الأخرى في المعرض.'),
  ('مؤتمر جنيف', 'أعلنت الأمم المتحدة عن مؤتمر في جنيف.');
-- any form of a word finds the others, highlighted as written
SELECT rowid, highlight(news, 1, '[', ']') FROM news WHERE news MATCH 'كتاب' ORDER BY rowid;
-- =form asks for that form only
SELECT rowid FROM news WHERE news MATCH '"=الكتاب"' ORDER BY rowid;
-- phrases and NOT, with BM25 ranking
SELECT rowid FROM news WHERE news MATCH '"الكتاب الجديد" NOT جنيف' ORDER BY rank;
-- the matched words' byte offsets in a column
SELECT rowid, khabar_marks(news, 1) FROM news WHERE news MATCH 'الامم' ORDER BY rowid;
