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

// A long text is searched through the index of its three-letter runs
// (gramIndex): every term of the rules is found at the same places as by
// reading the text, in the fixtures' pages and at the edges the index
// could get wrong.
test('the index finds what reading the text finds', () => {
  const terms = new Set();
  for (const r of rules.text) {
    for (const t of r.phrases || []) terms.add(t);
    for (const l of (r.near && r.near.terms) || []) for (const t of l) terms.add(t);
  }
  for (const l of Object.values(rules.scopes || {})) for (const t of l) terms.add(t);
  for (const t of rules.hotline.context) terms.add(t);
  const edges = ['aa', 'aaa', 'call*', 'virus', 'vi', '𝐀b', 'b𝐀', 'ウイルス', 'вирус', 'x y', 'ends here'];
  const texts = [
    'aaaa aaa aa virus virusvirus call caller called 𝐀bc b𝐀 ウイルスが вирус x y ' + 'ends here',
    'virus'.repeat(900) + ' call',
  ];
  for (const dir of ['scam', 'benign']) {
    for (const f of fs.readdirSync(path.join(fixtures, dir)).filter((f) => f.endsWith('.html'))) {
      texts.push(scorer.normalize(textOf(fs.readFileSync(path.join(fixtures, dir, f), 'utf8'))));
    }
  }
  let indexed = 0;
  for (const text of texts) {
    const ix = scorer.gramIndex(text);
    for (const t of [...terms, ...edges]) {
      const found = scorer.occurrences(text, t, 200);
      assert.deepStrictEqual(scorer.occurrences(text, t, 200, ix), found, `${t} in ${text.slice(0, 60)}`);
      const n = t.length - (t.endsWith('*') ? 1 : 0);
      if (found.length && n >= 3) assert.ok(scorer.rarestRun(ix, t, n) >= 0, `${t} said absent from ${text.slice(0, 60)}`);
    }
    indexed++;
  }
  assert.ok(indexed > 50 && terms.size > 1000, `${indexed} texts, ${terms.size} terms: the test reads too little`);
});

// Long pages are scored through the index: a scam fixture's text after a
// long article (past the length the index starts at) scores as it does
// alone.
test('long pages score through the index as short ones', () => {
  const article = 'The garden club met on Tuesday to plan the spring planting and the autumn fair. '.repeat(40);
  let long = 0;
  for (const f of fs.readdirSync(path.join(fixtures, 'scam')).filter((f) => f.endsWith('.html'))) {
    const html = fs.readFileSync(path.join(fixtures, 'scam', f), 'utf8');
    const page = {text: textOf(html), title: titleOf(html), url: 'https://site.example/' + f};
    const short = scorer.score(rules, page, []);
    if (short.verdict !== 'scam') continue;
    const padded = scorer.score(rules, {...page, text: article + '\n' + page.text}, []);
    assert.strictEqual(padded.verdict, 'scam', `${f}: ${JSON.stringify(padded.findings.map((x) => x.id))}`);
    long++;
  }
  assert.ok(long >= 20, `only ${long} scam fixtures score as scams on their text`);
});

test('scam text and a locker make a scam', () => {
  const r = scoreFile('scam/fake-bsod.html', ['TSS-LOCK-FULLSCREEN', 'TSS-LOCK-KEYBOARD']);
  assert.strictEqual(r.verdict, 'scam', JSON.stringify(r));
});

test('scorePage scores the hidden words when the visible ones are no scam', () => {
  const html = fs.readFileSync(path.join(fixtures, 'scam/norton-infected-scan.html'), 'utf8');
  const alert = textOf(html);
  assert.strictEqual(scorer.score(rules, {text: alert}, []).verdict, 'scam', 'the fixture is a scam on its words');
  const visible = 'Click anywhere to continue';
  const page = {text: visible, hidden: visible + ' ' + alert, title: '', url: 'https://site.example/', behaviours: []};
  const {r, hidden} = scorer.scorePage(rules, page);
  assert.strictEqual(hidden.verdict, 'scam');
  assert.strictEqual(r, hidden, 'the page takes the hidden words\' score when it makes a scam');
  // Without hidden words, or when the visible words are a scam, the
  // hidden ones are not scored.
  const plain = scorer.scorePage(rules, {...page, hidden: null});
  assert.strictEqual(plain.r.verdict, 'clean');
  assert.strictEqual(plain.hidden, plain.r);
  const shown = scorer.scorePage(rules, {...page, text: alert, hidden: 'nothing to see'});
  assert.strictEqual(shown.r.verdict, 'scam');
  assert.strictEqual(shown.hidden, shown.r);
});

test('scorePage reads only strings from the page', () => {
  const odd = {text: 5, hidden: {}, canvas: ['x'], title: null, url: 7, dialogs: [1, {}, 'ok'], speech: 'not a list', calls: [null], progress: 'yes', behaviours: [{}, 'TSS-LOCK-FULLSCREEN']};
  const {r} = scorer.scorePage(rules, odd);
  assert.strictEqual(r.verdict, 'clean');
  assert.deepStrictEqual(scorer.scorePage(rules, {}).r.verdict, 'clean');
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

test('a fake alert without its number is a scam when its scare claims fill the content cap', () => {
  const alert = 'Windows Defender Security Center. Access to this computer has been blocked for security reasons. ' +
    'Your computer is infected with Trojan spyware. Threats found: Trojan.Agent, Spyware.Banker. ' +
    'Your passwords and bank details are being stolen. Do not close this page or restart your computer. ' +
    'Call Microsoft support immediately.';
  const r = scorer.score(rules, {text: alert, title: 'Security Center', url: 'https://x.example/'}, []);
  assert.strictEqual(r.verdict, 'scam', JSON.stringify(r));
  assert.ok(r.saturated && r.hotlines.length === 0);
  // The same claims quoted on a page about scams, and half of them on a
  // page that asks to call: not a scam on text.
  const aware = scorer.score(rules, {text: 'This is a tech support scam. ' + alert, title: '', url: 'https://x.example/'}, []);
  assert.ok(!aware.saturated && aware.verdict !== 'scam', JSON.stringify(aware));
  const half = scorer.score(rules, {text: 'Windows Security. Your computer is infected with spyware. Call Microsoft support.', title: '', url: 'https://x.example/'}, []);
  assert.ok(half.risky && !half.saturated && half.verdict !== 'scam', JSON.stringify(half));
});

test('numbers of any country count as the hotline of a page that asks to call', () => {
  const ask = (n) => scorer.score(rules, {text: 'Your computer is blocked. Call Microsoft support now: ' + n, title: '', url: 'https://x.example/'}, []);
  for (const n of ['+1 (844) 950-2539', '1-888-555-0142', '(888) 555 0142', '020 3286 0414', '09 70 38 38 04', '030-8009-8128', '(050) 5050 1859', '+44 20 3286 0414', '+81 50-5050-1859']) {
    const r = ask(n);
    assert.ok(r.findings.some((f) => f.id === 'TSS-HOTLINE'), n + ': ' + JSON.stringify(r.hotlines));
  }
  for (const n of ['2024-12-31', '12.31.2024', '1,299.00 €', '10:30 - 18:00', 'ref 4471', '0 800 00']) {
    const r = ask(n);
    assert.ok(!r.findings.some((f) => f.id === 'TSS-HOTLINE'), n + ': ' + JSON.stringify(r.hotlines));
  }
  const none = scorer.score(rules, {text: 'Order 020 3286 0414 shipped on 2024-12-31.', title: '', url: 'https://x.example/'}, []);
  assert.ok(!none.findings.some((f) => f.id === 'TSS-HOTLINE'), 'a number on a page that asks nobody to call');
});

test('a number is the hotline where the server says so: near a call, support or urgency word or a brand, or on a page that traps its visitor', () => {
  const score = (text, beh = []) => scorer.score(rules, {text, title: '', url: 'https://x.example/'}, beh);
  const hotline = (r) => r.findings.find((f) => f.id === 'TSS-HOTLINE');
  const pad = ' Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.'.repeat(2);
  // A support word without "call" (kits selling a "renewal" name their department).
  assert.ok(hotline(score('Your subscription has expired. Renewal department: 1-888-555-0125')), 'beside a support word');
  assert.ok(hotline(score('McAfee 020 3286 0414')), 'beside a brand');
  // Far from any such word: an order number, a shop's line in its footer.
  assert.ok(!hotline(score('Order 020 3286 0414 shipped.' + pad + ' Call us any time.')), 'far from the call word');
  // A page that locks the keyboard or loops dialogs wants any number called.
  assert.ok(hotline(score('Order 020 3286 0414', ['TSS-LOCK-KEYBOARD'])), 'on a page that traps its visitor');
  // Weights as on the server (rule weight, per further number, toll-free, cap).
  const hb = rules.behaviour['TSS-HOTLINE'];
  assert.strictEqual(hotline(score('Call support: 020 3286 0414')).w, hb.w);
  assert.strictEqual(hotline(score('Call support: 1-888-555-0125')).w, hb.w + hb.per);
  assert.strictEqual(hotline(score('Call support: 1-888-555-0125 or 020 3286 0414')).w, hb.w + 2 * hb.per);
  assert.strictEqual(hotline(score('Call support: 1-888-555-0125, 1-877-555-0126, 020 3286 0414, 020 3286 0415, 020 3286 0416')).w, hb.max);
});

test('a number the page\'s URL hands it makes the page a template, as on the server', () => {
  const score = (url, text = 'Call Microsoft support: (888) 555-0142') => scorer.score(rules, {text, title: '', url}, []);
  const template = (r) => r.findings.some((f) => f.id === 'TSS-TEMPLATE-NUMBER-PARAM');
  assert.ok(template(score('https://x.example/?phone=18885550142')), 'a phone parameter, with the country code');
  assert.ok(template(score('https://x.example/index.html?ph0ne=888-555-0142&src=ads')), 'digits for letters in the name');
  assert.ok(template(score('https://x.example/#n1=8885550142')), 'in the fragment');
  assert.ok(template(score('https://x.example/?tel=%2B1%20888%20555%200142')), 'encoded');
  // A search for the number, another number, a number the page does not show.
  assert.ok(!template(score('https://x.example/?q=18885550142')), 'a search');
  assert.ok(!template(score('https://x.example/?phone=18885550199')), 'another number');
  assert.ok(!template(score('https://x.example/?phone=18885550142', 'Your order has shipped.')), 'no number on the page');
  const w = rules.behaviour['TSS-TEMPLATE-NUMBER-PARAM'];
  assert.ok(w && w.w > 0 && w.cat === 'template');
});

test('a call link\'s number is a hotline, and a North American number labelled toll-free that is not one is a lie, as on the server', () => {
  const score = (text, calls = []) => scorer.score(rules, {text, title: '', url: 'https://x.example/', calls}, []);
  const find = (r, id) => r.findings.find((f) => f.id === id);
  // A call link's number counts wherever the link is, and with the text's.
  assert.ok(find(score('Your invoice', ['tel:+18102047453']), 'TSS-HOTLINE'), 'a call link alone');
  assert.ok(score('Your invoice', ['tel:+18102047453']).hotlines.includes('+18102047453'));
  const hb = rules.behaviour['TSS-HOTLINE'];
  assert.strictEqual(find(score('Call support: 020 3286 0414', ['tel:+18102047453']), 'TSS-HOTLINE').w, hb.w + hb.per);
  assert.ok(!find(score('Your invoice', ['tel:']), 'TSS-HOTLINE'), 'a call link without a number');
  // The server's own samples, and a label far from the number.
  const fake = (text) => !!find(score(text), 'TSS-HOTLINE-FAKE-TOLLFREE');
  assert.ok(fake('Apple Support, toll free: +1 (843) 377-9370'));
  assert.ok(fake('Numéro vert : +1 843-377-9370'), 'a label in another language');
  assert.ok(!fake('Apple Support, toll free: +1 (844) 555-0142'), 'a toll-free number');
  assert.ok(!fake('Apple Support, toll free.' + ' Lorem ipsum dolor sit amet, consectetur adipiscing elit.'.repeat(2) + ' Office: +1 (843) 377-9370'), 'far from the label');
  assert.ok(!fake('Numéro vert : 01 43 37 93 70'), 'outside North America the device cannot tell');
});

test('a fake scan counts as on the server: paths of the visitor\'s machine in the text, a progress bar beside scanning words', () => {
  const score = (text, page = {}) => scorer.score(rules, {text, title: '', url: 'https://x.example/', ...page}, []);
  const has = (r, id) => r.findings.some((f) => f.id === id);
  const paths = ['C:\\Windows\\System32\\drivers\\etc\\hosts', 'C:\\Windows\\System32\\kernel32.dll', 'C:\\Program Files\\Common Files\\system.dll',
    'C:\\Users\\Public\\Documents\\tmp.exe', 'HKEY_LOCAL_MACHINE\\Software\\Run', 'C:\\ProgramData\\Microsoft\\crypto.key'];
  assert.ok(has(score('Scanning: ' + paths.join(' ')), 'TSS-SCAN-SYSTEM-PATHS'), 'six distinct paths');
  assert.ok(!has(score('Edit ' + paths.slice(0, 3).join(' and ')), 'TSS-SCAN-SYSTEM-PATHS'), 'a help page quotes a few');
  assert.strictEqual(scorer.systemPaths(paths.slice(0, 3).join(' ').replace(/\\/g, '\\\\'), rules.conversion.system_path, 3), 3, 'as a script\'s source escapes them');
  const word = rules.conversion.working[0];
  assert.ok(has(score('Please wait: ' + word, {progress: true}), 'TSS-FAKE-PROGRESS'), 'a progress bar beside "' + word + '"');
  assert.ok(!has(score('Uploading your photo', {progress: true}), 'TSS-FAKE-PROGRESS'), 'a progress bar alone');
  assert.ok(!has(score('Please wait: ' + word), 'TSS-FAKE-PROGRESS'), 'the words alone');
});

// inlineScripts gives the inline scripts of an HTML page, joined.
function inlineScripts(html) {
  return [...html.matchAll(/<script(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]).join('\n');
}

test('code in the string-array obfuscator\'s shapes counts beside scam words or a hotline, and in no benign page\'s code', () => {
  const dir = path.join(fixtures, 'scam');
  const obfuscated = fs.readdirSync(dir).filter((f) => f.startsWith('obf-jso-'));
  assert.ok(obfuscated.length >= 5, 'the obfuscator fixtures');
  for (const f of obfuscated) {
    assert.ok(scorer.obfuscatorShapes(inlineScripts(fs.readFileSync(path.join(dir, f), 'utf8'))), f);
  }
  // Benign pages' own code: the fixtures, and the shared corpus when it is there.
  const benign = [path.join(fixtures, 'benign'), path.join(fixtures, '..', '..', 'shared', 'corpus', 'benign')].filter((d) => fs.existsSync(d));
  let pages = 0;
  for (const d of benign) {
    for (const f of fs.readdirSync(d)) {
      if (!/\.(html?|php)$/.test(f)) continue;
      pages++;
      assert.ok(!scorer.obfuscatorShapes(inlineScripts(fs.readFileSync(path.join(d, f), 'utf8'))), f);
    }
  }
  assert.ok(pages >= 40, 'benign pages read: ' + pages);
  // Minified and packed code people ship is not the obfuscator's.
  for (const code of [
    'eval(function(p,a,c,k,e,d){e=function(c){return c};while(c--){if(k[c]){p=p.replace(new RegExp("\\\\b"+e(c)+"\\\\b","g"),k[c])}}return p}("0 1",2,2,"var x".split(" "),0,{}))',
    'var q=[];q.push(q.shift());!function(){var a=!![].length;}();var s="\\x3c/script\\x3e";atob("aGVsbG8=")',
  ]) assert.ok(!scorer.obfuscatorShapes(code), code.slice(0, 40));
  const shaped = ["(function(a,b){while(!![]){try{a['push'](a['shift']());}catch(e){}}})(x,1);", 'var _0x1=1,_0x2=2,_0x3,_0x4,_0x5,_0x6,_0x7,_0x8;'];
  for (const code of shaped) assert.ok(scorer.obfuscatorShapes(code), code.slice(0, 40));
  const score = (text) => scorer.score(rules, {text, title: '', url: 'https://x.example/'}, ['TSS-OBFUSCATED']);
  const has = (r) => r.findings.some((f) => f.id === 'TSS-OBFUSCATED');
  assert.ok(!has(score('Our recipes, fresh every week.')), 'alone it counts for nothing');
  assert.ok(has(score('Your computer is infected with a virus. Call Microsoft support now.')), 'beside scam words');
});

test('look-alike letters, invisible characters and curly quotes are folded as on the server', () => {
  const fold = scorer.folder(rules.fold);
  assert.strictEqual(scorer.normalize('Міcrosoft Dеfender', fold), 'microsoft defender', 'Cyrillic letters inside Latin words');
  assert.strictEqual(scorer.normalize('Αpple ID', fold), 'apple id', 'a Greek capital in a Latin word');
  assert.strictEqual(scorer.normalize('Микрософт: ваш компьютер заблокирован', fold), 'микрософт: ваш компьютер заблокирован', 'Russian stays Russian');
  assert.strictEqual(scorer.normalize('vi\u200brus de\u00adtected', fold), 'virus detected', 'invisible characters inside words');
  assert.strictEqual(scorer.normalize('Don\u2019t close this window', fold), "don't close this window", 'a curly apostrophe');
  const plain = 'Windows Defender: your computer has been blocked. Threats found: Trojan spyware. Do not close this window. Call Microsoft support immediately: +1 (855) 555-0142';
  const disguised = plain.replace(/o/g, '\u043e').replace(/e/g, '\u0435').replace(/c/g, '\u0441').replace(/Call/, 'Ca\u200bll');
  const score = (text) => scorer.score(rules, {text, title: '', url: 'https://x.example/'}, []);
  assert.strictEqual(score(disguised).score, score(plain).score, 'the disguised alert scores as the plain one');
  assert.strictEqual(score(plain).verdict, 'scam');
});

// A Hindi sentence ends at its danda, as in analyze/scope.go: "do not
// restart" before it does not deny the call that follows.
test('the danda ends a sentence', () => {
  const text = 'कृपया अपने कंप्यूटर को पुनः आरंभ न करें। तुरंत Microsoft सहायता को कॉल करें: +1-844-636-0496';
  const r = scorer.score(rules, {text, title: '', url: 'https://site.example/'}, []);
  const ids = r.findings.map((f) => f.id);
  assert.ok(ids.includes('TSS-TEXT-CALL-URGENT'), JSON.stringify(ids));
  assert.ok(ids.includes('TSS-TEXT-DO-NOT-CLOSE'), JSON.stringify(ids));
});

// "When" opens an if-clause, also one inside the claim, as in
// analyze/scope.go: a repair shop's "better than when it got infected"
// asserts no infection.
test('a conditional marker inside a claim scopes it', () => {
  const score = (text) => scorer.score(rules, {text, title: '', url: 'https://site.example/'}, []).findings.map((f) => f.id);
  assert.ok(!score('Your computer will run better than it did when it got infected by the virus.').includes('TSS-TEXT-INFECTED'));
  assert.ok(score('Your computer has been infected by the virus.').includes('TSS-TEXT-INFECTED'));
});

// A negation that is the claim's own wording ("not active") does not deny
// it, as in analyze/scope.go; one before the claim's term still does.
test('a negation in the claim\'s own term', () => {
  const ids = (text) => scorer.score(rules, {text, title: '', url: 'https://site.example/'}, []).findings.map((f) => f.id);
  assert.ok(ids('Your McAfee antivirus is not active').includes('TSS-TEXT-PROTECTION-LAPSED'));
  assert.ok(!ids('Your computer is not infected with a virus.').includes('TSS-TEXT-INFECTED'));
});

// Digits of other scripts are digits, as the server's phone scanner reads
// them: a Hindi alert's number in Devanagari digits is its hotline.
test('digits of other scripts', () => {
  assert.strictEqual(scorer.normalize('+१ ८४४ ५५५ ०१४२'), '+1 844 555 0142');
  assert.strictEqual(scorer.normalize('٨٠٠ ١٢٣ ๔๕๖๗'), '800 123 4567');
  const text = 'Windows Security. Your computer has been blocked. Call Microsoft support: ';
  const hot = (n) => scorer.score(rules, {text: text + n, title: '', url: 'https://x.example/'}, []).score;
  assert.strictEqual(hot('+१ (८५५) ५५५-०१४२'), hot('+1 (855) 555-0142'));
});

// Text shown reversed (the server's bidi.go): a number written backwards
// after a right-to-left override character reads as the browser shows it,
// brackets mirrored; the content script reads <bdo> and overriding styles
// with reversed.
test('text after a right-to-left override reads as shown', () => {
  assert.strictEqual(scorer.reversed('2410-555 (558) 1+'), '+1 (855) 555-0142');
  assert.strictEqual(scorer.normalize('Call \u202e2410-555 (558) 1+\u202c now'), 'call +1 (855) 555-0142 now');
  assert.strictEqual(scorer.normalize('a \u202ecba\nd'), 'a abc d', 'a run ends with its line');
  const text = 'Windows Defender Security Center. Your computer is infected with Trojan spyware. Call Microsoft support: ';
  const r = scorer.score(rules, {text: text + '\u202e2410-555 (558) 1+\u202c', title: '', url: 'https://x.example/'}, []);
  assert.deepStrictEqual(r.hotlines, ['+18555550142']);
  assert.strictEqual(r.verdict, 'scam');
  assert.notStrictEqual(scorer.score(rules, {text, title: '', url: 'https://x.example/'}, []).verdict, 'scam');
});

// The same alert in many languages scores as in English on the device,
// as on the server (analyze/testdata/parity, TestLanguageParity): each
// language finds every rule the English page finds.
test('an alert loses no rule in translation', () => {
  const dir = path.join(__dirname, '..', '..', 'analyze', 'testdata', 'parity');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.html'));
  assert.ok(files.length >= 20, 'parity pages');
  const rulesOf = (f) => {
    const html = fs.readFileSync(path.join(dir, f), 'utf8');
    const r = scorer.score(rules, {text: textOf(html), title: titleOf(html), url: 'https://x.example/'}, []);
    return [r.verdict, r.findings.map((x) => x.id)];
  };
  for (const f of files) {
    const [set, lang] = f.split('.');
    if (lang === 'en') continue;
    const [enVerdict, want] = rulesOf(set + '.en.html');
    const [verdict, got] = rulesOf(f);
    const rank = (v) => ['clean', 'suspicious', 'scam'].indexOf(v);
    assert.ok(rank(verdict) >= rank(enVerdict), f + ': ' + verdict + ', in English ' + enVerdict);
    assert.deepStrictEqual(want.filter((id) => !got.includes(id)), [], f + ' loses rules');
  }
});
