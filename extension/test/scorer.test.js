// Tests the on-device scorer (lib/scorer.js) over rules.json with the
// fixtures' text: scam pages score, pages about scams and vendor support
// pages do not reach the scam verdict on their text.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const scorer = require('../lib/scorer.js');

const rules = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'rules.json'), 'utf8'));
const fixtures = path.join(__dirname, '..', '..', 'fixtures');

// textOf approximates innerText: drop scripts, styles and tags.
function textOf(html) {
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}
function titleOf(html) {
  const m = /<title>([\s\S]*?)<\/title>/i.exec(html);
  return m ? m[1] : '';
}
function scoreFile(rel, behaviours) {
  const html = fs.readFileSync(path.join(fixtures, rel), 'utf8');
  return scorer.score(rules, {text: textOf(html), title: titleOf(html), url: 'https://site.example/' + rel}, behaviours || []);
}

test('normalize folds case, width and space', () => {
  assert.strictEqual(scorer.normalize('ＣＡＬＬ  Now\n'), 'call now ');
});

test('terms match as words, prefixes with *', () => {
  assert.strictEqual(scorer.occurrences('a virus here', 'virus', 5).length, 1);
  assert.strictEqual(scorer.occurrences('antivirusware', 'virus', 5).length, 0);
  assert.strictEqual(scorer.occurrences('technicians', 'technician*', 5).length, 1);
});

test('scam text and a locker make a scam', () => {
  const r = scoreFile('scam/fake-bsod.html', ['TSS-LOCK-FULLSCREEN', 'TSS-LOCK-KEYBOARD']);
  assert.strictEqual(r.verdict, 'scam', JSON.stringify(r));
});

test('fake alerts are risky (brand and call to action)', () => {
  for (const f of ['scam/fullscreen-keyboard-lock-it.html', 'scam/norton-infected-scan.html', 'scam/defender-kit-external.html']) {
    const r = scoreFile(f);
    assert.ok(r.risky, f + ': ' + JSON.stringify(r.findings.map((x) => x.id)));
  }
});

test('benign fixtures are never a scam on text, and pages about scams are not risky', () => {
  const dir = path.join(fixtures, 'benign');
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.html'))) {
    const r = scoreFile('benign/' + f);
    assert.notStrictEqual(r.verdict, 'scam', f + ': ' + r.score);
  }
  for (const f of ['benign/news-article-tss.html', 'benign/security-blog-tss.html', 'benign/scam-awareness-guide.html', 'benign/french-news-arnaque.html',
    'benign/vendor-support-microsoft-style.html', 'benign/vendor-support-apple-style.html', 'benign/printer-support-error-codes.html', 'benign/airline-contact.html']) {
    assert.ok(!scoreFile(f).risky, f);
  }
});
