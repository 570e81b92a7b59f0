// tssguard service worker (an event page in Firefox). It keeps the block
// rules in step with the tssguard server, looks unknown pages up by hash
// prefix, answers the content scripts' questions about numbers, and sends
// user reports. What it sends the server: rule-list requests, 4-byte hash
// prefixes of URL expressions, phone numbers of stopped calls and call links,
// the URL of a blocked page (for the warning page's explanation), and what
// the user chooses to report (a page's URL; its DOM and a screenshot only
// with the consent box ticked). Never the pages a user visits in clear.
'use strict';
if (typeof importScripts === 'function' && !globalThis.TSSUrl) importScripts('lib/urlx.js');
if (typeof importScripts === 'function' && !globalThis.TSSScorer) importScripts('lib/scorer.js', 'lib/budget.js');

const DNR = chrome.declarativeNetRequest;
const SYNC_ALARM = 'tssguard-sync';
const SYNC_MINUTES = 30;
const ALLOWLIST_RULE_ID = 1; // dynamic: the managed/options allowlist
const SERVER_RULE_BASE = 1000; // dynamic: rules from the server start here
const CONTINUE_RULE_BASE = 1; // session: "continue anyway" allow rules
const BLOCK_RULE_BASE = 500000; // session: pages blocked by a prefix lookup
const ALLOW_PRIORITY = 1000; // above every block rule

// --- Configuration ---------------------------------------------------------
// Managed policy (chrome.storage.managed, see managed_schema.json) wins over
// the options page (chrome.storage.local).
async function config() {
  let managed = {};
  try { managed = await chrome.storage.managed.get(null); } catch (e) { /* no policy support */ }
  const local = await chrome.storage.local.get(['serverURL', 'apiKey', 'allowlist', 'reporting']);
  const pick = (k, d) => managed[k] !== undefined ? managed[k] : local[k] !== undefined ? local[k] : d;
  return {
    serverURL: String(pick('serverURL', '')).replace(/\/+$/, ''),
    apiKey: String(pick('apiKey', '')),
    allowlist: (pick('allowlist', []) || []).map((d) => String(d).toLowerCase().replace(/^\.+|\.+$/g, '')).filter(Boolean),
    reporting: pick('reporting', true) !== false,
    managed: Object.keys(managed).length > 0,
  };
}

async function api(cfg, path, init = {}, timeoutMs = 10000) {
  if (!cfg.serverURL) throw new Error('no server configured');
  const headers = new Headers(init.headers || {});
  if (cfg.apiKey) headers.set('Authorization', 'Bearer ' + cfg.apiKey);
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    return await fetch(cfg.serverURL + path, {...init, headers, signal: ctl.signal, credentials: 'omit', cache: 'no-store'});
  } finally {
    clearTimeout(timer);
  }
}

function hostAllowed(host, allowlist) {
  host = String(host || '').toLowerCase();
  return allowlist.some((d) => host === d || host.endsWith('.' + d));
}

// --- Rule sync ---------------------------------------------------------------
// The browser's limits for the server's rules. Every server rule is a
// redirect, which Chrome counts as "unsafe": 5,000 of its 30,000 dynamic
// rules; Firefox takes 5,000 dynamic rules (before version 128, 5,000
// dynamic and session rules together). Both take 1,000 regexFilter rules.
// The server is asked for these numbers and sends the most recently seen
// listings that fit, newest first; the extension still cuts from the end
// should a server send more.
function ruleLimits() {
  const reserved = 10; // the allowlist rule, and room to spare
  let rules;
  if (DNR.MAX_NUMBER_OF_DYNAMIC_RULES) {
    rules = Math.min(DNR.MAX_NUMBER_OF_DYNAMIC_RULES, DNR.MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES || Infinity);
  } else if (DNR.MAX_NUMBER_OF_DYNAMIC_AND_SESSION_RULES) {
    rules = DNR.MAX_NUMBER_OF_DYNAMIC_AND_SESSION_RULES - 1000; // session rules: prefix-lookup blocks, "continue anyway"
  } else {
    rules = 5000;
  }
  rules = Math.max(1, Math.min(30000, rules - reserved));
  const regex = Math.max(0, Math.min(1000, DNR.MAX_NUMBER_OF_REGEX_RULES || 1000));
  return {rules, regex};
}

// fitRules takes the server's rules, newest first, up to the limits.
function fitRules(raw, lim) {
  const out = [];
  let regexes = 0;
  for (const r of Array.isArray(raw) ? raw : []) {
    if (out.length >= lim.rules) break;
    const c = r && r.condition;
    if (!c || typeof c !== 'object') continue;
    if (c.regexFilter !== undefined && ++regexes > lim.regex) continue;
    out.push(r);
  }
  return out;
}

function warningRedirect() {
  return {type: 'redirect', redirect: {extensionPath: '/warning.html'}};
}

// syncRules runs one sync at a time: two overlapping updates of the
// dynamic rules would collide on rule IDs.
let syncChain = Promise.resolve();
function syncRules() {
  const run = syncChain.then(syncOnce, syncOnce);
  syncChain = run.catch(() => {});
  return run;
}

async function syncOnce() {
  const cfg = await config();
  const allowRule = cfg.allowlist.length ? [{id: ALLOWLIST_RULE_ID, priority: ALLOW_PRIORITY, action: {type: 'allow'},
    condition: {requestDomains: cfg.allowlist, resourceTypes: ['main_frame']}}] : [];
  let serverRules = null;
  let etag = null;
  const lim = ruleLimits();
  const path = `/api/v1/export/dnr?limit=${lim.rules}&max_regex=${lim.regex}`;
  if (cfg.serverURL) {
    const {dnrETag, dnrPath} = await chrome.storage.local.get(['dnrETag', 'dnrPath']);
    const headers = dnrETag && dnrPath === path ? {'If-None-Match': dnrETag} : {};
    try {
      const resp = await api(cfg, path, {headers});
      if (resp.status === 200) {
        const raw = await resp.json();
        etag = resp.headers.get('ETag');
        serverRules = fitRules(raw, lim).map((r, i) => ({
          id: SERVER_RULE_BASE + i,
          priority: 1,
          action: warningRedirect(),
          condition: {...r.condition, resourceTypes: ['main_frame']},
        }));
      } else if (resp.status !== 304) {
        console.warn('tssguard: rule sync:', resp.status);
      }
    } catch (e) {
      console.warn('tssguard: rule sync failed:', e.message);
    }
  }
  const existing = await DNR.getDynamicRules();
  const remove = existing.filter((r) => r.id === ALLOWLIST_RULE_ID || (serverRules && r.id >= SERVER_RULE_BASE)).map((r) => r.id);
  await DNR.updateDynamicRules({removeRuleIds: remove, addRules: [...allowRule, ...(serverRules || [])]});
  const st = {lastSync: Date.now()};
  if (serverRules) { st.dnrETag = etag; st.dnrPath = path; st.serverRules = serverRules.length; }
  await chrome.storage.local.set(st);
  const rules = (await DNR.getDynamicRules()).filter((r) => r.id >= SERVER_RULE_BASE).length;
  return {rules, changed: !!serverRules, allowlist: cfg.allowlist.length, limits: lim};
}

chrome.runtime.onInstalled.addListener(() => { setup(); });
chrome.runtime.onStartup.addListener(() => { setup(); });
chrome.alarms.onAlarm.addListener((a) => { if (a.name === SYNC_ALARM) syncRules(); });
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed' || (area === 'local' && (changes.serverURL || changes.allowlist || changes.apiKey))) {
    chrome.storage.local.remove('dnrETag').then(syncRules);
  }
});

async function setup() {
  await chrome.alarms.create(SYNC_ALARM, {periodInMinutes: SYNC_MINUTES, delayInMinutes: SYNC_MINUTES});
  await syncRules();
}

// --- Blocked pages: what was asked for, per tab ---------------------------------
// A DNR redirect does not tell the warning page which URL it replaced;
// webNavigation sees the request first.
const lastRequested = new Map(); // tabId → URL of the last top-level navigation

// Frames: each frame made in a page is told to the frame it was made in,
// with the first URL it goes to, before its request goes out. A frame
// in a shadow root the page's world cannot reach is found that way
// (content.js, frameMade). Only a frame's first navigation is told.
const framesSeen = new Map(); // tabId → Set of frame IDs

chrome.webNavigation.onBeforeNavigate.addListener((d) => {
  if (d.frameId === 0) {
    framesSeen.delete(d.tabId);
    if (!/^https?:/i.test(d.url)) return;
    lastRequested.set(d.tabId, d.url);
    chrome.storage.session.set({['req:' + d.tabId]: d.url}).catch(() => {});
    lookup(d.tabId, d.url);
    return;
  }
  let seen = framesSeen.get(d.tabId);
  if (!seen) framesSeen.set(d.tabId, seen = new Set());
  if (seen.has(d.frameId)) return;
  seen.add(d.frameId);
  chrome.tabs.sendMessage(d.tabId, {type: 'frame-made', url: d.url}, {frameId: d.parentFrameId}).catch(() => {});
});
chrome.tabs.onRemoved.addListener((tabId) => {
  framesSeen.delete(tabId);
  lastRequested.delete(tabId);
  chrome.storage.session.remove('req:' + tabId).catch(() => {});
});

// --- Pages open before the extension ran ---------------------------------------
// Chromium runs the manifest's content scripts only in documents loaded
// after the extension: a page already open when tssguard is installed or
// enabled had no guard, no scoring and no lookup, and one open across an
// update lost its scoring. At the start of each of the extension's
// lifetimes (storage.session is empty then: install, update, enable,
// browser start) every open page gets both scripts, the guard first, and
// is looked up. Each script runs once a document (its marker), so a page
// that has them already is left as it is. Firefox injects them itself.
async function coverOpenTabs() {
  if (chrome.runtime.getBrowserInfo || !chrome.scripting) return;
  const {openTabsCovered} = await chrome.storage.session.get('openTabsCovered');
  if (openTabsCovered) return;
  await chrome.storage.session.set({openTabsCovered: true});
  const tabs = await chrome.tabs.query({});
  await Promise.all(tabs.map(async (tab) => {
    if (!/^(https?|file):/i.test(tab.url || '')) return;
    const target = {tabId: tab.id, allFrames: true};
    try {
      await chrome.scripting.executeScript({target, world: 'MAIN', files: ['content-main.js'], injectImmediately: true});
      await chrome.scripting.executeScript({target, files: ['lib/scorer.js', 'content.js'], injectImmediately: true});
    } catch (e) { /* a page no extension may script (the browser's own, the store), or one that went away */ }
    if (/^https?:/i.test(tab.url)) lookup(tab.id, tab.url);
  }));
}
coverOpenTabs().catch((e) => console.warn('tssguard: open pages:', e.message));

async function requestedURL(tabId) {
  if (lastRequested.has(tabId)) return lastRequested.get(tabId);
  const k = 'req:' + tabId;
  const st = await chrome.storage.session.get(k);
  return st[k] || '';
}

// --- Private lookups by hash prefix ------------------------------------------------
// Safe Browsing style: the URL's host-suffix/path-prefix expressions are
// hashed on the device and only their 4-byte prefixes are sent; the server
// answers with the full hashes listed under them, and the page is blocked
// when one equals a hash of its own expressions.
const prefixCache = new Map(); // prefix hex → {hashes: Set, until: ms}

async function fullHashesFor(cfg, prefixes) {
  const now = Date.now();
  const need = prefixes.filter((p) => { const c = prefixCache.get(p); return !c || c.until < now; });
  if (need.length) {
    const qs = need.map((p) => 'prefix=' + p).join('&');
    const resp = await api(cfg, '/api/v1/hashes?' + qs);
    if (!resp.ok) throw new Error('hash lookup: HTTP ' + resp.status);
    const j = await resp.json();
    const ttl = Math.max(60, Math.min(86400, Number(j.cache_seconds) || 300)) * 1000;
    const byPrefix = new Map(need.map((p) => [p, new Set()]));
    for (const h of j.hashes || []) {
      const p = String(h).slice(0, 8);
      if (byPrefix.has(p)) byPrefix.get(p).add(String(h));
    }
    for (const [p, set] of byPrefix) prefixCache.set(p, {hashes: set, until: now + ttl});
    if (prefixCache.size > 20000) prefixCache.clear();
  }
  const out = new Set();
  for (const p of prefixes) for (const h of prefixCache.get(p)?.hashes || []) out.add(h);
  return out;
}

async function lookup(tabId, url) {
  const cfg = await config();
  if (!cfg.serverURL) return;
  let canonical;
  try { canonical = TSSUrl.canonicalize(url); } catch (e) { return; }
  const host = TSSUrl.split(canonical)[0];
  if (hostAllowed(host, cfg.allowlist) || (await continued(host))) return;
  const exprs = TSSUrl.expressions(canonical);
  const hashes = await Promise.all(exprs.map(TSSUrl.sha256));
  let full;
  try { full = await fullHashesFor(cfg, [...new Set(hashes.map((h) => h.slice(0, 8)))]); } catch (e) { return; }
  const hit = hashes.findIndex((h) => full.has(h));
  if (hit < 0) return;
  // Block this URL before it loads from now on, and leave the page now.
  const id = BLOCK_RULE_BASE + (parseInt(hashes[hit].slice(0, 6), 16) % 400000);
  const rule = {id, priority: 2, action: warningRedirect(),
    condition: {urlFilter: '|' + url.split('#')[0] + '|', resourceTypes: ['main_frame']}};
  try { await DNR.updateSessionRules({removeRuleIds: [id], addRules: [rule]}); } catch (e) { /* a bad filter: still leave */ }
  await chrome.storage.session.set({['hit:' + tabId]: {url, expression: exprs[hit]}});
  chrome.tabs.update(tabId, {url: chrome.runtime.getURL('warning.html') + '?via=lookup'});
}

async function continued(host) {
  const rules = await DNR.getSessionRules();
  return rules.some((r) => r.action.type === 'allow' && (r.condition.requestDomains || []).includes(host));
}

// --- Numbers -------------------------------------------------------------------------
const numberCache = new Map(); // e164 → {result, until}

async function numberInfo(cfg, e164) {
  const c = numberCache.get(e164);
  if (c && c.until > Date.now()) return c.result;
  let result;
  try {
    const resp = await api(cfg, '/api/v1/numbers/' + encodeURIComponent(e164));
    result = resp.ok ? await resp.json() : {e164, verdict: 'unknown', error: 'HTTP ' + resp.status};
  } catch (e) {
    result = {e164, verdict: 'unknown', error: e.message};
  }
  numberCache.set(e164, {result, until: Date.now() + 3600 * 1000});
  return result;
}

// The on-device analyser's rules (rules.json, from analyze/rules/default.yaml).
let rulesPromise = null;
function scorerRules() {
  if (!rulesPromise) rulesPromise = fetch(chrome.runtime.getURL('rules.json')).then((r) => r.json()).catch(() => { rulesPromise = null; return null; });
  return rulesPromise;
}

// --- Messages ---------------------------------------------------------------------------
chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  // Scoring is on every page's path: it reads no settings.
  const answer = msg && msg.type === 'score' ? scorePage(msg.page, sender) : handle(msg, sender);
  answer.then(reply, (e) => reply({error: String(e && e.message || e)}));
  return true; // the reply comes later
});

// scorePage scores what a content script read of its page (content.js):
// its visible text, and its hidden words too when the visible ones do not
// make a scam. Here the scorer's code stays compiled from page to page.
// A tab whose pages took more than SCORE_BUDGET_MS of scoring in the last
// SCORE_WINDOW_MS (lib/budget.js) is told to score itself ({self: true}):
// a page made to be slow to score slows only its own tab.
const SCORE_BUDGET_MS = 500, SCORE_WINDOW_MS = 10000;
const scoreBudget = TSSBudget.budget(SCORE_BUDGET_MS, SCORE_WINDOW_MS);
async function scorePage(p, sender) {
  const rules = await scorerRules();
  if (!rules || !p || typeof p !== 'object') return {};
  const tab = sender && sender.tab ? sender.tab.id : -1;
  if (!scoreBudget.allows(tab)) return {self: true};
  const t0 = performance.now();
  const out = TSSScorer.scorePage(rules, p);
  scoreBudget.charge(tab, performance.now() - t0);
  return out;
}

async function handle(msg, sender) {
  const cfg = await config();
  const tabId = sender.tab && sender.tab.id;
  switch (msg && msg.type) {
    case 'page-init': {
      let host = '';
      try { host = new URL(msg.url).hostname; } catch (e) { /* */ }
      // The page is scored here (scorePage); content.js reads the lists
      // of the conversion detectors itself.
      const rules = await scorerRules();
      return {allowlisted: hostAllowed(host, cfg.allowlist), conversion: rules && rules.conversion, scam: rules && rules.scam};
    }
    case 'rules': // for a frame that scores itself (scorePage)
      return {rules: await scorerRules()};
    case 'numbers': {
      if (!cfg.serverURL) return {results: []};
      const nums = (msg.numbers || []).filter((n) => /^\+\d{7,15}$/.test(n)).slice(0, 10);
      return {results: await Promise.all(nums.map((n) => numberInfo(cfg, n)))};
    }
    case 'relay-prompt':
      if (tabId !== undefined) chrome.tabs.sendMessage(tabId, {type: 'show-prompt', msg: msg.msg}, {frameId: 0});
      return {};
    case 'relay-warning': // a frame of the page scored as a scam (content.js)
      if (tabId !== undefined && sender.frameId) chrome.tabs.sendMessage(tabId, {type: 'show-warning', r: msg.r}, {frameId: 0});
      return {};
    case 'leave':
      if (tabId !== undefined) await chrome.tabs.update(tabId, {url: 'about:blank'});
      return {};
    case 'blocked-info': return blockedInfo(cfg, tabId);
    case 'continue': return continueAnyway(tabId, msg.url);
    case 'report': return report(cfg, msg);
    case 'sync': return syncRules();
    case 'config': return {...cfg, apiKey: cfg.apiKey ? '(set)' : ''};
  }
  return {error: 'unknown message'};
}

// blockedInfo tells the warning page what was blocked and why, from the
// server's check of the URL and its number lookups.
async function blockedInfo(cfg, tabId) {
  const hit = (await chrome.storage.session.get('hit:' + tabId))['hit:' + tabId];
  const url = hit ? hit.url : await requestedURL(tabId);
  const info = {url, via: hit ? 'lookup' : 'list', server: !!cfg.serverURL};
  if (!cfg.serverURL || !url) return info;
  try {
    const resp = await api(cfg, '/api/v1/check?url=' + encodeURIComponent(url));
    if (resp.ok) info.check = await resp.json();
  } catch (e) { info.error = e.message; }
  // The site's listing (brand, evidence, first and last seen) and the
  // hotlines of its campaign, each with its history.
  let host = '';
  try { host = new URL(url).hostname; } catch (e) { /* */ }
  const numbers = new Set();
  try {
    const resp = await api(cfg, '/api/v1/domains/' + encodeURIComponent(host));
    if (resp.ok) info.domain = await resp.json();
    const campaign = info.domain && info.domain.listing && info.domain.listing.campaign;
    if (campaign) {
      const c = await api(cfg, '/api/v1/campaigns/' + encodeURIComponent(campaign));
      if (c.ok) for (const n of (await c.json()).numbers || []) numbers.add(String(n));
    }
  } catch (e) { info.error = e.message; }
  info.numbers = await Promise.all([...numbers].slice(0, 5).map((n) => numberInfo(cfg, n)));
  return info;
}

// continueAnyway lets the user through to a blocked site for this session:
// a session allow rule of higher priority than any block rule.
async function continueAnyway(tabId, url) {
  let host;
  try { host = new URL(url).hostname; } catch (e) { return {error: 'bad url'}; }
  const rules = await DNR.getSessionRules();
  const ids = new Set(rules.map((r) => r.id));
  let id = CONTINUE_RULE_BASE;
  while (ids.has(id)) id++;
  await DNR.updateSessionRules({addRules: [{id, priority: ALLOW_PRIORITY, action: {type: 'allow'},
    condition: {requestDomains: [host], resourceTypes: ['main_frame']}}]});
  if (tabId !== undefined) {
    await chrome.storage.session.remove('hit:' + tabId);
    await chrome.tabs.update(tabId, {url});
  }
  return {ok: true};
}

// The server's reports endpoint (POST /api/v1/reports) takes a URL, a
// number, a comment, and, sent only with the user's consent, the page's
// DOM (at most 2 MiB of UTF-8), a PNG or JPEG screenshot (at most 1 MiB)
// and the site the page was reached from (its scan then arrives from
// there); unknown fields are refused. The scan arrives as this browser's
// device and language, which the server reads from the report request's
// own headers.
const REPORT_DOM_MAX = 2 * 1024 * 1024;
const REPORT_SHOT_MAX = 1024 * 1024;

// cutUTF8 cuts text to at most max bytes of UTF-8, never inside a
// character, after taking out the control characters a page can put in
// its markup to make the report fail (they grow sixfold in JSON); tab,
// line feed, form feed and carriage return stay.
function cutUTF8(text, max) {
  const clean = String(text).replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, '');
  const bytes = new TextEncoder().encode(clean);
  if (bytes.length <= max) return clean;
  let end = max;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // back to a character's first byte
  return new TextDecoder().decode(bytes.subarray(0, end));
}

// pageDOM reads the tab's top document as HTML, in the extension's own
// isolated world (the page cannot change what it sees), or, where
// chrome.scripting is missing, through the content script.
async function pageDOM(tabId) {
  if (chrome.scripting && chrome.scripting.executeScript) {
    try {
      const [res] = await chrome.scripting.executeScript({target: {tabId, frameIds: [0]},
        func: () => document.documentElement ? document.documentElement.outerHTML : ''});
      if (res && typeof res.result === 'string') return res.result;
    } catch (e) { /* a page scripts may not run in: try the content script */ }
  }
  try {
    const resp = await chrome.tabs.sendMessage(tabId, {type: 'page-html'}, {frameId: 0});
    return resp && typeof resp.html === 'string' ? resp.html : '';
  } catch (e) { return ''; }
}

// pageScreenshot takes a JPEG of what the tab shows, only when the tab is
// the one its window shows (captureVisibleTab takes the window's visible
// tab, which must be the reported page), made smaller until it fits the
// server's limit. Base64, without the data: prefix; '' when not possible.
async function pageScreenshot(tab) {
  if (!tab.active || !chrome.tabs.captureVisibleTab) return '';
  for (const quality of [60, 40, 25]) {
    let url;
    try {
      url = await chrome.tabs.captureVisibleTab(tab.windowId, {format: 'jpeg', quality});
    } catch (e) { return ''; }
    const b64 = String(url || '').replace(/^data:image\/jpeg;base64,/, '');
    if (!b64 || b64 === url) return '';
    if (Math.floor(b64.length * 3 / 4) <= REPORT_SHOT_MAX) return b64;
  }
  return '';
}

// pageReferrer is the site the reported tab's page was reached from (the
// origin of its document.referrer: a search or an ad, which cloaking kits
// check before they show their scam), read in the extension's isolated
// world; '' when there is none or it is not http(s). Only the origin is
// sent: not the search's words.
async function pageReferrer(tabId) {
  if (!chrome.scripting || !chrome.scripting.executeScript) return '';
  try {
    const [res] = await chrome.scripting.executeScript({target: {tabId, frameIds: [0]}, func: () => document.referrer});
    const u = new URL(String(res && res.result || ''));
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin + '/' : '';
  } catch (e) { return ''; }
}

// evidence gathers, with the user's consent, the reported tab's DOM, a
// screenshot and the site it was reached from, as long as the tab still
// shows the reported URL.
async function evidence(tabId, url) {
  let tab;
  try { tab = await chrome.tabs.get(tabId); } catch (e) { return {}; }
  if (!tab || tab.url !== url) return {};
  const out = {};
  const dom = cutUTF8(await pageDOM(tabId), REPORT_DOM_MAX);
  if (dom) out.dom = dom;
  const shot = await pageScreenshot(tab);
  if (shot) out.screenshot = shot;
  const referrer = await pageReferrer(tabId);
  if (referrer) out.referrer = referrer;
  return out;
}

// report sends a user report: the URL, and the page's DOM and a screenshot
// only when the user ticked the consent box. With reporting turned off by
// policy nothing is read or sent.
async function report(cfg, msg) {
  if (!cfg.reporting) return {error: 'reporting is turned off by policy'};
  if (!cfg.serverURL) return {error: 'no server configured'};
  const body = {url: String(msg.url || '')};
  if (msg.consent === true && Number.isInteger(msg.tabId)) Object.assign(body, await evidence(msg.tabId, body.url));
  // A report with evidence is megabytes that the server also analyses.
  const resp = await api(cfg, '/api/v1/reports', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)}, body.dom || body.screenshot ? 60000 : 10000);
  const j = await resp.json().catch(() => ({}));
  if (!resp.ok) return {error: j.message || 'HTTP ' + resp.status};
  return {ok: true, id: j.id, scan: j.scan, dom: !!body.dom, screenshot: !!body.screenshot};
}
