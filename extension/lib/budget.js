// tssguard: a time budget per key over a sliding window. The service
// worker scores the pages of every tab (content.js sends what it read);
// each tab may take only so much of its time, so that a page made to be
// slow to score (its text dense with the rules' words, scored again and
// again) slows only its own tab, as when every page scored itself: past
// its budget, a tab's frames score themselves.
(function (root) {
  'use strict';

  // budget(ms, windowMs) allows each key ms of work in any windowMs: the
  // work of the windows so far counts, halved at each window's end, so a
  // burst is forgiven gradually rather than at once. now() is the clock
  // (performance.now by default).
  function budget(ms, windowMs, now) {
    const clock = now || (() => performance.now());
    const spent = new Map(); // key → {at, ms}: work counted up to at
    const decayed = (e, t) => {
      const windows = Math.floor((t - e.at) / windowMs);
      if (windows > 0) {
        e.ms = windows >= 32 ? 0 : e.ms / 2 ** windows;
        e.at += windows * windowMs;
      }
      return e;
    };
    return {
      // allows says whether key may have more work done now.
      allows(key) {
        const e = spent.get(key);
        return !e || decayed(e, clock()).ms < ms;
      },
      // charge counts ms of work done for key.
      charge(key, took) {
        const t = clock();
        const e = spent.get(key);
        if (e) decayed(e, t).ms += took;
        else spent.set(key, {at: t, ms: took});
        // Keys of closed tabs go once they have nothing left to count.
        if (spent.size > 1000) {
          for (const [k, v] of spent) if (decayed(v, t).ms < 1) spent.delete(k);
        }
      },
      size: () => spent.size,
    };
  }

  const api = {budget};
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.TSSBudget = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
