# Shared shell functions of tools/test, tools/demo and the benchmarks.
# Source it; it sets HS_TOP (the checkout) and defines hs_* functions.

HS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HS_PGVER=15
HS_PGBIN=/usr/lib/postgresql/$HS_PGVER/bin
export PG_CONFIG=$HS_PGBIN/pg_config

# Debian packages the build and the tests need.
# (perl: prove, which runs the test scripts.)
HS_PACKAGES=(postgresql-$HS_PGVER postgresql-server-dev-$HS_PGVER make gcc libc6-dev perl)

hs_log() { printf '== %s\n' "$*" >&2; }

# Install missing Debian packages (as root), or say what is missing.
hs_ensure_packages() {
  local missing=() p
  for p in "${HS_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root to install them)" >&2
    return 1
  fi
  hs_log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The OS user that runs servers: PostgreSQL refuses to run as root.
hs_run_user() {
  if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

# Run a command line as the server user.  File descriptor 3 (a test
# script's TAP output, test/tap.sh) is closed for it: a server it starts must
# not hold the test harness's pipe open.
hs_as_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- env "PATH=$PATH" bash -c "$1" 3>&-
  else
    bash -c "$1" 3>&-
  fi
}

hs_build() {
  hs_log "building"
  make -C "$HS_TOP" -s PG_CONFIG="$PG_CONFIG" "$@" >/dev/null
}

# Stage a private copy of PostgreSQL with the extension installed into it:
# PostgreSQL finds its share and lib directories relative to its binaries, so
# the copy needs no root and never touches the system installation.
# hs_stage <dest> [source tree, default the checkout]
hs_stage() {
  local dest=$1 src=${2:-$HS_TOP}
  mkdir -p "$dest/usr/lib/postgresql" "$dest/usr/share/postgresql"
  cp -a "/usr/lib/postgresql/$HS_PGVER" "$dest/usr/lib/postgresql/"
  cp -a "/usr/share/postgresql/$HS_PGVER" "$dest/usr/share/postgresql/"
  make -C "$src" -s PG_CONFIG="$PG_CONFIG" install DESTDIR="$dest" >/dev/null
  chmod -R a+rX "$dest"
}

# A scratch directory the server user can write.
hs_scratch() {
  local d
  d=$(mktemp -d "${TMPDIR:-/tmp}/health_share.XXXXXX")
  chmod 755 "$d"
  [ "$(id -u)" = 0 ] && chown postgres: "$d"
  echo "$d"
}

# Start a throw-away cluster: hs_cluster_start <bindir> <dir> <port> [server options]
hs_cluster_start() {
  local bin=$1 dir=$2 port=$3 opts=${4:-}
  hs_as_user "'$bin/initdb' -D '$dir/data' -A trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1" || { cat "$dir/initdb.log"; return 1; }
  hs_as_user "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-p $port -k '$dir' -c listen_addresses='' $opts\" start >/dev/null" || { cat "$dir/server.log"; return 1; }
}

hs_cluster_stop() {
  local bin=$1 dir=$2
  hs_as_user "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null 2>&1" || true
}

# A TCP port nobody listens on.
hs_free_port() {
  local p=${1:-55432}
  while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || [ -e "/tmp/.s.PGSQL.$p" ]; do p=$((p + 1)); done
  echo "$p"
}

# A private apt configuration in <dir> made from the machine's own Debian
# sources, each passed through a filter, so that another suite or deb-src
# entries can be used without touching the machine's apt setup:
# hs_private_apt <dir> <stanza filter> <line filter>; the filters are
# commands (functions) reading one file on stdin: a deb822 .sources file, or
# a one-line-style sources.list.  Use it as APT_CONFIG=<dir>/apt.conf.
hs_private_apt() {
  local dir=$1 stanzas=$2 lines=$3 f
  mkdir -p "$dir/parts" "$dir/lists/partial" "$dir/cache/archives/partial"
  : >"$dir/sources.list"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && "$stanzas" <"$f" >"$dir/parts/$(basename "$f")"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && "$lines" <"$f" >>"$dir/sources.list"
  done
  cat >"$dir/apt.conf" <<EOF
Dir::Etc::SourceList "$dir/sources.list";
Dir::Etc::SourceParts "$dir/parts";
Dir::State::Lists "$dir/lists";
Dir::Cache "$dir/cache";
EOF
}
