// Options for the unmanaged case; a managed policy (managed_schema.json)
// overrides each setting it sets, and the field is then read-only.
'use strict';
const $ = (id) => document.getElementById(id);
const KEYS = ['serverURL', 'apiKey', 'allowlist', 'reporting'];

(async () => {
  let managed = {};
  try { managed = await chrome.storage.managed.get(null); } catch (e) { /* none */ }
  const local = await chrome.storage.local.get(KEYS);
  for (const k of KEYS) {
    const v = managed[k] !== undefined ? managed[k] : local[k];
    const el = $(k);
    if (k === 'reporting') el.checked = v !== false;
    else if (k === 'allowlist') el.value = (v || []).join('\n');
    else el.value = v || '';
    if (managed[k] !== undefined) { el.disabled = true; $('managed').hidden = false; }
  }
})();

$('save').addEventListener('click', async () => {
  const url = $('serverURL').value.trim();
  if (url && !/^https?:\/\//i.test(url)) { $('status').textContent = 'The server URL must start with https://'; return; }
  if (url) {
    // Ask for the server's origin only when one is set.
    try { await chrome.permissions.request({origins: [new URL(url).origin + '/*']}); } catch (e) { /* host_permissions covers it */ }
  }
  await chrome.storage.local.set({
    serverURL: url,
    apiKey: $('apiKey').value.trim(),
    allowlist: $('allowlist').value.split(/\s+/).map((s) => s.trim().toLowerCase()).filter(Boolean),
    reporting: $('reporting').checked,
  });
  $('status').textContent = 'Saved.';
});
