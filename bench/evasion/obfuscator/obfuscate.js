// Reads one JSON request per line on standard input, {"code": "...",
// "preset": "...", "seed": N}, and writes one JSON answer per line,
// {"code": "..."} or {"error": "..."}. Used by the evasion bench and to
// generate the obfuscated fixture pages.
"use strict";
const JavaScriptObfuscator = require("javascript-obfuscator");
const readline = require("readline");

// Presets are strong settings of the kind kits ship with.
const common = { compact: true, target: "browser", renameGlobals: false, identifierNamesGenerator: "hexadecimal" };
const presets = {
  "strings-rc4": { ...common, stringArray: true, stringArrayEncoding: ["rc4"], stringArrayThreshold: 1, stringArrayRotate: true,
    stringArrayShuffle: true, stringArrayIndexShift: true, stringArrayWrappersCount: 2, stringArrayWrappersType: "function",
    stringArrayWrappersChainedCalls: true, splitStrings: true, splitStringsChunkLength: 4 },
  "strings-base64": { ...common, stringArray: true, stringArrayEncoding: ["base64"], stringArrayThreshold: 1, stringArrayRotate: true,
    stringArrayShuffle: true, stringArrayWrappersCount: 1, stringArrayWrappersType: "variable", splitStrings: true,
    splitStringsChunkLength: 6, unicodeEscapeSequence: true },
  "flatten-deadcode": { ...common, controlFlowFlattening: true, controlFlowFlatteningThreshold: 1, deadCodeInjection: true,
    deadCodeInjectionThreshold: 0.5, stringArray: true, stringArrayEncoding: ["base64"], stringArrayThreshold: 1,
    numbersToExpressions: true, transformObjectKeys: true, splitStrings: true, splitStringsChunkLength: 5 },
  "self-defending": { ...common, selfDefending: true, stringArray: true, stringArrayEncoding: ["rc4"], stringArrayThreshold: 1,
    stringArrayWrappersCount: 3, stringArrayWrappersType: "function", identifierNamesGenerator: "mangled-shuffled" },
  "max": { ...common, controlFlowFlattening: true, controlFlowFlatteningThreshold: 1, deadCodeInjection: true,
    deadCodeInjectionThreshold: 1, selfDefending: true, stringArray: true, stringArrayEncoding: ["rc4", "base64"],
    stringArrayThreshold: 1, stringArrayRotate: true, stringArrayShuffle: true, stringArrayIndexShift: true,
    stringArrayWrappersCount: 5, stringArrayWrappersType: "function", stringArrayWrappersParametersMaxCount: 5,
    stringArrayWrappersChainedCalls: true, splitStrings: true, splitStringsChunkLength: 2, numbersToExpressions: true,
    simplify: true, transformObjectKeys: true, unicodeEscapeSequence: true, identifierNamesGenerator: "mangled-shuffled" },
};

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  let out;
  try {
    const req = JSON.parse(line);
    if (req.list) {
      out = { presets: Object.keys(presets), version: require("javascript-obfuscator/package.json").version };
    } else {
      const preset = presets[req.preset];
      if (!preset) throw new Error("unknown preset " + req.preset);
      const r = JavaScriptObfuscator.obfuscate(req.code, { ...preset, seed: req.seed || 1 });
      out = { code: r.getObfuscatedCode() };
    }
  } catch (e) {
    out = { error: String(e && e.message || e) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
});
