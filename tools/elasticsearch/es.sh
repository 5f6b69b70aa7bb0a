#!/usr/bin/env bash
# A throwaway single-node Elasticsearch for development and CI.
#
#   tools/elasticsearch/es.sh up       start it (idempotent); the URL is the last line of stdout
#   tools/elasticsearch/es.sh down     stop it
#   tools/elasticsearch/es.sh status   report; exit 0 if running and healthy, 3 if stopped, 1 if unhealthy
#
# The node is Elastic's minimal distribution from Maven Central plus our pcc-analysis plugin, both built
# by tools/elasticsearch/pom.xml; see tools/elasticsearch/README.md. Everything it writes lives under
# var/elasticsearch/ (data is wiped on every start from a stopped state).
#
# Environment knobs (all optional):
#   ES_PORT=9200            first HTTP port to try (the next free one up to +99 is used if busy)
#   ES_HEAP=512m            JVM heap (-Xms and -Xmx)
#   ES_START_TIMEOUT=180    seconds to wait for yellow health
#   ES_JAVA_HOME            a Java 21+ JDK for building the plugin and running the node
#   ES_RUN_USER=pcc-es      the unprivileged user the node runs as when this script runs as root
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VAR="$ROOT/var/elasticsearch"
ES_VERSION="$(sed -n 's:.*<es.version>\(.*\)</es.version>.*:\1:p' "$HERE/pom.xml" | head -n1)"
DIST_ZIP="$HERE/target/dist/elasticsearch-$ES_VERSION.zip"
PLUGIN_BUILD="$HERE/target/plugin/pcc-analysis"
URL_FILE="$VAR/url"
RUN_USER="${ES_RUN_USER:-pcc-es}"
HEAP="${ES_HEAP:-512m}"
TIMEOUT="${ES_START_TIMEOUT:-180}"

log() { printf 'es.sh: %s\n' "$*" >&2; }
die() {
    printf 'es.sh: ERROR: %s\n' "$*" >&2
    exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Where the distribution, data, logs and pid file live: var/elasticsearch/ itself, unless the
# unprivileged user cannot reach it (e.g. a checkout under /root); then a directory under /var/tmp,
# recorded in var/elasticsearch/run-dir so that down/status find it.
set_run_dir() {
    RUN="$VAR"
    if [ -f "$VAR/run-dir" ]; then RUN="$(cat "$VAR/run-dir")"; fi
    HOME_DIR="$RUN/elasticsearch-$ES_VERSION"
    PID_FILE="$RUN/es.pid"
    LOG_FILE="$RUN/es-console.log"
}
set_run_dir

# --- HTTP helpers (python3 is always there: the project is Python) ---------------------------------
http_get() { # url [timeout] -> body on stdout, non-zero on failure
    python3 - "$1" "${2:-5}" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2])) as r:
        sys.stdout.write(r.read().decode())
except Exception as e:  # noqa: BLE001
    sys.stderr.write(f"{e}\n")
    sys.exit(1)
PY
}

port_free() { # port -> 0 if nothing listens on 127.0.0.1:port and we can bind it
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
# Like Elasticsearch itself, ignore connections of a stopped node lingering in TIME_WAIT.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

# --- process state ---------------------------------------------------------------------------------
running_pid() { # prints the pid if our node is alive
    [ -f "$PID_FILE" ] || return 1
    local pid
    pid="$(tr -dc '0-9' <"$PID_FILE")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    # Guard against pid reuse: the process must be a java running our distribution.
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$HOME_DIR" || return 1
    echo "$pid"
}

healthy() { # url -> 0 if cluster health is yellow or green
    local body
    body="$(http_get "$1/_cluster/health" 3 2>/dev/null)" || return 1
    case "$body" in *'"status":"green"'* | *'"status":"yellow"'*) return 0 ;; esac
    return 1
}

# --- prerequisites ---------------------------------------------------------------------------------
java_major() { # java_home -> major version, or nothing
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n1
}

find_jdk() { # a JDK (with javac) of version 21 or newer
    local candidates=() c m
    [ -n "${ES_JAVA_HOME:-}" ] && candidates+=("$ES_JAVA_HOME")
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
    for c in /usr/lib/jvm/*; do candidates+=("$c"); done
    for c in "${candidates[@]}"; do
        [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
        m="$(java_major "$c")"
        if [ -n "$m" ] && [ "$m" -ge 21 ]; then
            echo "$c"
            return 0
        fi
    done
    return 1
}

ensure_maven() {
    command -v mvn >/dev/null 2>&1 && return 0
    is_root || die "Maven (mvn) is missing; install it (apt-get install maven) and retry"
    log "installing Maven with apt-get"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven) >&2 ||
        die "apt-get install maven failed"
}

build() { # builds the plugin and fetches the distribution when missing or when sources changed
    local stamp="$HERE/target/.built" need=0
    [ -f "$DIST_ZIP" ] && [ -f "$PLUGIN_BUILD/plugin-descriptor.properties" ] && [ -f "$stamp" ] || need=1
    if [ "$need" -eq 0 ] && [ -n "$(find "$HERE/pom.xml" "$HERE/src" -newer "$stamp" -type f -print -quit)" ]; then
        need=1
    fi
    [ "$need" -eq 1 ] || return 0
    ensure_maven
    log "building the analysis plugin and fetching Elasticsearch $ES_VERSION from Maven Central (mvn package)"
    rm -rf "$PLUGIN_BUILD"
    if ! (cd "$HERE" && JAVA_HOME="$JDK" mvn -B -q -e package) >&2; then
        die "Maven build failed (JAVA_HOME=$JDK); see the output above"
    fi
    touch "$stamp"
}

unpack() { # unzips the distribution under var/ and (re)installs the plugin
    if [ ! -x "$HOME_DIR/bin/elasticsearch" ]; then
        log "unpacking $(basename "$DIST_ZIP") into ${HOME_DIR#"$ROOT"/}"
        rm -rf "$HOME_DIR" "$RUN/unpack.tmp"
        mkdir -p "$RUN/unpack.tmp"
        python3 - "$DIST_ZIP" "$RUN/unpack.tmp" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = info.external_attr >> 16
        if mode and not info.is_dir():
            os.chmod(path, mode & 0o777)
PY
        mv "$RUN/unpack.tmp/elasticsearch-$ES_VERSION" "$HOME_DIR"
        rm -rf "$RUN/unpack.tmp"
    fi
    rm -rf "$HOME_DIR/plugins/pcc-analysis"
    cp -r "$PLUGIN_BUILD" "$HOME_DIR/plugins/pcc-analysis"
}

write_config() { # port
    local xpack=""
    # Settings under xpack.* are unknown (and fatal) when the distribution has no x-pack modules.
    if [ -d "$HOME_DIR/modules/x-pack-security" ]; then
        xpack=$'xpack.security.enabled: false\n'
    fi
    cat >"$HOME_DIR/config/elasticsearch.yml" <<EOF
# Written by tools/elasticsearch/es.sh: a throwaway single-node dev/CI cluster.
cluster.name: pcc-dev
node.name: pcc-dev-node
path.data: $RUN/data
path.logs: $RUN/logs
network.host: 127.0.0.1
http.port: $1
discovery.type: single-node
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
${xpack}
EOF
}

# Runs a command as the unprivileged user when we are root (Elasticsearch refuses to run as root).
as_es_user() {
    if is_root; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u "$RUN_USER" -- "$@"
        else
            setpriv --reuid="$RUN_USER" --regid="$RUN_USER" --init-groups -- "$@"
        fi
    else
        "$@"
    fi
}

ensure_user() { # when root: the unprivileged user exists, and can reach the run directory
    is_root || return 0
    if ! id -u "$RUN_USER" >/dev/null 2>&1; then
        log "creating system user $RUN_USER"
        useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_USER" ||
            die "could not create user $RUN_USER"
    fi
    rm -f "$VAR/run-dir"
    if ! as_es_user test -x "$VAR"; then
        local alt
        alt="/var/tmp/pcc-elasticsearch-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
        log "user $RUN_USER cannot reach $VAR (a parent directory is not searchable); running from $alt"
        mkdir -p "$alt"
        echo "$alt" >"$VAR/run-dir"
    fi
    set_run_dir
}

chown_run_dir() {
    is_root || return 0
    chown -R "$RUN_USER:" "$RUN"
    as_es_user test -r "$HOME_DIR/bin/elasticsearch" -a -x "$JDK/bin/java" ||
        die "user $RUN_USER cannot read $HOME_DIR or run $JDK/bin/java"
}

# --- commands --------------------------------------------------------------------------------------
cmd_up() {
    local pid url port started
    mkdir -p "$VAR"
    if pid="$(running_pid)"; then
        url="$(cat "$URL_FILE" 2>/dev/null || true)"
        if [ -n "$url" ] && healthy "$url"; then
            log "already running (pid $pid)"
            echo "$url"
            return 0
        fi
        log "a node is running (pid $pid) but is not healthy; restarting it"
        cmd_down
    fi

    started=$(date +%s)
    JDK="$(find_jdk)" || die "no Java 21+ JDK found (Elasticsearch $ES_VERSION needs one).
    Set ES_JAVA_HOME to a full JDK 21+ (e.g. Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64);
    Debian 12's apt has only Java 17"
    log "using Java $(java_major "$JDK") at $JDK"
    build
    ensure_user
    unpack

    port="${ES_PORT:-9200}"
    local last=$((port + 99))
    while ! port_free "$port"; do
        port=$((port + 1))
        [ "$port" -le "$last" ] || die "no free port in ${ES_PORT:-9200}-$last"
    done
    url="http://127.0.0.1:$port"
    write_config "$port"

    rm -rf "$RUN/data" "$RUN/logs" "$RUN/tmp" "$PID_FILE" "$URL_FILE"
    mkdir -p "$RUN/data" "$RUN/logs" "$RUN/tmp"
    chown_run_dir

    log "starting Elasticsearch $ES_VERSION on $url (heap $HEAP)"
    # -d: the launcher returns once the node has started (or failed to); -p: pid file.
    if ! as_es_user env -i PATH=/usr/bin:/bin HOME="$RUN" LANG=C.UTF-8 \
        ES_JAVA_HOME="$JDK" ES_PATH_CONF="$HOME_DIR/config" ES_TMPDIR="$RUN/tmp" \
        ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" CLI_JAVA_OPTS="-Djava.io.tmpdir=$RUN/tmp" \
        "$HOME_DIR/bin/elasticsearch" -d -p "$PID_FILE" >"$LOG_FILE" 2>&1; then
        cat "$LOG_FILE" >&2 || true
        tail -n 50 "$RUN/logs/pcc-dev.log" >&2 2>/dev/null || true
        die "Elasticsearch failed to start; see $LOG_FILE and $RUN/logs/"
    fi

    local deadline=$((started + TIMEOUT))
    until healthy "$url"; do
        if ! running_pid >/dev/null; then
            tail -n 50 "$RUN/logs/pcc-dev.log" >&2 2>/dev/null || cat "$LOG_FILE" >&2
            die "Elasticsearch exited during startup; see $RUN/logs/pcc-dev.log"
        fi
        [ "$(date +%s)" -lt "$deadline" ] || die "no yellow health at $url after ${TIMEOUT}s; see $RUN/logs/"
        sleep 1
    done
    echo "$url" >"$URL_FILE"
    log "ready in $(($(date +%s) - started))s (pid $(running_pid))"
    echo "$url"
}

cmd_down() {
    local pid i
    if ! pid="$(running_pid)"; then
        log "not running"
        rm -f "$PID_FILE" "$URL_FILE"
        return 0
    fi
    log "stopping pid $pid"
    kill -TERM "$pid"
    for i in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid did not stop in 30s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE" "$URL_FILE"
    log "stopped"
}

cmd_status() {
    local pid url rss
    if ! pid="$(running_pid)"; then
        echo "stopped"
        return 3
    fi
    url="$(cat "$URL_FILE" 2>/dev/null || true)"
    rss="$(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status" 2>/dev/null || true)"
    echo "running: pid $pid, RSS $rss, Elasticsearch $ES_VERSION"
    if [ -n "$url" ] && healthy "$url"; then
        echo "health: $(http_get "$url/_cluster/health")"
        echo "$url"
        return 0
    fi
    echo "not healthy (yet) at ${url:-<no url>}"
    return 1
}

case "${1:-}" in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
*)
    echo "usage: $0 {up|down|status}" >&2
    exit 2
    ;;
esac
