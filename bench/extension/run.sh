#!/usr/bin/env bash
# The browser extension's benchmark: every page of fixtures/ and the shared
# corpus (served on loopback, kit assets resolved as internal/corpus does)
# in headless Chromium with and without the extension — pages acted on,
# false alarms on benign pages, load-event latency (median, p95), JS heap,
# package size — then the on-device scorer's cost per page under node.
set -euo pipefail
cd "$(dirname "$0")/../.."
TSSGUARD_EXT_BENCH=1 go test -v -count=1 -run TestBenchPages -timeout 30m ./extension/ | grep -v '^ok\|^PASS\|^=== \|^--- '
if command -v node >/dev/null 2>&1; then
  node bench/extension/scorer.js
fi
