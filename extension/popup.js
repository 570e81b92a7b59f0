// The action popup: report the current page. Only its URL is sent, and its
// content (DOM) and a screenshot only with the consent box ticked.
'use strict';
const $ = (id) => document.getElementById(id);

async function currentTab() {
  const [tab] = await chrome.tabs.query({active: true, currentWindow: true});
  return tab;
}

(async () => {
  const tab = await currentTab();
  const cfg = await chrome.runtime.sendMessage({type: 'config'});
  $('page').textContent = tab && tab.url || '';
  if (!cfg.reporting) {
    $('report').disabled = true;
    $('consent').disabled = true;
    $('status').textContent = 'Reporting is turned off by your administrator.';
  } else if (!cfg.serverURL) {
    $('report').disabled = true;
    $('status').textContent = 'No tssguard server is set: see the options.';
  }
  chrome.tabs.sendMessage(tab.id, {type: 'page-text'}, {frameId: 0}, (resp) => {
    void chrome.runtime.lastError;
    if (resp && resp.score) $('score').textContent = `On-device score: ${resp.score.score} (${resp.score.verdict})`;
  });
  $('report').addEventListener('click', () => {
    $('report').disabled = true;
    const consent = $('consent').checked;
    $('status').textContent = consent ? 'Sending the address, the content and a screenshot…' : 'Sending the address…';
    chrome.runtime.sendMessage({type: 'report', url: tab.url, tabId: tab.id, consent}, (r) => {
      const sent = r && r.ok && (r.dom || r.screenshot) ? ` Sent with ${r.dom && r.screenshot ? 'its content and a screenshot' : r.dom ? 'its content (no screenshot could be taken)' : 'a screenshot'}.` : '';
      $('status').textContent = r && r.ok ? 'Thank you: the page will be scanned.' + sent : 'Not sent: ' + (r && r.error || 'unknown error');
      $('status').dataset.result = r && r.ok ? 'ok' : 'error';
    });
  });
})();
