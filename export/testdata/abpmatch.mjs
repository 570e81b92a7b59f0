// Matches URLs against a filter list with a uBlock Origin / Adblock Plus
// compatible engine, as a browser would for top-level navigations.
// stdin: {"list": "...", "urls": ["..."]}; stdout: one filter (or "") per URL, as JSON.
import { FiltersEngine, Request } from '@ghostery/adblocker';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { list, urls } = JSON.parse(input);
const engine = FiltersEngine.parse(list, { loadNetworkFilters: true, loadCosmeticFilters: false, debug: true });
const out = urls.map((url) => {
  const r = engine.match(Request.fromRawDetails({ url, type: 'main_frame' }));
  return r.match && r.filter ? r.filter.toString() : '';
});
process.stdout.write(JSON.stringify(out) + '\n');
