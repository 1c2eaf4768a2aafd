#!/usr/bin/env bash
# Runs a command inside a fresh Debian 12 root, the way a new user's machine starts: a debootstrap `minbase`
# bookworm tree (no compiler, no Qt), unpacked anew from a cached tarball for every call, with this checkout cloned
# inside (committed state only, like any fresh clone) and, as on CI, the folder `shared` beside it when the host
# has one (nothing in the repository reads it: the tests' data lives in tests/data).
#
#   packaging/fresh-root.sh CMD [ARG...]       e.g. packaging/fresh-root.sh packaging/setup.sh
#   packaging/fresh-root.sh --shell            an interactive shell in a fresh root (for looking around)
#   packaging/fresh-root.sh --copy PATH CMD…   also copies PATH (a file or folder of the host) into /work/input/
#
# The command runs as root in the clone's top folder, with HOME=/root, and its exit status is returned.
# Environment:
#   EVS_FRESH_CACHE   where the base tarball is kept (default ~/.cache/evalsandbox/fresh-root)
#   EVS_FRESH_CCACHE  host ccache folder bind-mounted at /root/.cache/ccache (default ~/.cache/ccache; "none": off)
#   EVS_FRESH_MIRROR  the Debian mirror (default: the first Debian URI of this machine's apt sources)
#   EVS_FRESH_KEEP=1  keep the root after the command (its path is printed) instead of deleting it
#   EVS_FRESH_REFRESH=1  rebuild the cached tarball
#   EVS_FRESH_PASS    space-separated names of environment variables passed into the root (CI is always passed)
# /proc, /sys, /dev and /dev/pts are mounted for the command and always unmounted again, also on failure or Ctrl+C;
# roots left behind by a killed call are cleaned up by the next one.
set -Eeuo pipefail

top="$(cd "$(dirname "$0")/.." && pwd)"
cache="${EVS_FRESH_CACHE:-$HOME/.cache/evalsandbox/fresh-root}"
suite=bookworm
arch="$(dpkg --print-architecture)"
tarball="$cache/$suite-minbase-$arch.tar.gz"

step=""
say() { printf 'fresh-root: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
begin() { step="$1"; say "$1"; }
trap 'rc=$?; [ $rc -ne 0 ] && [ -n "$step" ] && say "failed at step: $step (exit status $rc)"' ERR

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot and mount need it)"
copies=()
while [ "${1:-}" = --copy ]; do
    [ -e "${2:-}" ] || die "--copy: no such file or folder: ${2:-}"
    copies+=("$(realpath "$2")")
    shift 2
done
(($#)) || die "usage: packaging/fresh-root.sh [--copy PATH]... CMD [ARG...] | --shell"

# The mirror this machine's apt already uses (deb822 .sources or one-line .list), so that no other host is reached.
debian_mirror() {
    local f uri=""
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        uri=$(awk 'tolower($1)=="uris:" { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' "$f")
        [ -n "$uri" ] && break
    done
    if [ -z "$uri" ]; then
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -r "$f" ] || continue
            uri=$(awk '$1=="deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\/.*\/debian\/?$/) { print $i; exit } }' "$f")
            [ -n "$uri" ] && break
        done
    fi
    printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# The Debian stanzas of the host's apt sources (main archive, updates, security), written into the root so that
# it installs the same package versions as this machine.
write_sources() {
    local root="$1" mirror="$2" security
    security=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[a-z]+:\/\/.*\/debian-security\/?$/) { print $i; exit } }' || true)
    [ -n "$security" ] || security="${mirror%/debian*}/debian-security"
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    # Settings the host needs to reach its mirror (proxies, snapshot validity), never its package choices.
    local c
    for c in /etc/apt/apt.conf.d/*; do
        [ -f "$c" ] || continue
        grep -qiE 'Acquire::(http|https|Check-Valid-Until|Check-Date|IndexTargets)|Proxy' "$c" && cp "$c" "$root/etc/apt/apt.conf.d/"
    done
    return 0
}

make_tarball() {
    local mirror tmp
    mirror="${EVS_FRESH_MIRROR:-$(debian_mirror)}"
    begin "installing debootstrap on the host"
    if ! command -v debootstrap >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2
    fi
    tmp="$cache/build.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    begin "debootstrap --variant=minbase $suite from $mirror (a few minutes, once)"
    debootstrap --variant=minbase --arch="$arch" "$suite" "$tmp/root" "$mirror" >"$cache/debootstrap.log" 2>&1 \
        || { tail -n 20 "$cache/debootstrap.log" >&2; rm -rf "$tmp"; die "debootstrap failed (log: $cache/debootstrap.log)"; }
    write_sources "$tmp/root" "$mirror"
    rm -rf "$tmp/root/var/cache/apt/archives/"*.deb "$tmp/root/var/lib/apt/lists/"* 2>/dev/null || true
    begin "packing the base root into $tarball"
    tar -C "$tmp/root" --numeric-owner -czf "$tmp/base.tar.gz" .
    mv "$tmp/base.tar.gz" "$tarball"
    rm -rf "$tmp"
}

# Ends the processes still working in a root (chrooted into it, or with their working folder inside: an unpacking
# tar, a command a killed call left running).
kill_inside() {
    local root="$1" p link again=0
    for p in /proc/[0-9]*; do
        for link in root cwd; do
            case "$(readlink "$p/$link" 2>/dev/null)/" in
                "$root"/*) kill -9 "${p#/proc/}" 2>/dev/null && again=1 ;;
            esac
        done
    done
    ((again)) && sleep 0.5
    return 0
}

# Unmounts everything below a root, deepest first, then removes it.
remove_root() {
    local root="$1" m
    [ -d "$root" ] || return 0
    for m in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    if awk -v r="$root/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
        say "warning: $root still has mounts; left in place"
        return 1
    fi
    rm -rf --one-file-system "$root"
}

mkdir -p "$cache/roots"
exec 9>"$cache/lock"

# Roots of earlier calls whose process is gone (killed before its trap could run).
for old in "$cache"/roots/*/; do
    old="${old%/}"
    [ -d "$old" ] || continue
    pid=$(cat "$old.pid" 2>/dev/null || echo 0)
    if [ "$pid" = 0 ] || ! kill -0 "$pid" 2>/dev/null; then
        say "removing a root left behind by an earlier call: $old"
        kill_inside "$old"
        remove_root "$old" && rm -f "$old.pid"
    fi
done

flock 9
if [ ! -s "$tarball" ] || [ "${EVS_FRESH_REFRESH:-0}" = 1 ]; then
    make_tarball
fi
flock -u 9

root="$(mktemp -d "$cache/roots/root.XXXXXX")"
echo $$ >"$root.pid"
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ "${EVS_FRESH_KEEP:-0}" = 1 ]; then
        for m in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do umount "$m" || umount -l "$m"; done
        say "kept $root"
    else
        remove_root "$root" && rm -f "$root.pid"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

begin "unpacking a fresh root into $root"
tar -C "$root" --numeric-owner -xzf "$tarball"

begin "mounting /proc, /sys, /dev and /dev/pts"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mkdir -p "$root/dev/shm"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
cp -L /etc/hosts "$root/etc/hosts" 2>/dev/null || true

ccache_host="${EVS_FRESH_CCACHE:-$HOME/.cache/ccache}"
if [ "$ccache_host" != none ]; then
    begin "bind-mounting ccache from $ccache_host"
    mkdir -p "$ccache_host" "$root/root/.cache/ccache"
    mount --bind "$ccache_host" "$root/root/.cache/ccache"
fi

name="$(basename "$top")"
inside="/work/$name"
begin "cloning $top (HEAD $(git -C "$top" rev-parse --short HEAD)) into the root at $inside"
git -C "$top" diff --quiet HEAD 2>/dev/null || say "note: uncommitted changes in $top are not in the clone"
git clone --quiet --no-hardlinks "$top" "$root$inside"
if [ -d "$top/../shared" ]; then
    cp -a "$top/../shared" "$root/work/shared"
fi
if ((${#copies[@]})); then
    begin "copying ${copies[*]} into the root at /work/input"
    mkdir -p "$root/work/input"
    cp -a "${copies[@]}" "$root/work/input/"
fi

env_args=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM="${TERM:-dumb}")
for v in CI ${EVS_FRESH_PASS:-}; do
    [ -n "${!v+x}" ] && env_args+=("$v=${!v}")
done

if [ "$1" = --shell ]; then
    begin "shell in the fresh root (exit to leave; the root is then removed)"
    chroot "$root" /usr/bin/env -i "${env_args[@]}" bash -c "cd '$inside' && exec bash -i" && rc=0 || rc=$?
else
    begin "running in the fresh root: $*"
    chroot "$root" /usr/bin/env -i "${env_args[@]}" bash -c 'cd "$0" && exec "$@"' "$inside" "$@" && rc=0 || rc=$?
fi
step=""
[ $rc = 0 ] || say "the command failed in the fresh root: $* (exit status $rc)"
exit $rc
