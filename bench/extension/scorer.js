// The on-device scorer's cost: rules.json's size and the time score()
// takes per page over the text of every page of fixtures/ and the shared
// corpus (text taken from the HTML as innerText would give it, roughly).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..', '..');
const scorer = require(path.join(root, 'extension', 'lib', 'scorer.js'));
const rulesFile = path.join(root, 'extension', 'rules.json');
const rules = JSON.parse(fs.readFileSync(rulesFile, 'utf8'));

function pages(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, {withFileTypes: true})) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'assets') walk(p); } else if (/\.html?$/i.test(e.name)) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}
const textOf = (h) => h.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ').slice(0, 100000);

const files = [...pages(path.join(root, 'fixtures')), ...pages(process.env.TSSGUARD_CORPUS || path.join(root, '..', 'shared', 'corpus'))];
const texts = files.map((f) => textOf(fs.readFileSync(f, 'utf8')));
for (const t of texts.slice(0, 20)) scorer.score(rules, {text: t}, []); // warm up
// CPU time, not wall time: the machine may be shared.
const cpuMs = (fn) => { const c0 = process.cpuUsage(); fn(); const c = process.cpuUsage(c0); return (c.user + c.system) / 1000; };
const ms = texts.map((t) => cpuMs(() => scorer.score(rules, {text: t}, []))).sort((a, b) => a - b);
const chars = texts.map((t) => t.length).sort((a, b) => a - b);
const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
console.log(`rules.json: ${kb(fs.statSync(rulesFile).size)}; scorer.js: ${kb(fs.statSync(path.join(root, 'extension', 'lib', 'scorer.js')).size)}`);
console.log(`page text: median ${chars[chars.length >> 1]} chars, max ${chars[chars.length - 1]}`);
console.log(`scorer CPU time over ${texts.length} pages: median ${ms[ms.length >> 1].toFixed(2)} ms, p95 ${ms[Math.floor(ms.length * 0.95)].toFixed(2)} ms, max ${ms[ms.length - 1].toFixed(2)} ms per page`);
