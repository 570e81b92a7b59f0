// Tests the JavaScript port of urlx against the Go package's own table
// (urlx_cases.json, written by `go test ./urlx -run JSCases -update`).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const urlx = require('../lib/urlx.js');

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, 'urlx_cases.json'), 'utf8'));

test('table is not empty', () => assert.ok(cases.length > 80));

for (const c of cases) {
  const input = Buffer.from(c.in, 'hex');
  const label = JSON.stringify(input.toString('latin1')).slice(0, 70);
  test(`canonicalize ${label}`, () => {
    if (c.err) {
      assert.throws(() => urlx.canonicalize(new Uint8Array(input)), (e) => e.code === c.err);
      return;
    }
    const got = urlx.canonicalize(new Uint8Array(input));
    assert.strictEqual(got, c.want);
    assert.deepStrictEqual(urlx.expressions(got), c.exprs);
  });
}

test('sha256 of abc (FIPS 180-2)', async () => {
  assert.strictEqual(await urlx.sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
