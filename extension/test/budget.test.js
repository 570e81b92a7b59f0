// Tests the service worker's scoring budget per tab (lib/budget.js).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const {budget} = require('../lib/budget.js');

// A clock the tests move by hand.
const clock = () => {
  let t = 0;
  return {now: () => t, advance: (ms) => { t += ms; }};
};

test('a tab within its budget is allowed', () => {
  const c = clock();
  const b = budget(500, 10000, c.now);
  assert.ok(b.allows(1));
  b.charge(1, 200);
  b.charge(1, 200);
  assert.ok(b.allows(1));
});

test('a tab past its budget is not, and other tabs still are', () => {
  const c = clock();
  const b = budget(500, 10000, c.now);
  for (let i = 0; i < 6; i++) b.charge(1, 100);
  assert.ok(!b.allows(1));
  assert.ok(b.allows(2));
});

test('the work counted halves at each window end', () => {
  const c = clock();
  const b = budget(500, 10000, c.now);
  b.charge(1, 800);
  assert.ok(!b.allows(1));
  c.advance(9999);
  assert.ok(!b.allows(1), 'still within the first window');
  c.advance(1); // 800 → 400
  assert.ok(b.allows(1));
  b.charge(1, 150); // 550
  assert.ok(!b.allows(1));
  c.advance(20000); // 550 → 137.5
  assert.ok(b.allows(1));
});

test('a long quiet forgets everything', () => {
  const c = clock();
  const b = budget(500, 10000, c.now);
  b.charge(1, 1e9);
  c.advance(10000 * 40);
  assert.ok(b.allows(1));
});

test('keys with nothing left to count are dropped', () => {
  const c = clock();
  const b = budget(500, 10000, c.now);
  for (let k = 0; k < 1001; k++) b.charge(k, 10);
  assert.strictEqual(b.size(), 1001, 'recent work is kept');
  c.advance(10000 * 8); // 10 → 0.04
  b.charge('new', 10);
  assert.strictEqual(b.size(), 1);
});
