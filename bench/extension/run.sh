#!/usr/bin/env bash
# The browser extension's benchmark: every page of fixtures/ and the shared
# corpus (served on loopback, kit assets resolved as internal/corpus does)
# in headless Chromium with and without the extension — pages acted on (and
# the scam pages it did not act on), false alarms on benign pages,
# load-event latency (median, p95), JS heap, package size — then the
# on-device scorer's cost per page under node.
#
#   bench/extension/run.sh            fixtures/ and the shared corpus
#   bench/extension/run.sh DIR...     collections of your own instead, each
#                                     with a MANIFEST.tsv in the corpus's
#                                     format (file, label, family, ...)
set -euo pipefail
dirs=()
for d in "$@"; do
  if [ ! -f "$d/MANIFEST.tsv" ]; then
    echo "run.sh: $d has no MANIFEST.tsv" >&2
    exit 2
  fi
  dirs+=("$(cd "$d" && pwd)")
done
cd "$(dirname "$0")/../.."
TSSGUARD_EXT_BENCH_DIRS="$(IFS=:; echo "${dirs[*]}")" TSSGUARD_EXT_BENCH=1 \
  go test -v -count=1 -run "TestBenchPages|TestBenchLoadCost" -timeout 40m ./extension/ | grep -v '^ok\|^PASS\|^=== \|^--- '
if [ ${#dirs[@]} -eq 0 ] && command -v node >/dev/null 2>&1; then
  node bench/extension/scorer.js
fi
