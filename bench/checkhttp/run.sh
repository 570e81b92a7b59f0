#!/usr/bin/env bash
# Load GET /api/v1/check with wrk (Debian: apt-get install -y wrk) on
# loopback: the real API over an index of 1,000,000 listed URLs, half the
# requests for listed URLs and half for unlisted ones.
#   bench/checkhttp/run.sh [DURATION] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-15s}"
CONNS="${2:-64}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/checkhttp" ./bench/checkhttp
"$tmp/checkhttp" -write-urls "$tmp/urls.txt" 2> "$tmp/log" &
pid=$!
until grep -q listening "$tmp/log" 2>/dev/null; do sleep 0.5; kill -0 $pid || { cat "$tmp/log"; exit 1; }; done
cat "$tmp/log"
cat > "$tmp/urls.lua" <<LUA
local urls = {}
for line in io.lines("$tmp/urls.txt") do
  urls[#urls + 1] = "/api/v1/check?url=" .. line:gsub("([^%w%-%.%_%~])", function(c) return string.format("%%%02X", string.byte(c)) end)
end
local i = 0
request = function()
  i = i % #urls + 1
  return wrk.format("GET", urls[i])
end
LUA
echo "--- wrk -t2 -c$CONNS -d$DURATION --latency (machine: $(nproc) cores, shared)"
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$tmp/urls.lua" http://127.0.0.1:18080
