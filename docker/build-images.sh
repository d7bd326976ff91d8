#!/usr/bin/env bash
# Builds the four service images without Docker and without a registry, and proves they boot:
#
#   1. base image: Debian bookworm (debootstrap) + a jlinked JDK 25 runtime, committed by buildah to a docker-archive
#      tar (cached: rebuilt only when this script, the Containerfile or the JDK changes);
#   2. the service jars (./mvnw install of the services and devstack);
#   3. jib:buildTar of each service from that tar;
#   4. AOT cache training: each image runs in podman against devstack's PostgreSQL, Redis and Kafka until
#      /health/readiness is green, serves a few requests, and writes its JDK AOT cache as it stops;
#   5. jib:buildTar again with the cache in /app/aot (target/<service>-image.tar);
#   6. boot check: each final image starts in podman the way the Helm chart runs it (read-only root file system,
#      non-root, all capabilities dropped) and must answer 200 on /health/readiness; its config (entrypoint, user,
#      ports, env) is checked with skopeo.
#
#   7. the Dockerfiles (docker/<service>/Dockerfile, for people with Docker): buildah builds gateway-edge's (all four
#      with --dockerfiles all) on the same offline base, and it must boot to a green readiness too.
#
# usage: docker/build-images.sh [--skip-package] [--dockerfiles gateway|all|none] [--push PREFIX]
#   --skip-package   use the jars already in */target (after ./mvnw install)
#   --push PREFIX    then push the same images with jib:build to PREFIX/<service>:<version>
#                    (e.g. registry.example.com/gatehouse; credentials from docker/podman login or Jib's helpers)
# environment: GATEHOUSE_IMAGE_CACHE (base tar and podman storage; default .gatehouse/images),
#              JAVA_HOME (a JDK 25; default /usr/lib/jvm/temurin-25-jdk-amd64)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SERVICES=(identity-service session-service tenant-service gateway-edge)
CACHE="$(realpath -m "${GATEHOUSE_IMAGE_CACHE:-$ROOT/.gatehouse/images}")"
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR="${GATEHOUSE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# the runtime's modules: Java SE plus what Netty, Micrometer, the Kafka and PostgreSQL clients and jcmd need
JLINK_MODULES=(java.se jdk.unsupported jdk.management jdk.management.agent jdk.management.jfr jdk.jfr jdk.naming.dns
  jdk.crypto.cryptoki jdk.crypto.ec jdk.zipfs jdk.charsets jdk.net jdk.security.auth jdk.security.jgss jdk.jcmd
  jdk.attach)
READY_TIMEOUT=120

say() { printf '[images] %s\n' "$*"; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }
T_START=$SECONDS
since() { printf '%d s' "$((SECONDS - $1))"; }

SKIP_PACKAGE=false
PUSH_REGISTRY=""
DOCKERFILES=gateway
while (( $# > 0 )); do
  case "$1" in
    --skip-package) SKIP_PACKAGE=true ;;
    --push) [[ $# -ge 2 ]] || die "--push needs a registry"; PUSH_REGISTRY="$2"; shift ;;
    --dockerfiles)
      [[ "${2:-}" =~ ^(gateway|all|none)$ ]] || die "--dockerfiles takes gateway, all or none"
      DOCKERFILES="$2"; shift ;;
    -h | --help) sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
  shift
done

# ---- tools ----------------------------------------------------------------------------------------------------------

[[ "$(id -u)" == 0 ]] || die "run as root (debootstrap, buildah and podman here run rootful)"
missing=()
for tool in debootstrap:debootstrap buildah:buildah podman:podman runc:runc skopeo:skopeo newuidmap:uidmap jq:jq \
  curl:curl; do
  command -v "${tool%%:*}" > /dev/null 2>&1 || missing+=("${tool##*:}")
done
if (( ${#missing[@]} > 0 )); then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$JAVA_HOME/bin/jlink" ]] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25' \
  || export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
[[ -x "$JAVA_HOME/bin/jlink" ]] || die "a JDK 25 is needed (JAVA_HOME or /usr/lib/jvm/temurin-25-jdk-amd64)"

VERSION="$(awk '/<artifactId>gatehouse<\/artifactId>/ {found = 1}
  found && /<version>/ {sub(/.*<version>/, ""); sub(/<\/version>.*/, ""); print; exit}' pom.xml)"

mkdir -p "$CACHE"
STORE=(--root "$CACHE/storage" --runroot "$CACHE/run" --storage-driver vfs)
PODMAN=(podman "${STORE[@]}" --cgroup-manager cgroupfs --events-backend file --runtime runc)
# the sandbox's hard limits are below podman's defaults
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)

# ---- 1. base image --------------------------------------------------------------------------------------------------

BASE_TAR="$CACHE/base-jre25.tar"
base_key() {
  {
    cat "$ROOT/docker/base/Containerfile"
    sed -n '/^# ---- 1. base image/,/^# ---- 2. jars/p' "${BASH_SOURCE[0]}"
    printf '%s\n' "${JLINK_MODULES[@]}" "$DEBIAN_SUITE"
    cat "$JAVA_HOME/release"
  } | sha256sum | cut -c1-16
}

build_base() {
  local t0=$SECONDS work="$CACHE/base-work"
  say "base image: debootstrap $DEBIAN_SUITE (minbase) + jlink JDK 25 runtime"
  rm -rf "$work"
  mkdir -p "$work"
  debootstrap --variant=minbase "$DEBIAN_SUITE" "$work/rootfs" "$DEBIAN_MIRROR" > "$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed (log: $work/debootstrap.log)"; }
  say "  debootstrap done ($(since "$t0"))"
  local rootfs="$work/rootfs" available=() m
  # what nothing at run time reads: package caches, docs, man pages, locales other than C
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*
  mapfile -t available < <("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//')
  local modules=()
  for m in "${JLINK_MODULES[@]}"; do
    printf '%s\n' "${available[@]}" | grep -qx "$m" && modules+=("$m")
  done
  mkdir -p "$rootfs/opt/java"
  "$JAVA_HOME/bin/jlink" --add-modules "$(IFS=,; echo "${modules[*]}")" --strip-debug --no-man-pages \
    --no-header-files --compress=zip-6 --generate-cds-archive --output "$rootfs/opt/java/openjdk"
  cp "$JAVA_HOME/release" "$rootfs/opt/java/openjdk/release.jdk"
  say "  jlink runtime: $(du -sh "$rootfs/opt/java/openjdk" | cut -f1) ($(since "$t0"))"
  # the service user: no login, no home beyond /app (which stays root-owned and read-only)
  grep -q '^gatehouse:' "$rootfs/etc/passwd" \
    || echo 'gatehouse:x:10001:10001:Gatehouse service:/app:/usr/sbin/nologin' >> "$rootfs/etc/passwd"
  grep -q '^gatehouse:' "$rootfs/etc/group" || echo 'gatehouse:x:10001:' >> "$rootfs/etc/group"
  mkdir -p "$rootfs/app"
  chmod 1777 "$rootfs/tmp"
  tar --numeric-owner -C "$rootfs" -cf "$work/rootfs.tar" .
  cp "$ROOT/docker/base/Containerfile" "$work/Containerfile"
  buildah "${STORE[@]}" bud --isolation chroot --layers=false -t gatehouse/base-jre25:latest -f "$work/Containerfile" \
    "$work" > "$work/buildah.log" 2>&1 || { tail -n 20 "$work/buildah.log" >&2; die "buildah bud failed"; }
  rm -f "$BASE_TAR.tmp"
  buildah "${STORE[@]}" push gatehouse/base-jre25:latest "docker-archive:$BASE_TAR.tmp:gatehouse/base-jre25:latest" \
    > "$work/push.log" 2>&1 || { tail -n 20 "$work/push.log" >&2; die "buildah push to a docker-archive failed"; }
  buildah "${STORE[@]}" rmi gatehouse/base-jre25:latest > /dev/null 2>&1 || true
  mv "$BASE_TAR.tmp" "$BASE_TAR"
  rm -rf "$work"
  say "  base image: $BASE_TAR ($(du -h "$BASE_TAR" | cut -f1), $(since "$t0"))"
}

KEY="$(base_key)"
if [[ -f "$BASE_TAR" && "$(cat "$BASE_TAR.key" 2> /dev/null)" == "$KEY" ]]; then
  say "base image: cached ($BASE_TAR)"
else
  build_base
  echo "$KEY" > "$BASE_TAR.key"
fi

# ---- 2. jars --------------------------------------------------------------------------------------------------------

MODULES="$(IFS=,; echo "${SERVICES[*]}")"
if [[ "$SKIP_PACKAGE" == false ]]; then
  t0=$SECONDS
  say "building the service jars and devstack..."
  ./mvnw -B -q -DskipTests install -pl "$MODULES,devstack,devstack-kafka" -am || die "the Maven build failed"
  say "  jars built ($(since "$t0"))"
fi
for s in "${SERVICES[@]}"; do
  [[ -f "$s/target/$s-$VERSION.jar" ]] || die "$s/target/$s-$VERSION.jar is missing (drop --skip-package)"
done

JIB=(./mvnw -B -q -pl "$MODULES" "-Dgatehouse.image.base=tar://$BASE_TAR" -Djib.disableUpdateChecks=true)

# ---- 3. images without a cache --------------------------------------------------------------------------------------

t0=$SECONDS
for s in "${SERVICES[@]}"; do
  rm -rf "$s/target/jib-extra"
done
"${JIB[@]}" jib:buildTar "-Djib.outputPaths.tar=target/untrained-image.tar" || die "jib:buildTar failed"
say "jib:buildTar of ${#SERVICES[@]} images ($(since "$t0"))"

load() { # load <tar> -> prints the image id
  "${PODMAN[@]}" load -q -i "$1" | sed -n 's/^Loaded image[^:]*: *//p' | tail -n 1
}

free_port() {
  local p
  while true; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { echo "$p"; return; }
  done
}

# ---- backends for training and boot checks (devstack: embedded PostgreSQL, Redis, a real Kafka broker) --------------

INFRA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-images.XXXXXX")"
INFRA_PID=""
CONTAINERS=()
cleanup() {
  local c
  for c in ${CONTAINERS[@]+"${CONTAINERS[@]}"}; do
    "${PODMAN[@]}" rm -f -t 5 "$c" > /dev/null 2>&1 || true
  done
  # the private store keeps nothing between runs but the base tar (outside it)
  "${PODMAN[@]}" rmi -a -f > /dev/null 2>&1 || true
  if [[ -n "$INFRA_PID" ]] && kill -0 "$INFRA_PID" 2> /dev/null; then
    kill -TERM "$INFRA_PID" 2> /dev/null || true
    wait "$INFRA_PID" 2> /dev/null || true
  fi
  rm -rf "$INFRA_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t0=$SECONDS
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx256m -jar devstack/target/devstack.jar infra --data "$INFRA_DIR" \
  --exit-with-parent > "$INFRA_DIR/infra.log" 2>&1 < /dev/null &
INFRA_PID=$!
while [[ ! -f "$INFRA_DIR/ready" ]]; do
  kill -0 "$INFRA_PID" 2> /dev/null || { cat "$INFRA_DIR/infra.log" >&2; die "devstack infra failed to start"; }
  (( SECONDS - t0 < 120 )) || die "devstack infra did not start within 120 s"
  sleep 0.5
done
# shellcheck disable=SC1091
source "$INFRA_DIR/infra.env"
"$JAVA_HOME/bin/java" -cp devstack/target/devstack.jar docker/tools/CreateDatabases.java "$GATEHOUSE_TEST_PG_URL" \
  "$GATEHOUSE_TEST_PG_USER" "$GATEHOUSE_TEST_PG_PASSWORD" gatehouse_identity gatehouse_session gatehouse_tenant
PG_BASE="${GATEHOUSE_TEST_PG_URL%/*}"
say "backends up ($(since "$t0")): PostgreSQL $PG_BASE, Redis $GATEHOUSE_TEST_REDIS_URI, Kafka $GATEHOUSE_TEST_KAFKA_BOOTSTRAP"

rand32() { head -c 32 /dev/urandom | base64; }
# one set per run: the training run stores signing keys under this KEK, and the boot check must read them back
SESSION_KEK="$(rand32)"
SESSION_HASH_KEY="$(rand32)"
SESSION_COOKIE_KEY="$(rand32)"
TENANT_INVITATION_KEY="$(rand32)"
ADMIN_PASSWORD="$(rand32)"

# The environment the Helm chart gives each service (helm/gatehouse/templates/_env.tpl), pointed at devstack.
# Sets PORT (the service port) and HEALTH_PORT (where /health/readiness is served).
service_env() {
  local s="$1"
  PORT="$(free_port)"
  HEALTH_PORT="$PORT"
  ENV=(-e "MICRONAUT_SERVER_PORT=$PORT" -e "REDIS_URI=$GATEHOUSE_TEST_REDIS_URI"
    -e "KAFKA_BOOTSTRAP_SERVERS=$GATEHOUSE_TEST_KAFKA_BOOTSTRAP")
  case "$s" in
    gateway-edge)
      HEALTH_PORT="$(free_port)"
      ENV+=(-e "ENDPOINTS_ALL_PORT=$HEALTH_PORT" -e GATEHOUSE_GATEWAY_UPSTREAMS_IDENTITY=http://127.0.0.1:8081
        -e GATEHOUSE_GATEWAY_UPSTREAMS_SESSION=http://127.0.0.1:8082
        -e GATEHOUSE_GATEWAY_UPSTREAMS_TENANT=http://127.0.0.1:8083) ;;
    *)
      ENV+=(-e "DATASOURCES_DEFAULT_URL=$PG_BASE/gatehouse_${s%-service}"
        -e "DATASOURCES_DEFAULT_USERNAME=$GATEHOUSE_TEST_PG_USER"
        -e "DATASOURCES_DEFAULT_PASSWORD=$GATEHOUSE_TEST_PG_PASSWORD") ;;
  esac
  case "$s" in
    identity-service) ENV+=(-e GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME=admin -e "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD=$ADMIN_PASSWORD"
      -e "GATEHOUSE_IDENTITY_HASH_KEY=$SESSION_HASH_KEY" -e GATEHOUSE_IDENTITY_PLATFORM_SESSION_URL=http://127.0.0.1:8082
      -e GATEHOUSE_IDENTITY_PLATFORM_TENANT_URL=http://127.0.0.1:8083 -e GATEHOUSE_IDENTITY_PLATFORM_CLIENT_ID=gatehouse-identity
      -e "GATEHOUSE_IDENTITY_PLATFORM_CLIENT_SECRET=$SESSION_COOKIE_KEY") ;;
    session-service) ENV+=(-e GATEHOUSE_SESSION_ISSUER=http://127.0.0.1:8080 -e "GATEHOUSE_SESSION_KEYS_KEK=$SESSION_KEK"
      -e "GATEHOUSE_SESSION_HASH_KEY=$SESSION_HASH_KEY" -e "GATEHOUSE_SESSION_COOKIE_KEY=$SESSION_COOKIE_KEY") ;;
    tenant-service) ENV+=(-e GATEHOUSE_TENANT_AUTH_ISSUER=http://127.0.0.1:8080
      -e GATEHOUSE_TENANT_AUTH_JWKS_URI=http://127.0.0.1:8082/.well-known/jwks.json
      -e "GATEHOUSE_TENANT_INVITATIONS_SIGNING_KEY=$TENANT_INVITATION_KEY") ;;
  esac
  return 0
}

# await_ready <container> <health port>: prints the seconds to the first 200 from /health/readiness
await_ready() {
  local c="$1" port="$2" start code
  start=$(date +%s%N)
  while true; do
    code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/health/readiness" || true)"
    [[ "$code" == 200 ]] && break
    if [[ "$("${PODMAN[@]}" inspect -f '{{.State.Running}}' "$c" 2> /dev/null)" != true ]]; then
      "${PODMAN[@]}" logs "$c" 2>&1 | tail -n 30 >&2
      die "$c exited before it was ready"
    fi
    if (( ($(date +%s%N) - start) / 1000000000 >= READY_TIMEOUT )); then
      "${PODMAN[@]}" logs "$c" 2>&1 | tail -n 30 >&2
      die "$c was not ready within $READY_TIMEOUT s (last status: $code)"
    fi
    sleep 0.1
  done
  awk -v ns="$(($(date +%s%N) - start))" 'BEGIN { printf "%.1f", ns / 1e9 }'
}

# the flags the chart runs with: read-only root (a tmpfs on /tmp), non-root, no capabilities, no privilege gain
HARDENED=(--read-only --read-only-tmpfs --cap-drop ALL --security-opt no-new-privileges --network host)

# ---- 4. train the AOT caches ----------------------------------------------------------------------------------------

declare -A COLD WARM RSS
t0=$SECONDS
for s in "${SERVICES[@]}"; do
  ts=$SECONDS
  image="$(load "$s/target/untrained-image.tar")"
  [[ -n "$image" ]] || die "podman could not load $s/target/untrained-image.tar"
  entrypoint="$("${PODMAN[@]}" image inspect -f '{{json .Config.Entrypoint}}' "$image")"
  grep -q -- '-XX:AOTMode=off' <<< "$entrypoint" || die "$s: the entrypoint lacks -XX:AOTMode=off: $entrypoint"
  training="${entrypoint/-XX:AOTMode=off/-XX:AOTCacheOutput=/aot/app.aot}"
  out="$ROOT/$s/target/jib-extra/app/aot"
  mkdir -p "$out"
  chmod 0777 "$out"
  service_env "$s"
  c="gatehouse-train-$s-$$"
  CONTAINERS+=("$c")
  "${PODMAN[@]}" run -d --name "$c" "${LIMITS[@]}" "${HARDENED[@]}" -v "$out:/aot:rw" --entrypoint "$training" \
    "${ENV[@]}" "$image" > /dev/null
  COLD[$s]="$(await_ready "$c" "$HEALTH_PORT")"
  # what a running service does first: readiness, metrics, its API document
  for path in /health/readiness /health/liveness /prometheus /openapi.yml; do
    curl -s -o /dev/null "http://127.0.0.1:$HEALTH_PORT$path" || true
  done
  # SIGTERM: the JVM writes the cache as it exits (up to a minute on 2 cores)
  "${PODMAN[@]}" stop -t 180 "$c" > /dev/null
  "${PODMAN[@]}" rm "$c" > /dev/null
  [[ -s "$out/app.aot" ]] || die "$s: no AOT cache was written"
  rm -f "$out"/*.config
  chmod 0755 "$out"
  chmod 0644 "$out/app.aot"
  "${PODMAN[@]}" rmi -f "$image" > /dev/null
  say "  $s: ready in ${COLD[$s]} s in its training run (no cache, recording); cache $(du -m "$out/app.aot" | cut -f1) MB ($(since "$ts"))"
done
say "AOT caches trained ($(since "$t0"))"

# ---- 5. final images ------------------------------------------------------------------------------------------------

t0=$SECONDS
TRAINED=(-Dgatehouse.image.aot=-XX:AOTCache=/app/aot/app.aot -Dgatehouse.image.extra=target/jib-extra)
"${JIB[@]}" jib:buildTar "${TRAINED[@]}" -Djib.outputPaths.tar=target/image.tar \
  || die "jib:buildTar with the AOT cache failed"
for s in "${SERVICES[@]}"; do
  mv "$s/target/image.tar" "$s/target/$s-image.tar"
  rm -f "$s/target/untrained-image.tar"
done
say "final images built ($(since "$t0")): */target/<service>-image.tar"

# ---- 6. boot check and config check ---------------------------------------------------------------------------------

t0=$SECONDS
for s in "${SERVICES[@]}"; do
  tar="$s/target/$s-image.tar"
  config="$(skopeo inspect --config "docker-archive:$tar")"
  user="$(jq -r '.config.User' <<< "$config")"
  [[ "$user" == 10001:10001 ]] || die "$s: image user is '$user', expected 10001:10001"
  jq -e '.config.Entrypoint | index("-XX:AOTCache=/app/aot/app.aot")' <<< "$config" > /dev/null \
    || die "$s: the entrypoint does not use the AOT cache"
  ports="$(jq -r '.config.ExposedPorts | keys | join(" ")' <<< "$config")"
  image="$(load "$tar")"
  service_env "$s"
  c="gatehouse-boot-$s-$$"
  CONTAINERS+=("$c")
  "${PODMAN[@]}" run -d --name "$c" "${LIMITS[@]}" "${HARDENED[@]}" "${ENV[@]}" "$image" > /dev/null
  WARM[$s]="$(await_ready "$c" "$HEALTH_PORT")"
  pid="$("${PODMAN[@]}" inspect -f '{{.State.Pid}}' "$c")"
  RSS[$s]="$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 ))"
  if "${PODMAN[@]}" logs "$c" 2>&1 | grep -q 'error.*\[aot\]'; then
    "${PODMAN[@]}" logs "$c" 2>&1 | grep '\[aot\]' | head -n 5 >&2
    die "$s: the JVM rejected the image's AOT cache"
  fi
  uid="$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")"
  [[ "$uid" == 10001 ]] || die "$s runs as uid $uid"
  "${PODMAN[@]}" stop -t 30 "$c" > /dev/null
  "${PODMAN[@]}" rm "$c" > /dev/null
  "${PODMAN[@]}" rmi -f "$image" > /dev/null
  say "  $s: READY in ${WARM[$s]} s with its AOT cache (training run: ${COLD[$s]} s), RSS ${RSS[$s]} MiB, uid $uid," \
    "read-only root, ports $ports"
done
say "boot checks passed ($(since "$t0"))"

# ---- 7. the Dockerfiles ---------------------------------------------------------------------------------------------

if [[ "$DOCKERFILES" != none ]]; then
  t0=$SECONDS
  base="$("${PODMAN[@]}" load -q -i "$BASE_TAR" | sed -n 's/^Loaded image[^:]*: *//p' | tail -n 1)"
  targets=(gateway-edge)
  [[ "$DOCKERFILES" == all ]] && targets=("${SERVICES[@]}")
  for s in "${targets[@]}"; do
    ts=$SECONDS
    tag="localhost/gatehouse/$s:dockerfile-$$"
    buildah "${STORE[@]}" bud --isolation chroot --layers=false --build-arg "BASE=$base" -f "docker/$s/Dockerfile" \
      -t "$tag" . > "$INFRA_DIR/bud-$s.log" 2>&1 \
      || { tail -n 30 "$INFRA_DIR/bud-$s.log" >&2; die "docker/$s/Dockerfile does not build"; }
    service_env "$s"
    c="gatehouse-dockerfile-$s-$$"
    CONTAINERS+=("$c")
    "${PODMAN[@]}" run -d --name "$c" "${LIMITS[@]}" "${HARDENED[@]}" "${ENV[@]}" "$tag" > /dev/null
    ready="$(await_ready "$c" "$HEALTH_PORT")"
    "${PODMAN[@]}" stop -t 30 "$c" > /dev/null
    "${PODMAN[@]}" rm "$c" > /dev/null
    say "  docker/$s/Dockerfile: built and READY in $ready s, read-only root ($(since "$ts"))"
  done
  say "Dockerfile checks passed ($(since "$t0"))"
fi

# ---- optional: push -------------------------------------------------------------------------------------------------

if [[ -n "$PUSH_REGISTRY" ]]; then
  # the same inputs as the checked tars (offline base, trained cache), so the pushed images are the ones booted above
  say "pushing to $PUSH_REGISTRY/<service>:$VERSION"
  "${JIB[@]}" jib:build "${TRAINED[@]}" "-Dgatehouse.image.prefix=$PUSH_REGISTRY" || die "jib:build failed"
fi

say "done in $(since "$T_START")"
