// The warning page blocked pages are redirected to. It asks the service
// worker what was blocked and why (the server's check, the site's listing,
// the hotlines of its campaign) and offers "go back" and "continue anyway".
'use strict';
const $ = (id) => document.getElementById(id);

function text(el, s) { el.textContent = s; }

function day(t) { return t ? String(t).slice(0, 10) : ''; }

chrome.runtime.sendMessage({type: 'blocked-info'}, (info) => {
  void chrome.runtime.lastError;
  info = info || {};
  document.body.dataset.loaded = '1';
  text($('url'), info.url || '(unknown)');
  const c = info.check || {};
  const listing = (info.domain && info.domain.listing) || {};
  text($('verdict'), c.verdict && c.verdict !== 'unknown' ? c.verdict + (c.kind ? ` (${c.kind} ${c.matched || ''})` : '') : (info.via === 'lookup' ? 'scam (hash match)' : 'listed as a scam'));
  const why = [];
  if (listing.evidence) why.push(listing.evidence);
  if (listing.brand) why.push('impersonates ' + listing.brand);
  if (listing.first_seen) why.push(`seen from ${day(listing.first_seen)} to ${day(listing.last_seen)} in ${listing.sightings || 1} scans`);
  if (c.source) why.push('source: ' + c.source);
  if (!info.server) why.push('from the block list built into this extension');
  text($('why'), why.join('; ') || 'listed by the tssguard server');
  const nums = (info.numbers || []).filter((n) => n && n.e164);
  if (nums.length) {
    $('numbers').hidden = false;
    for (const n of nums) {
      const li = document.createElement('li');
      const h = n.hotline || {};
      const parts = [n.e164, n.verdict];
      if (h.type) parts.push(h.type);
      if (h.first_seen) parts.push(`in use ${day(h.first_seen)} – ${day(h.last_seen)}`);
      if (h.pages) parts.push(`${h.pages} pages`);
      li.textContent = parts.join(' · ');
      $('numberList').appendChild(li);
    }
  }
  $('continue').addEventListener('click', () => {
    if (!info.url) return;
    chrome.runtime.sendMessage({type: 'continue', url: info.url});
  });
});

$('back').addEventListener('click', () => {
  if (history.length > 1) history.back();
  else location.href = 'about:blank';
});
