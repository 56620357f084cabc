#!/usr/bin/env bash
# Install what zk/interop's tests run: Apache ZooKeeper 3.8.0 and its C client
# from Debian, kazoo for /usr/bin/python3, netcat, and node-zookeeper-client
# from npm into a cache outside the repo (HERD_NPM_PREFIX, default
# ~/.cache/herd/npm); and kafkajs there too, for kafka/interop's tests.
# Idempotent: installs only what is missing.
# .ci/run calls this before `deno test`.
set -euo pipefail

NPM_PREFIX="${HERD_NPM_PREFIX:-${HOME:-/root}/.cache/herd/npm}"
NODE_ZK_CLIENT_VERSION="1.1.3"
KAFKAJS_VERSION="2.2.4"
DEBIAN_PACKAGES=(zookeeper zookeeper-bin python3-kazoo netcat-openbsd)

log() { echo "zk/interop/install.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "need root for: $*"
    return 1
  fi
}

apt_missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    apt_missing+=("$pkg")
  fi
done
if ! command -v node >/dev/null 2>&1; then apt_missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then apt_missing+=(npm); fi

if [ "${#apt_missing[@]}" -gt 0 ]; then
  log "apt-get install ${apt_missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${apt_missing[@]}"
else
  log "Debian packages present: ${DEBIAN_PACKAGES[*]}"
fi

# npm_package NAME VERSION: install NAME@VERSION into $NPM_PREFIX unless that version is there.
npm_package() {
  local name="$1" version="$2" installed_version=""
  local package_json="$NPM_PREFIX/node_modules/$name/package.json"
  if [ -f "$package_json" ]; then
    installed_version="$(node -p "require('$package_json').version" 2>/dev/null || true)"
  fi
  if [ "$installed_version" != "$version" ]; then
    log "npm install $name@$version into $NPM_PREFIX"
    mkdir -p "$NPM_PREFIX"
    npm install --no-audit --no-fund --prefix "$NPM_PREFIX" "$name@$version" >&2
  else
    log "$name@$installed_version present in $NPM_PREFIX"
  fi
}
npm_package node-zookeeper-client "$NODE_ZK_CLIENT_VERSION"
npm_package kafkajs "$KAFKAJS_VERSION"

# Fail here, not in the tests, if something is still missing.
for f in /usr/share/java/zookeeper.jar /usr/share/java/slf4j-log4j12.jar \
  /usr/share/java/log4j-1.2.jar /usr/share/zookeeper/bin/zkCli.sh /usr/lib/zookeeper/bin/cli_mt; do
  [ -f "$f" ] || { log "missing $f after install"; exit 1; }
done
/usr/bin/python3 -c "import kazoo" || { log "kazoo not importable by /usr/bin/python3"; exit 1; }
log "ready"
