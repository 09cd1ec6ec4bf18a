#!/usr/bin/env bash
# Local infrastructure engines for development and CI, run as plain local
# processes (no Docker on our machines):
#
#   kafka     Apache Kafka 4.x, single-node KRaft (broker+controller), jars from Maven Central
#   ferretdb  FerretDB 1.24 (MongoDB wire protocol) on SQLite, built from infra/ferretdb
#   redis     Debian's redis-server
#   smtp      maildev: SMTP sink + HTTP API (GET /email, DELETE /email/all)
#   opensearch  OpenSearch 2.19 single node, server jars + 3 modules from Maven Central
#
# Usage: bash scripts/engines.sh start|stop|status|versions [kafka|ferretdb|redis|smtp|opensearch ...]
#        bash scripts/engines.sh browser   installs Debian's chromium for the browser tests (if missing)
#
# The first `start` installs whatever is missing (cached under .local/), later
# starts reuse it. `start` is idempotent: an engine already running from an
# earlier start (pid file + live process) is only re-checked for readiness.
# `stop` only signals processes whose pid files we wrote (SIGTERM, then SIGKILL).
# `status` exits 0 only if every engine asked about is running and answering (else 3).
# `versions` prints one line per engine with the version actually installed.
# Logs: .local/logs/<engine>.log; pids: .local/run/<engine>.pid; data: .local/data/<engine>/.
#
# Environment (defaults in brackets):
#   JOBSTREAM_LOCAL_DIR   [<repo>/.local] state: logs/ run/ data/
#   JOBSTREAM_CACHE_DIR   [JOBSTREAM_LOCAL_DIR] what is installed once: bin/ kafka-libs/ tools/ opensearch-*/
#   KAFKA_PORT [9092]  KAFKA_CONTROLLER_PORT [9093]  FERRETDB_PORT [27017]
#   REDIS_PORT [6379]  SMTP_PORT [1025]  SMTP_HTTP_PORT [1080]
#   ENGINE_START_TIMEOUT  [120] seconds to wait for each engine to answer
#   ENGINE_STOP_TIMEOUT   [20]  seconds between SIGTERM and SIGKILL
#   KAFKA_VERSION         [4.1.1] org.apache.kafka:kafka_2.13 version fetched by Maven
#   KAFKA_HEAP_OPTS       [-Xmx512m -Xms256m]
#   KAFKA_ADMIN_USERNAME  [admin] SCRAM-SHA-512 super user of the local broker (every client authenticates)
#   KAFKA_ADMIN_PASSWORD  [jobstream-local-admin] its password; changing it formats the local Kafka storage anew
#   KAFKA_JVM_OPTS        [] extra JVM flags for the broker
#   MAILDEV_VERSION       [2.2.1] npm maildev version (2.x supports Node >= 18)
#   FERRETDB_LOG_LEVEL    [info] debug|info|warn|error (info logs every connection)
#   OPENSEARCH_PORT       [9200] HTTP port; OPENSEARCH_TRANSPORT_PORT [OPENSEARCH_PORT+100]
#   OPENSEARCH_VERSION    [2.19.6] org.opensearch:opensearch version (2.x runs on Java 17)
#   OPENSEARCH_JAVA       [java] the java binary (3.x needs 21+, e.g. a Temurin 25 JDK's bin/java)
#   OPENSEARCH_HEAP       [384m] -Xms/-Xmx of the node
#   OPENSEARCH_JVM_OPTS   [] extra JVM flags (e.g. -XX:TieredStopAtLevel=1: starts faster, searches slower)
#   OPENSEARCH_UID        [65534] uid:gid the node runs as when this script runs as root
#                         (OpenSearch refuses to run as root)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/wait.sh
source "$ROOT/scripts/lib/wait.sh"
# shellcheck source=scripts/lib/node.sh
source "$ROOT/scripts/lib/node.sh"

LOCAL_DIR=${JOBSTREAM_LOCAL_DIR:-$ROOT/.local}
mkdir -p "$LOCAL_DIR"
LOCAL_DIR=$(cd "$LOCAL_DIR" && pwd)   # absolute: pids/markers must not depend on cwd
LOGS=$LOCAL_DIR/logs
RUN=$LOCAL_DIR/run
DATA=$LOCAL_DIR/data
# Installs are shared between state dirs (./jobstream test runs its own engines beside `up`'s).
CACHE_DIR=${JOBSTREAM_CACHE_DIR:-$LOCAL_DIR}
mkdir -p "$CACHE_DIR"
CACHE_DIR=$(cd "$CACHE_DIR" && pwd)
BIN=$CACHE_DIR/bin
KAFKA_LIBS=$CACHE_DIR/kafka-libs
TOOLS=$CACHE_DIR/tools

KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
FERRETDB_PORT=${FERRETDB_PORT:-27017}
REDIS_PORT=${REDIS_PORT:-6379}
SMTP_PORT=${SMTP_PORT:-1025}
SMTP_HTTP_PORT=${SMTP_HTTP_PORT:-1080}
ENGINE_START_TIMEOUT=${ENGINE_START_TIMEOUT:-120}
ENGINE_STOP_TIMEOUT=${ENGINE_STOP_TIMEOUT:-20}
KAFKA_VERSION=${KAFKA_VERSION:-4.1.1}
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}
# The broker's super user, created at format time: a dev/test secret of a broker on loopback.
KAFKA_ADMIN_USERNAME=${KAFKA_ADMIN_USERNAME:-admin}
KAFKA_ADMIN_PASSWORD=${KAFKA_ADMIN_PASSWORD:-jobstream-local-admin}
KAFKA_JVM_OPTS=${KAFKA_JVM_OPTS:-}
MAILDEV_VERSION=${MAILDEV_VERSION:-2.2.1}
FERRETDB_LOG_LEVEL=${FERRETDB_LOG_LEVEL:-info}
OPENSEARCH_PORT=${OPENSEARCH_PORT:-9200}
# Derived from the HTTP port so two checkouts on other HTTP ports don't share a transport port.
OPENSEARCH_TRANSPORT_PORT=${OPENSEARCH_TRANSPORT_PORT:-$(( OPENSEARCH_PORT + 100 ))}
OPENSEARCH_VERSION=${OPENSEARCH_VERSION:-2.19.6}
OPENSEARCH_JAVA=${OPENSEARCH_JAVA:-java}
OPENSEARCH_HEAP=${OPENSEARCH_HEAP:-384m}
OPENSEARCH_JVM_OPTS=${OPENSEARCH_JVM_OPTS:-}
OPENSEARCH_UID=${OPENSEARCH_UID:-65534}

ALL_ENGINES=(kafka ferretdb redis smtp opensearch)
HOST=127.0.0.1

mkdir -p "$LOGS" "$RUN" "$DATA" "$BIN"

pidfile() { echo "$RUN/$1.pid"; }
logfile() { echo "$LOGS/$1.log"; }

# A string that must appear in the engine's /proc/PID/cmdline; see pid_alive.
marker() {
  case $1 in
    kafka)    echo "$DATA/kafka/server.properties" ;;
    ferretdb) echo "ferretdb-local" ;;
    redis)    echo "redis-server" ;;   # redis rewrites its argv to "redis-server 127.0.0.1:PORT"
    smtp)     echo "maildev" ;;
    opensearch) echo "$DATA/opensearch/config" ;;
  esac
}

# Ports an engine listens on (the first one is its main port).
ports() {
  case $1 in
    kafka)    echo "$KAFKA_PORT $KAFKA_CONTROLLER_PORT" ;;
    ferretdb) echo "$FERRETDB_PORT" ;;
    redis)    echo "$REDIS_PORT" ;;
    smtp)     echo "$SMTP_PORT $SMTP_HTTP_PORT" ;;
    opensearch) echo "$OPENSEARCH_PORT $OPENSEARCH_TRANSPORT_PORT" ;;
  esac
}

running() { pid_alive "$(pidfile "$1")" "$(marker "$1")"; }

# launch ENGINE CMD...: start CMD detached in its own session (so it survives
# the calling shell/terminal and its Ctrl-C), stdout+stderr appended to the
# engine's log. The child writes its own pid before exec'ing, so the pid file
# is exact even if setsid had to fork.
launch() {
  local engine=$1; shift
  local pf; pf=$(pidfile "$engine")
  rm -f "$pf"
  touch "$(logfile "$engine")"
  # Remember where this run's output starts, to grep only fresh log lines.
  wc -c <"$(logfile "$engine")" | tr -d ' ' >"$RUN/$engine.logoffset"
  # Remember the ports it was started with, to catch a later start with other ports.
  ports "$engine" >"$RUN/$engine.ports"
  printf '\n===== %s: starting %s =====\n' "$(date -Is)" "$engine" >>"$(logfile "$engine")"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pf" "$@" \
    >>"$(logfile "$engine")" 2>&1 </dev/null &
  local i
  for (( i = 0; i < 50; i++ )); do [[ -s $pf ]] && return 0; sleep 0.1; done
  die "$engine: process did not start (no pid file); see $(logfile "$engine")"
}

# Log lines written since the last launch of ENGINE.
fresh_log() {
  local off=0
  [[ -s $RUN/$1.logoffset ]] && off=$(<"$RUN/$1.logoffset")
  tail -c +"$((off + 1))" "$(logfile "$1")" 2>/dev/null
}

# ---------------------------------------------------------------- kafka

kafka_java() {
  # Classpath wildcard: every jar Maven copied. Tools log via log4j2-tools.properties.
  java -Xmx256m -Dlog4j2.configurationFile="$ROOT/infra/kafka/log4j2-tools.properties" \
    -cp "$KAFKA_LIBS/*" "$@"
}

kafka_install() {
  command -v java >/dev/null || die "kafka: java not found (need Java 17+)"
  if [[ -f $KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar ]]; then return 0; fi
  command -v mvn >/dev/null || die "kafka: mvn not found (needed once to fetch Kafka jars)"
  log "kafka: fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS"
  # Wipe first: jars of another Kafka version on the same classpath would clash.
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS"
  if ! mvn -q -B -f "$ROOT/infra/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
        dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$KAFKA_LIBS" >"$LOGS/kafka-install.log" 2>&1; then
    tail -n 30 "$LOGS/kafka-install.log" >&2
    rm -rf "$KAFKA_LIBS"
    die "kafka: Maven could not fetch kafka_2.13:$KAFKA_VERSION (log: $LOGS/kafka-install.log)"
  fi
}

kafka_configure() {
  local dir=$DATA/kafka
  mkdir -p "$dir/logs"
  # Regenerated on every start so port env vars always apply.
  cat >"$dir/server.properties" <<EOF
# Generated by scripts/engines.sh on every start; edit the script, not this file.
# Single-node KRaft: this process is both broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$KAFKA_CONTROLLER_PORT
# Clients (and the broker itself) authenticate with SASL/SCRAM-SHA-512 on the client port.
# The controller listener stays PLAINTEXT but is bound to loopback only: in this single-node
# combined process only the broker half talks to it (its principal is User:ANONYMOUS, hence
# a super user); nothing off this host can reach it.
listeners=SASL_PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
inter.broker.listener.name=SASL_PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$KAFKA_ADMIN_USERNAME" password="$KAFKA_ADMIN_PASSWORD";
# Deny by default: a principal reads or writes only what ops provision granted it.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:$KAFKA_ADMIN_USERNAME;User:ANONYMOUS
log.dirs=$dir/logs
# A 2-core machine: few threads.
num.network.threads=2
num.io.threads=2
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
# One broker: internal topics must not ask for more replicas than exist.
offsets.topic.replication.factor=1
# 1 instead of 50 partitions: the first consumer group join stays fast on a dev box.
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Topics are provisioned explicitly by the application, never implicitly.
auto.create.topics.enable=false
# Tests join consumer groups often; don't wait 3 s for more members.
group.initial.rebalance.delay.ms=0
log.retention.hours=168
EOF
  chmod 600 "$dir/server.properties"   # it holds the admin password
  # The tools (readiness probe) authenticate as the admin too.
  ( umask 077; printf '%s\n' 'security.protocol=SASL_PLAINTEXT' 'sasl.mechanism=SCRAM-SHA-512' \
      "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$KAFKA_ADMIN_USERNAME\" password=\"$KAFKA_ADMIN_PASSWORD\";" \
      >"$dir/admin-client.properties" )
  # The admin's SCRAM credential is written into the metadata log when the storage is formatted,
  # so storage formatted without it (before SASL, or for another admin password) can't start the
  # broker: its own inter-broker login would fail. That storage is local test data: format anew.
  local want_admin; want_admin=$(printf '%s:%s' "$KAFKA_ADMIN_USERNAME" "$KAFKA_ADMIN_PASSWORD" | sha256sum | cut -d' ' -f1)
  if [[ -f $dir/logs/meta.properties && "$(cat "$dir/admin.sha256" 2>/dev/null)" != "$want_admin" ]]; then
    log "kafka: storage was formatted without this admin's SCRAM credential; formatting it anew (local topics are lost)"
    rm -rf "$dir/logs"
    mkdir -p "$dir/logs"
  fi
  # Format the storage once (KRaft needs meta.properties + a bootstrap checkpoint).
  if [[ ! -f $dir/logs/meta.properties ]]; then
    local cid
    if [[ -s $dir/cluster.id ]]; then cid=$(<"$dir/cluster.id"); else
      cid=$(kafka_java kafka.tools.StorageTool random-uuid | tail -n 1)
      echo "$cid" >"$dir/cluster.id"
    fi
    log "kafka: formatting storage (cluster id $cid)"
    kafka_java kafka.tools.StorageTool format --standalone -t "$cid" \
      -c "$dir/server.properties" \
      --add-scram "SCRAM-SHA-512=[name=$KAFKA_ADMIN_USERNAME,password=$KAFKA_ADMIN_PASSWORD]" >>"$(logfile kafka)" 2>&1 \
      || { tail -n 20 "$(logfile kafka)" >&2; die "kafka: storage format failed"; }
    echo "$want_admin" >"$dir/admin.sha256"
  fi
}

kafka_launch() {
  kafka_configure
  # shellcheck disable=SC2086  # heap/jvm opts are intentionally word-split
  launch kafka java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true $KAFKA_JVM_OPTS \
    -Dlog4j2.configurationFile="$ROOT/infra/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$LOGS" -Dkafka.logs.file="$(logfile kafka)" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$DATA/kafka/server.properties"
}

# Ready = port open + "Kafka Server started" logged by this run + a real
# ApiVersions/Metadata round trip with Kafka's own client tool.
kafka_ready() {
  port_open "$HOST" "$KAFKA_PORT" || return 1
  # grep without -q: -q exits at the first match, the writer then dies of SIGPIPE
  # and pipefail turns the pipeline into a failure (flaky on a large log).
  fresh_log kafka | grep -F "Kafka Server started" >/dev/null || return 1
  kafka_java org.apache.kafka.tools.BrokerApiVersionsCommand \
    --bootstrap-server "$HOST:$KAFKA_PORT" --command-config "$DATA/kafka/admin-client.properties" >/dev/null 2>&1
}

kafka_version() {
  local jar
  jar=$(ls "$KAFKA_LIBS"/kafka_2.13-*.jar 2>/dev/null | head -n 1) || true
  [[ -n $jar ]] || { echo "not installed"; return; }
  jar=${jar##*/kafka_2.13-}
  echo "Apache Kafka ${jar%.jar} (Scala 2.13, KRaft) on $(java -version 2>&1 | head -n 1)"
}

# ------------------------------------------------------------- ferretdb

FERRETDB_BIN=$BIN/ferretdb-local

# Rebuild when the binary is missing or infra/ferretdb changed since it was built
# (hash of the sources stored next to the binary); otherwise reuse it.
ferretdb_src_hash() {
  cat "$ROOT"/infra/ferretdb/go.mod "$ROOT"/infra/ferretdb/go.sum "$ROOT"/infra/ferretdb/*.go \
    | sha256sum | cut -d' ' -f1
}

ferretdb_install() {
  local want; want=$(ferretdb_src_hash)
  if [[ -x $FERRETDB_BIN && "$(cat "$FERRETDB_BIN.srchash" 2>/dev/null)" == "$want" ]]; then return 0; fi
  command -v go >/dev/null || die "ferretdb: go not found (needed once to build $FERRETDB_BIN)"
  log "ferretdb: building $FERRETDB_BIN (first time takes ~1 min)"
  # go -C: infra/ferretdb is its own module (the repo root has no go.mod).
  if ! go -C "$ROOT/infra/ferretdb" build -trimpath -o "$FERRETDB_BIN" . >"$LOGS/ferretdb-install.log" 2>&1; then
    tail -n 30 "$LOGS/ferretdb-install.log" >&2
    die "ferretdb: go build failed (log: $LOGS/ferretdb-install.log)"
  fi
  echo "$want" >"$FERRETDB_BIN.srchash"
}

ferretdb_launch() {
  mkdir -p "$DATA/ferretdb"
  launch ferretdb "$FERRETDB_BIN" -listen "$HOST:$FERRETDB_PORT" -data "$DATA/ferretdb" \
    -log-level "$FERRETDB_LOG_LEVEL"
}

# Ready = a real {ping: 1} over the MongoDB wire protocol answers ok.
ferretdb_ready() {
  port_open "$HOST" "$FERRETDB_PORT" && "$FERRETDB_BIN" -ping "$HOST:$FERRETDB_PORT" >/dev/null 2>&1
}

ferretdb_version() {
  [[ -x $FERRETDB_BIN ]] || { echo "not installed"; return; }
  "$FERRETDB_BIN" -version
}

# ---------------------------------------------------------------- redis

redis_install() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  [[ $(id -u) -eq 0 ]] || die "redis: redis-server missing; install it: sudo apt-get install -y redis-server"
  log "redis: installing Debian's redis-server"
  # Another apt-get (unattended upgrades, a parallel install) may hold the lock: wait for it.
  apt-get -o DPkg::Lock::Timeout=600 update -qq >"$LOGS/redis-install.log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq redis-server >>"$LOGS/redis-install.log" 2>&1 \
    || { tail -n 20 "$LOGS/redis-install.log" >&2; die "redis: apt-get install failed"; }
  # The package enables and starts a system service on the default port; we run
  # our own process, so stop that one if it came up (best effort, no systemd here usually).
  if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
    systemctl stop redis-server || true
  fi
}

redis_launch() {
  mkdir -p "$DATA/redis"
  # Foreground (--daemonize no) so the pid we record is redis itself.
  launch redis redis-server --bind "$HOST" --port "$REDIS_PORT" --daemonize no \
    --appendonly yes --dir "$DATA/redis" --logfile "$(logfile redis)"
}

redis_ready() {
  [[ "$(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]
}

redis_version() {
  command -v redis-server >/dev/null || { echo "not installed"; return; }
  redis-server --version
}

# ----------------------------------------------------------------- smtp

MAILDEV_DIR=$TOOLS/maildev
MAILDEV_PKG=$MAILDEV_DIR/node_modules/maildev

maildev_installed_version() {
  node -p "require('$MAILDEV_PKG/package.json').version" 2>/dev/null
}

smtp_install() {
  # maildev runs on the project's Node like everything else.
  ensure_node || die "smtp: no node"
  [[ "$(maildev_installed_version || true)" == "$MAILDEV_VERSION" ]] && return 0
  log "smtp: installing maildev@$MAILDEV_VERSION into $MAILDEV_DIR"
  # Own prefix: keeps maildev out of the project's package.json/node_modules; its tree is pinned by scripts/maildev's lockfile.
  if ! npm_install_pinned "$MAILDEV_DIR" "$ROOT/scripts/maildev" maildev "$MAILDEV_VERSION" --no-audit --no-fund >"$LOGS/smtp-install.log" 2>&1; then
    tail -n 30 "$LOGS/smtp-install.log" >&2
    die "smtp: npm install maildev@$MAILDEV_VERSION failed"
  fi
}

smtp_launch() {
  mkdir -p "$DATA/smtp"
  launch smtp node "$MAILDEV_PKG/bin/maildev" --smtp "$SMTP_PORT" --web "$SMTP_HTTP_PORT" \
    --ip "$HOST" --web-ip "$HOST" --mail-directory "$DATA/smtp"
}

# Ready = SMTP port accepts connections and the REST API lists mails.
smtp_ready() {
  port_open "$HOST" "$SMTP_PORT" && curl -fsS -m 3 "http://$HOST:$SMTP_HTTP_PORT/email" >/dev/null 2>&1
}

smtp_version() {
  local v; v=$(maildev_installed_version) || { echo "not installed"; return; }
  echo "maildev $v (node $(node --version))"
}

# ----------------------------------------------------------- opensearch

# The home is per version: lib/ (server classpath), modules/<name>/ (each with the
# descriptor and policy the Maven jars don't carry), empty bin/ and plugins/.
OPENSEARCH_HOME=$CACHE_DIR/opensearch-$OPENSEARCH_VERSION

# module-folder artifactId plugin-class extends
OPENSEARCH_MODULES=(
  "transport-netty4 transport-netty4-client org.opensearch.transport.Netty4Plugin -"
  "lang-painless lang-painless org.opensearch.painless.PainlessPlugin -"
  "analysis-common analysis-common org.opensearch.analysis.common.CommonAnalysisPlugin lang-painless"
)

opensearch_install() {
  command -v "$OPENSEARCH_JAVA" >/dev/null || die "opensearch: $OPENSEARCH_JAVA not found (2.x needs Java 17+, 3.x 21+)"
  [[ -f $OPENSEARCH_HOME/.installed ]] && return 0
  command -v mvn >/dev/null || die "opensearch: mvn not found (needed once to fetch OpenSearch jars)"
  log "opensearch: fetching OpenSearch $OPENSEARCH_VERSION jars from Maven Central into $OPENSEARCH_HOME"
  local tmp=$OPENSEARCH_HOME.partial ilog=$LOGS/opensearch-install.log line name artifact cls ext j
  rm -rf "$tmp"
  mkdir -p "$tmp/lib" "$tmp/modules" "$tmp/bin" "$tmp/plugins"
  : >"$ilog"
  if ! mvn -q -B -f "$ROOT/infra/opensearch/pom.xml" -Dopensearch.version="$OPENSEARCH_VERSION" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/lib" >>"$ilog" 2>&1; then
    tail -n 30 "$ilog" >&2; rm -rf "$tmp"
    die "opensearch: Maven could not fetch org.opensearch:opensearch:$OPENSEARCH_VERSION (log: $ilog)"
  fi
  for line in "${OPENSEARCH_MODULES[@]}"; do
    read -r name artifact cls ext <<<"$line"
    mkdir -p "$tmp/modules/$name"
    if ! mvn -q -B -f "$ROOT/infra/opensearch/module-pom.xml" -Dopensearch.version="$OPENSEARCH_VERSION" \
          -Dmodule.name="$artifact" dependency:copy-dependencies -DincludeScope=runtime \
          -DoutputDirectory="$tmp/modules/$name" >>"$ilog" 2>&1; then
      tail -n 30 "$ilog" >&2; rm -rf "$tmp"
      die "opensearch: Maven could not fetch org.opensearch.plugin:$artifact:$OPENSEARCH_VERSION (log: $ilog)"
    fi
    # A jar on both the server's and a module's classpath is "jar hell": the node refuses to start.
    for j in "$tmp/modules/$name"/*.jar; do
      [[ -e $tmp/lib/${j##*/} ]] && rm -f "$j"
    done
    [[ $ext == - ]] && ext=
    cat >"$tmp/modules/$name/plugin-descriptor.properties" <<EOF
# Written by scripts/engines.sh: the module jars on Maven Central carry no descriptor.
description=$name module
version=$OPENSEARCH_VERSION
name=$name
classname=$cls
java.version=11
opensearch.version=$OPENSEARCH_VERSION
extended.plugins=$ext
has.native.controller=false
EOF
  done
  cp "$ROOT/infra/opensearch/netty4-plugin-security.policy" "$tmp/modules/transport-netty4/plugin-security.policy"
  cp "$ROOT/infra/opensearch/painless-plugin-security.policy" "$tmp/modules/lang-painless/plugin-security.policy"
  touch "$tmp/.installed"
  rm -rf "$OPENSEARCH_HOME"
  mv "$tmp" "$OPENSEARCH_HOME"
  # The unprivileged node must read its own home.
  chmod -R a+rX "$OPENSEARCH_HOME"
}

opensearch_configure() {
  local dir=$DATA/opensearch
  mkdir -p "$dir/config" "$dir/data" "$dir/logs" "$dir/tmp"
  cp "$ROOT/infra/opensearch/log4j2.properties" "$dir/config/log4j2.properties"
  # Regenerated on every start so port env vars always apply.
  cat >"$dir/config/opensearch.yml" <<EOF
# Generated by scripts/engines.sh on every start; edit the script, not this file.
cluster.name: jobstream-local
node.name: local
discovery.type: single-node
network.host: $HOST
http.port: $OPENSEARCH_PORT
transport.port: $OPENSEARCH_TRANSPORT_PORT
path.data: $dir/data
path.logs: $dir/logs
# A shared dev disk may be fuller than the production watermarks allow.
cluster.routing.allocation.disk.threshold_enabled: false
# Our indices are created by the application (auto_expand_replicas 0-1 keeps one node green).
action.auto_create_index: false
# The parent circuit breaker counts the heap's real usage, garbage included, which assumes G1's
# frequent young collections; under the serial collector (below) a heap full of not-yet-collected
# garbage refused _bulk requests ("Data too large"). Count what requests reserve instead.
indices.breaker.total.use_real_memory: false
EOF
  if [[ $(id -u) -eq 0 ]]; then
    chown -R "$OPENSEARCH_UID:$OPENSEARCH_UID" "$dir"
    # Every folder above the data dir must be traversable by that uid.
    local d=$dir
    while [[ $d != / ]]; do d=$(dirname "$d"); [[ -x $d ]] || chmod o+x "$d"; done
  fi
}

opensearch_launch() {
  opensearch_configure
  local dir=$DATA/opensearch drop=()
  # OpenSearch refuses to run as root (it would run scripts and plugins with root's rights).
  if [[ $(id -u) -eq 0 ]]; then
    drop=(setpriv --reuid="$OPENSEARCH_UID" --regid="$OPENSEARCH_UID" --clear-groups)
  fi
  # The serial collector: least GC CPU on 2 shared cores with a small heap. (C1-only JIT would start
  # a few seconds sooner but leaves every search slower, so it is only an OPENSEARCH_JVM_OPTS choice.)
  # shellcheck disable=SC2086  # jvm opts are intentionally word-split
  launch opensearch "${drop[@]}" "$OPENSEARCH_JAVA" -Xms"$OPENSEARCH_HEAP" -Xmx"$OPENSEARCH_HEAP" \
    -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true $OPENSEARCH_JVM_OPTS \
    -Dfile.encoding=UTF-8 -Djna.nosys=true -Dlog4j2.disable.jmx=true -Djava.io.tmpdir="$dir/tmp" \
    -Dopensearch.path.home="$OPENSEARCH_HOME" -Dopensearch.path.conf="$dir/config" \
    -Dopensearch.distribution.type=tar -cp "$OPENSEARCH_HOME/lib/*" org.opensearch.bootstrap.OpenSearch
}

# Ready = the cluster reports green (primaries and any replicas allocated).
opensearch_ready() {
  curl -fsS -m 3 "http://$HOST:$OPENSEARCH_PORT/_cluster/health" 2>/dev/null | grep -F '"status":"green"' >/dev/null
}

opensearch_version() {
  [[ -f $OPENSEARCH_HOME/.installed ]] || { echo "not installed"; return; }
  echo "OpenSearch $OPENSEARCH_VERSION (Maven Central jars) on $("$OPENSEARCH_JAVA" -version 2>&1 | head -n 1)"
}

# ------------------------------------------------------------- commands

# Engines launched by this invocation (as opposed to found already running).
LAUNCHED=" "

# Phase 1 (sequential): install if needed and launch; does not wait.
start_one() {
  local e=$1 p
  "${e}_install"
  if running "$e"; then
    if [[ -s $RUN/$e.ports && "$(<"$RUN/$e.ports")" != "$(ports "$e")" ]]; then
      die "$e: already running (pid $(<"$(pidfile "$e")")) on port(s) $(<"$RUN/$e.ports"), not $(ports "$e"); run 'stop $e' first to change ports"
    fi
    log "$e: already running (pid $(<"$(pidfile "$e")"))"
    return 0
  fi
  for p in $(ports "$e"); do
    if port_open "$HOST" "$p"; then
      die "$e: port $p is already in use by a process this script did not start; stop it or set the port env var"
    fi
  done
  log "$e: starting on $HOST:$(ports "$e" | tr ' ' ',')"
  "${e}_launch"
  LAUNCHED+="$e "
}

# Print the end of ENGINE's output from its latest launch (falls back to the
# whole log's tail when nothing new was written).
log_tail() {
  local out; out=$(fresh_log "$1" | tail -n 40)
  [[ -n ${out//[[:space:]]/} ]] || out=$(tail -n 40 "$(logfile "$1")" 2>/dev/null)
  printf '%s\n' "$out" >&2
}

# A start that failed: show why, and don't leave a half-started process behind
# if this invocation launched it (one found already running is left alone).
start_failed() {
  local e=$1 why=$2
  printf '[engines] ERROR: %s %s; last lines of %s:\n' "$e" "$why" "$(logfile "$e")" >&2
  log_tail "$e"
  if [[ $LAUNCHED == *" $e "* ]] && running "$e"; then
    stop_pid "$(pidfile "$e")" "$(marker "$e")" "$e" "$ENGINE_STOP_TIMEOUT"
  fi
  return 1
}

# Phase 2: wait until the engine answers, or report why it does not.
wait_one() {
  local e=$1 deadline=$(( $(date +%s) + ENGINE_START_TIMEOUT ))
  while :; do
    if ! running "$e"; then
      start_failed "$e" "exited during startup"
      return 1
    fi
    if "${e}_ready"; then
      log "$e: ready"
      return 0
    fi
    if (( $(date +%s) >= deadline )); then
      start_failed "$e" "did not become ready within ${ENGINE_START_TIMEOUT}s"
      return 1
    fi
    sleep 0.5
  done
}

cmd_start() {
  local e failed=()
  local t0; t0=$(date +%s)
  # Launch everything first, then wait: Kafka's JVM boot overlaps the others.
  for e in "$@"; do start_one "$e"; done
  for e in "$@"; do wait_one "$e" || failed+=("$e"); done
  if (( ${#failed[@]} )); then
    die "failed to start: ${failed[*]} (logs in $LOGS)"
  fi
  log "all ready in $(( $(date +%s) - t0 ))s: $*  (logs: $LOGS)"
}

cmd_stop() {
  local e i
  # Reverse order of start.
  for (( i = $# ; i >= 1 ; i-- )); do
    e=${!i}
    stop_pid "$(pidfile "$e")" "$(marker "$e")" "$e" "$ENGINE_STOP_TIMEOUT"
    rm -f "$RUN/$e.logoffset" "$RUN/$e.ports"
  done
}

# Exit 0 if every engine asked about is running and answering, else 3.
cmd_status() {
  local e rc=0 main
  for e in "$@"; do
    main=$(ports "$e"); main=${main%% *}
    if running "$e"; then
      if "${e}_ready"; then
        printf '%-9s running  pid %-7s %s:%s  log %s\n' "$e" "$(<"$(pidfile "$e")")" "$HOST" "$(ports "$e" | tr ' ' ',')" "$(logfile "$e")"
      else
        printf '%-9s starting/unhealthy  pid %s (not answering on %s:%s)\n' "$e" "$(<"$(pidfile "$e")")" "$HOST" "$main"
        rc=3
      fi
    elif port_open "$HOST" "$main"; then
      printf '%-9s stopped  (port %s is in use by a process not started by this script)\n' "$e" "$main"
      rc=3
    else
      printf '%-9s stopped\n' "$e"
      rc=3
    fi
  done
  return "$rc"
}

cmd_versions() {
  local e
  for e in "$@"; do printf '%-9s %s\n' "$e" "$("${e}_version")"; done
}

# ------------------------------------------------------------- browser

# The web front end's browser tests drive Debian's chromium with playwright-core; Playwright's own
# browser download can't work here, so the system package is the browser (never started by us).
CHROMIUM_BIN=${CHROMIUM_PATH:-/usr/bin/chromium}

cmd_browser() {
  if [[ -x $CHROMIUM_BIN ]]; then log "browser: $("$CHROMIUM_BIN" --version 2>/dev/null || echo "$CHROMIUM_BIN")"; return 0; fi
  [[ $(id -u) -eq 0 ]] || die "browser: chromium missing; install it: sudo apt-get install -y chromium"
  log "browser: installing Debian's chromium (first time takes a minute)"
  apt-get update -qq -o DPkg::Lock::Timeout=300 >"$LOGS/chromium-install.log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 chromium >>"$LOGS/chromium-install.log" 2>&1 \
    || { tail -n 20 "$LOGS/chromium-install.log" >&2; die "browser: apt-get install chromium failed"; }
  log "browser: $("$CHROMIUM_BIN" --version 2>/dev/null || echo installed)"
}

usage() {
  # The header comment of this file is the help text.
  sed -n '2,/^set -euo pipefail/{/^set /d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

main() {
  [[ $# -ge 1 ]] || usage
  local cmd=$1; shift
  local e
  if [[ $cmd == browser ]]; then cmd_browser; return; fi
  (( $# )) || set -- "${ALL_ENGINES[@]}"
  for e in "$@"; do
    case $e in kafka|ferretdb|redis|smtp|opensearch) ;; *) die "unknown engine '$e' (kafka, ferretdb, redis, smtp, opensearch)" ;; esac
  done
  case $cmd in
    start)    cmd_start "$@" ;;
    stop)     cmd_stop "$@" ;;
    status)   cmd_status "$@" ;;
    versions) cmd_versions "$@" ;;
    -h|--help|help) usage ;;
    *) die "unknown command '$cmd' (start|stop|status|versions)" ;;
  esac
}

main "$@"
