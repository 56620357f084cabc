#!/usr/bin/env bash
# herd's zkCleanup.sh: keep the newest -n count snapshots and the logs they need.
# Runs `deno task zk-cleanup` (see bin/zkEnv.sh), from any directory, with the arguments as given.

# Where this script really is (it may be reached through a symlink, e.g. from /usr/local/bin).
self="${BASH_SOURCE-$0}"
while [ -h "$self" ]; do
  link="$(readlink "$self")"
  case "$link" in
    /*) self="$link" ;;
    *) self="$(dirname "$self")/$link" ;;
  esac
done
ZOOBINDIR="$(cd "$(dirname "$self")" && pwd)"
. "$ZOOBINDIR/zkEnv.sh"

herd_task zk-cleanup "$@"
