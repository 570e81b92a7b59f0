// tssguard URL canonicalisation and lookup expressions: a port of the Go
// package urlx (Safe Browsing "URLs and Hashing" rules), tested against the
// same table (extension/test/urlx_cases.json, written by urlx's Go tests).
//
// Canonicalisation works on the URL's UTF-8 bytes, as the Go code does:
//  1. trim leading/trailing C0 controls and spaces; remove tab, CR, LF;
//  2. drop the fragment; percent-unescape until no escapes remain;
//  3. host: drop user info and port, strip and collapse dots, lower-case,
//     IDNA (Punycode) for valid UTF-8, IPv4 in any inet_aton form → dotted quad;
//  4. path: resolve "." and "..", collapse slashes (the query is kept as is);
//  5. escape bytes <= 0x20, >= 0x7f, '#' and '%' with upper-case hex.
// Only http and https are accepted; no scheme means http.
(function (root) {
  'use strict';

  const MAX_URL_LENGTH = 8 << 10;
  const MAX_HOSTS = 5;
  const MAX_PATHS = 6;

  class URLError extends Error {
    constructor(code, msg) { super(msg || code); this.code = code; }
  }

  const enc = new TextEncoder();
  const isAlpha = (b) => (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;
  const isDigit = (b) => b >= 0x30 && b <= 0x39;
  const isHex = (b) => isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66);
  const unhex = (b) => isDigit(b) ? b - 0x30 : (b | 0x20) - 0x61 + 10;
  const HEX = '0123456789ABCDEF';

  function ascii(bytes) {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return s;
  }

  function equalFold(bytes, word) {
    if (bytes.length !== word.length) return false;
    for (let i = 0; i < bytes.length; i++) if ((bytes[i] | 0x20) !== word.charCodeAt(i)) return false;
    return true;
  }

  // canonicalize returns the canonical form of raw: a string (encoded as
  // UTF-8) or a Uint8Array of bytes. It throws a URLError with code
  // too_long, empty, unsupported_scheme, no_host, bad_port, bad_host or
  // relative.
  function canonicalize(raw) {
    let b = typeof raw === 'string' ? enc.encode(raw) : raw;
    if (b.length > MAX_URL_LENGTH) throw new URLError('too_long');
    let start = 0;
    let end = b.length;
    while (start < end && b[start] <= 0x20) start++;
    while (end > start && b[end - 1] <= 0x20) end--;
    b = b.subarray(start, end);
    if (b.length === 0) throw new URLError('empty');

    // Steps 1–3 in one pass with a stack that re-examines its top three
    // bytes after every push, as the Go code does.
    const u = [];
    for (let i = 0; i < b.length; i++) {
      const c = b[i];
      if (c === 0x09 || c === 0x0d || c === 0x0a) continue;
      if (c === 0x23) break; // '#': the fragment goes
      u.push(c);
      for (let n = u.length; n >= 3 && u[n - 3] === 0x25 && isHex(u[n - 2]) && isHex(u[n - 1]); n = u.length) {
        u[n - 3] = (unhex(u[n - 2]) << 4) | unhex(u[n - 1]);
        u.length = n - 2;
      }
    }

    const [rest, https] = scheme(u);
    let i = 0;
    while (i < rest.length && rest[i] !== 0x2f && rest[i] !== 0x3f) i++;
    const auth = rest.slice(0, i);
    const after = rest.slice(i);
    let path = after;
    let query = null;
    const q = after.indexOf(0x3f);
    if (q >= 0) { path = after.slice(0, q); query = after.slice(q + 1); }

    const host = normHost(auth);
    const p = normPath(path);
    let out = (https ? 'https://' : 'http://') + escape(host) + escape(p);
    if (query !== null) out += '?' + escape(query);
    if (out.length > MAX_URL_LENGTH) throw new URLError('too_long');
    return out;
  }

  const KNOWN = ['tel', 'sms', 'callto', 'sip', 'skype', 'facetime', 'mailto', 'data', 'javascript', 'file', 'ftp', 'ws', 'wss', 'about', 'blob'];

  function trimSlashes(a) {
    let i = 0;
    while (i < a.length && a[i] === 0x2f) i++;
    return a.slice(i);
  }

  // scheme removes "http:"/"https:" and the slashes after it; no scheme
  // means http, and "host:port/…" is a host with a port.
  function scheme(u) {
    let i = 0;
    if (u.length > 0 && isAlpha(u[0])) {
      i = 1;
      while (i < u.length && (isAlpha(u[i]) || isDigit(u[i]) || u[i] === 0x2b || u[i] === 0x2d || u[i] === 0x2e)) i++;
    }
    if (i === 0 || i >= u.length || u[i] !== 0x3a) {
      if (u.length > 0 && u[0] === 0x2f) {
        if (u.length < 2 || u[1] !== 0x2f) throw new URLError('relative');
        return [trimSlashes(u), false];
      }
      return [u, false];
    }
    const s = u.slice(0, i);
    if (equalFold(s, 'http')) return [trimSlashes(u.slice(i + 1)), false];
    if (equalFold(s, 'https')) return [trimSlashes(u.slice(i + 1)), true];
    let j = i + 1;
    while (j < u.length && isDigit(u[j])) j++;
    if (j > i + 1 && (j === u.length || u[j] === 0x2f || u[j] === 0x3f) && !KNOWN.some((k) => equalFold(s, k))) return [u, false];
    throw new URLError('unsupported_scheme');
  }

  function normDots(h) {
    const out = [];
    for (let c of h) {
      if (c === 0x2e && (out.length === 0 || out[out.length - 1] === 0x2e)) continue;
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      out.push(c);
    }
    while (out.length && out[out.length - 1] === 0x2e) out.pop();
    return out;
  }

  function validUTF8(bytes) {
    try { new TextDecoder('utf-8', {fatal: true}).decode(new Uint8Array(bytes)); return true; } catch (e) { return false; }
  }

  function hostSafe(s) {
    if (!s) return false;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c <= 0x20 || c >= 0x7f || '/?#@:%\\[]'.includes(s[i])) return false;
    }
    return true;
  }

  // toASCII converts an internationalised host name with the WHATWG URL
  // parser's IDNA processing (UTS #46, as Go's idna.Lookup).
  function toASCII(name) {
    try {
      const h = new URL('http://' + name + '/').hostname;
      return h;
    } catch (e) { return null; }
  }

  function normHost(auth) {
    let a = auth;
    const at = a.lastIndexOf(0x40);
    if (at >= 0) a = a.slice(at + 1);
    let colon = -1;
    for (let i = a.length - 1; i >= 0; i--) {
      if (a[i] === 0x3a) { colon = i; break; }
      if (a[i] === 0x5d) break;
    }
    if (colon >= 0) {
      for (const c of a.slice(colon + 1)) if (!isDigit(c)) throw new URLError('bad_port');
      a = a.slice(0, colon);
    }
    let h = normDots(a);
    if (h.some((c) => c >= 0x80) && validUTF8(h)) {
      const name = new TextDecoder().decode(new Uint8Array(h));
      const x = toASCII(name);
      if (x !== null && hostSafe(x)) h = normDots(Array.from(enc.encode(x)));
    }
    if (h.length === 0) throw new URLError('no_host');
    if (h[0] === 0x5b) {
      if (h[h.length - 1] !== 0x5d) throw new URLError('bad_host');
    } else if (h.includes(0x3a)) throw new URLError('bad_host');
    const ip = parseIPv4(h);
    if (ip !== null) return Array.from(enc.encode(ipString(ip)));
    return h;
  }

  function normPath(p) {
    const out = [];
    let trailing = true;
    let i = 0;
    while (i < p.length) {
      if (p[i] === 0x2f) { i++; trailing = true; continue; }
      let j = i;
      while (j < p.length && p[j] !== 0x2f) j++;
      const seg = p.slice(i, j);
      i = j;
      if (seg.length === 1 && seg[0] === 0x2e) trailing = true;
      else if (seg.length === 2 && seg[0] === 0x2e && seg[1] === 0x2e) {
        while (out.length && out[out.length - 1] !== 0x2f) out.pop();
        if (out.length) out.pop();
        trailing = true;
      } else {
        out.push(0x2f, ...seg);
        trailing = false;
      }
    }
    if (trailing || out.length === 0) out.push(0x2f);
    return out;
  }

  function escape(bytes) {
    let s = '';
    for (const c of bytes) {
      if (c <= 0x20 || c >= 0x7f || c === 0x23 || c === 0x25) s += '%' + HEX[c >> 4] + HEX[c & 15];
      else s += String.fromCharCode(c);
    }
    return s;
  }

  // parseIPv4 accepts what inet_aton accepts: one to four parts, each
  // decimal, octal (leading 0) or hex (leading 0x); the last part fills the
  // remaining bytes. It returns the address as a number, or null.
  function parseIPv4(h) {
    const parts = [];
    let i = 0;
    if (h.length === 0) return null;
    while (i < h.length) {
      if (parts.length === 4) return null;
      let j = i;
      while (j < h.length && h[j] !== 0x2e) j++;
      const v = parsePart(h.slice(i, j));
      if (v === null) return null;
      parts.push(v);
      i = j < h.length ? j + 1 : j;
    }
    const n = parts.length;
    let ip = 0;
    for (let k = 0; k < n - 1; k++) {
      if (parts[k] > 255) return null;
      ip += parts[k] * 2 ** (24 - 8 * k);
    }
    const last = parts[n - 1];
    if (last >= 2 ** (8 * (5 - n))) return null;
    return ip + last;
  }

  function parsePart(s) {
    if (s.length === 0) return null;
    let base = 10;
    if (s.length >= 2 && s[0] === 0x30 && (s[1] | 0x20) === 0x78) { base = 16; s = s.slice(2); }
    else if (s.length >= 2 && s[0] === 0x30) { base = 8; s = s.slice(1); }
    if (s.length === 0) return base === 16 ? 0 : null;
    let v = 0;
    for (const c of s) {
      let d;
      if (isDigit(c)) d = c - 0x30;
      else if (base === 16 && isHex(c)) d = unhex(c);
      else return null;
      if (d >= base) return null;
      v = v * base + d;
      if (v > 0xffffffff) return null;
    }
    return v;
  }

  function ipString(ip) {
    return [ip >>> 24 & 255, ip >>> 16 & 255, ip >>> 8 & 255, ip & 255].join('.');
  }

  // --- Expressions -----------------------------------------------------------

  function split(canonical) {
    let s = canonical;
    if (s.startsWith('http://')) s = s.slice(7);
    else if (s.startsWith('https://')) s = s.slice(8);
    const m = s.search(/[/?]/);
    if (m < 0) return [s, '/'];
    if (s[m] === '?') return [s.slice(0, m), '/' + s.slice(m)];
    return [s.slice(0, m), s.slice(m)];
  }

  function isIP(host) {
    if (host.startsWith('[')) return true;
    return /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  }

  // hostSuffixes: the exact host, then up to four suffixes from its last
  // five components, never the top-level domain alone; an IP only itself.
  function hostSuffixes(host) {
    const out = [host];
    if (isIP(host)) return out;
    const comps = host.split('.');
    const last = comps.slice(-5);
    for (let k = 0; k + 2 <= last.length; k++) {
      const s = last.slice(k).join('.');
      if (s.length !== host.length) out.push(s);
    }
    return out;
  }

  // pathVariants: the path with the query, the path without it, then up
  // to four prefixes from the root, each ending in '/'.
  function pathVariants(pq) {
    const out = [];
    let path = pq;
    const q = pq.indexOf('?');
    if (q >= 0) { path = pq.slice(0, q); out.push(pq); }
    out.push(path);
    let end = 0;
    for (let k = 0; k < 4; k++) {
      const p = path.slice(0, end + 1);
      if (p !== path) out.push(p);
      const j = path.indexOf('/', end + 1);
      if (j < 0) break;
      end = j;
    }
    return out;
  }

  function expressions(canonical) {
    const [host, pq] = split(canonical);
    const out = [];
    for (const h of hostSuffixes(host)) for (const p of pathVariants(pq)) out.push(h + p);
    return out;
  }

  // sha256 returns the SHA-256 hash of s as lower-case hex.
  async function sha256(s) {
    const buf = await crypto.subtle.digest('SHA-256', enc.encode(s));
    return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  const api = {canonicalize, expressions, split, hostSuffixes, pathVariants, isIP, sha256, URLError, MAX_URL_LENGTH, MAX_HOSTS, MAX_PATHS};
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.TSSUrl = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
