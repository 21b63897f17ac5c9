#!/usr/bin/env bash
# Release check (run by .ci/run, or `npm run release:check`): what a new user, CI and the image build do, from a
# fresh clone of the committed tree (uncommitted changes are not seen).
#   1. clone into a temporary folder, `npm ci` (no EBADENGINE, no unreviewed install scripts), `git status` clean,
#      and still clean after a plain `npm install`;
#   2. the Dockerfile: `docker build` when a daemon answers, otherwise its steps in a fresh folder (the RUN steps
#      below must equal the Dockerfile's): build with dev dependencies, prune; dist/ and node_modules/ hold only
#      what runs;
#   3. the image's command (`node --max-semi-space-size=16 dist/src/main.js`) with nothing configured until
#      /api/healthz answers, then a restart; the image's own
#      settings with the image's health check, for the api and the worker role;
#   4. `npm start` in the clone: builds once, loads .env without overriding the environment, and a restart does
#      not recompile.
# Prints the install, build, first-start and restart times.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=tools/use-node.sh
. "$ROOT/tools/use-node.sh"

# The Dockerfile's RUN steps, in order; step 2 runs exactly these.
BUILD_STEPS=("npm ci --no-audit --no-fund" "npm run build && npm prune --omit=dev && rm -rf dist/.tsbuildinfo")
RUNTIME_STEPS=("mkdir -p /data && chown node:node /data")

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hub-release-XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '==> %s\n' "$*"; }
fail() { printf 'release check FAILED: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
since() { echo "$(( $(now_ms) - $1 )) ms"; }
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
port_free() { node -e 'const s = require("net").createServer().once("error", () => process.exit(1)).listen(Number(process.argv[1]), "127.0.0.1", () => s.close())' "$1"; }
healthy() { node -e 'fetch(process.argv[1] + "/api/healthz").then(async (r) => process.exit(r.ok && (await r.json()).status === "ok" ? 0 : 1), () => process.exit(1))' "$1"; }

# start NAME DIR LOG COMMAND...: starts COMMAND in DIR in its own process group; its pid is in $STARTED.
start() {
  local dir="$2" out="$3"
  shift 3
  (cd "$dir" && exec setsid "$@" >"$out" 2>&1) &
  STARTED=$!
  PIDS+=("$STARTED")
}
# wait_healthy URL PID LOG [SECONDS]: polls /api/healthz until it answers (90 s at most, or until the process exits).
wait_healthy() {
  local limit="${4:-90}"
  local deadline=$(( $(now_ms) + limit * 1000 ))
  until healthy "$1"; do
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; fail "the process exited before $1/api/healthz answered"; }
    [ "$(now_ms)" -lt "$deadline" ] || { cat "$3" >&2; fail "$1/api/healthz did not answer within $limit s"; }
    sleep 0.1
  done
}
# stop PID: SIGTERM to the process group, waits for the exit.
stop() {
  kill -TERM -- "-$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

log "release check of $(git -C "$ROOT" rev-parse --short HEAD) in $WORK"

# 1. Fresh clone, npm ci, clean tree.
git clone --quiet "$ROOT" "$WORK/repo"
cd "$WORK/repo"
t=$(now_ms)
npm ci --no-audit --no-fund >"$WORK/npm-ci.log" 2>&1 || { cat "$WORK/npm-ci.log" >&2; fail "npm ci failed on the committed lock"; }
install_time=$(since "$t")
if grep -E 'EBADENGINE|install-scripts' "$WORK/npm-ci.log" >&2; then fail "npm ci warned (above)"; fi
[ -z "$(git status --porcelain)" ] || { git status --short >&2; fail "npm ci left the clone dirty"; }
npm install --no-audit --no-fund >"$WORK/npm-install.log" 2>&1 || { cat "$WORK/npm-install.log" >&2; fail "npm install failed"; }
[ -z "$(git status --porcelain)" ] || { git status --short >&2; git diff --stat >&2; fail "npm install changed the clone"; }
[ "$(node_modules/.bin/node -v)" = "v$(node -p 'require("./package.json").devDependencies.node')" ] || fail "node_modules/.bin/node is not the pinned Node"
log "npm ci: $install_time; the tree stays clean after npm ci and npm install"

# 2. The image.
mapfile -t dockerfile_runs < <(sed -n 's/^RUN //p' Dockerfile)
expected_runs=("${BUILD_STEPS[@]}" "${RUNTIME_STEPS[@]}")
[ "${dockerfile_runs[*]}" = "${expected_runs[*]}" ] || fail "the Dockerfile's RUN steps (${dockerfile_runs[*]}) differ from this script's (${expected_runs[*]})"
! grep -q '\\$' Dockerfile || fail "continuation lines in the Dockerfile are not supported here"
mapfile -t image_env < <(sed -n 's/^ENV //p' Dockerfile | tr ' ' '\n')
healthcheck_cmd="$(sed -n 's/^HEALTHCHECK .*CMD \(\[.*\]\)$/\1/p' Dockerfile)"
[ -n "$healthcheck_cmd" ] || fail "the Dockerfile has no exec-form HEALTHCHECK"
mapfile -t healthcheck < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a)' "$healthcheck_cmd")
# The image's command (exec form), run below as the image runs it: Node, its flags, dist/src/main.js.
image_cmd_json="$(sed -n 's/^CMD \(\[.*\]\)$/\1/p' Dockerfile)"
[ -n "$image_cmd_json" ] || fail "the Dockerfile has no exec-form CMD"
mapfile -t image_cmd < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a)' "$image_cmd_json")
[ "${image_cmd[0]}" = node ] && [ "${image_cmd[-1]}" = dist/src/main.js ] || fail "the image's CMD (${image_cmd[*]}) does not run node dist/src/main.js"

if docker info >/dev/null 2>&1; then
  log "docker build"
  t=$(now_ms)
  docker build --quiet -t "hub-release-check:$$" . >/dev/null
  log "image built: $(since "$t")"
  port=$(free_port)
  cid=$(docker run -d --rm -p "127.0.0.1:$port:3000" -e "ENCRYPTION_KEYS=k1:$(openssl rand -base64 32)" "hub-release-check:$$")
  deadline=$(( $(now_ms) + 60000 ))
  until healthy "http://127.0.0.1:$port"; do [ "$(now_ms)" -lt "$deadline" ] || { docker logs "$cid" >&2; fail "the container did not answer"; }; sleep 0.2; done
  docker exec "$cid" "${healthcheck[@]}" || fail "the image's health check failed in the container"
  docker rm -f "$cid" >/dev/null
  docker image rm "hub-release-check:$$" >/dev/null
fi

# Compose, where a compose client is installed (it needs no daemon to render the file).
compose=()
if docker compose version >/dev/null 2>&1; then compose=(docker compose); elif command -v docker-compose >/dev/null 2>&1; then compose=(docker-compose); fi
if [ ${#compose[@]} -gt 0 ]; then
  mkdir -p "$WORK/compose" && cp docker-compose.yml "$WORK/compose/" && : >"$WORK/compose/.env"
  if (cd "$WORK/compose" && "${compose[@]}" config >/dev/null 2>&1); then fail "compose accepts a .env without POSTGRES_PASSWORD, ENCRYPTION_KEYS and SITE_URL"; fi
  printf 'POSTGRES_PASSWORD=%s\nENCRYPTION_KEYS=k1:%s\nSITE_URL=https://hub.example.test\n' "$(openssl rand -hex 12)" "$(openssl rand -base64 32)" >"$WORK/compose/.env"
  rendered="$(cd "$WORK/compose" && "${compose[@]}" config)" || fail "compose rejects a complete .env"
  grep -q '127.0.0.1:3000:3000' <<<"$rendered" || fail "compose publishes the API beyond loopback by default"
  [ "$(grep -c 'restart: unless-stopped' <<<"$rendered")" = 4 ] || fail "every compose service needs a restart policy"
  grep -q 'SITE_URL: https://hub.example.test' <<<"$rendered" || fail "compose does not pass SITE_URL"
  log "compose: refuses to start without its required settings; API on loopback; every service restarts"
else
  log "compose: no compose client here, file not rendered"
fi

# Without a daemon (and as a second opinion with one): the Dockerfile's steps in fresh folders, one per stage,
# from a context that holds only committed files (no node_modules, no dist).
log "the Dockerfile's steps in a fresh folder"
mkdir -p "$WORK/context" && git archive HEAD | tar -x -C "$WORK/context"
stage=""
workdir=""
t=$(now_ms)
while read -r instruction rest; do
  case "$instruction" in
    FROM)
      name="$(sed -n 's/.* AS \([a-z0-9_-]*\)$/\1/p' <<<"$rest")"
      stage="$WORK/stage-${name:-final}"
      mkdir -p "$stage"
      ;;
    WORKDIR) workdir="$stage$rest"; mkdir -p "$workdir" ;;
    COPY)
      read -r -a args <<<"$rest"
      from="$WORK/context"
      if [[ "${args[0]}" == --from=* ]]; then from="$WORK/stage-${args[0]#--from=}"; args=("${args[@]:1}"); fi
      dest="${args[-1]}"
      for src in "${args[@]:0:${#args[@]}-1}"; do
        [[ "$src" == /* ]] && src_path="$from$src" || src_path="$from/$src"
        [[ "$dest" == /* ]] && dest_path="$stage$dest" || dest_path="$workdir/$dest"
        if [[ "$dest" == */ ]]; then mkdir -p "$dest_path"; cp -a "$src_path" "$dest_path"; else mkdir -p "$(dirname "$dest_path")"; cp -a "$src_path" "$dest_path"; fi
      done
      ;;
    RUN)
      if [ "$stage" = "$WORK/stage-build" ]; then
        (cd "$workdir" && bash -c "$rest") >"$WORK/build-step.log" 2>&1 || { cat "$WORK/build-step.log" >&2; fail "image build step failed: $rest"; }
        if grep -E 'EBADENGINE|install-scripts' "$WORK/build-step.log" >&2; then fail "image build step warned (above): $rest"; fi
      fi
      # The runtime stage's step makes the image's /data; here each start below gets its own DATA_DIR.
      ;;
  esac
done < <(grep -E '^(FROM|WORKDIR|COPY|RUN) ' Dockerfile)
build_time=$(since "$t")
app="$WORK/stage-final/app"
[ -f "$app/dist/src/main.js" ] || fail "the image has no dist/src/main.js"
unexpected="$(cd "$app/dist" && find . -mindepth 1 -maxdepth 1 ! -name src ! -name 'ormconfig.js' ! -name 'ormconfig.js.map' -print)"
[ -z "$unexpected" ] || fail "dist/ holds more than what runs: $unexpected"
stray="$(cd "$app/dist" && find . \( -name '*.spec.js' -o -name '*.e2e-spec.js' -o -path '*/test/*' -o -path '*/bench/*' -o -path '*/tools/*' \) -print | head -5)"
[ -z "$stray" ] || fail "dist/ holds tests, fakes or tools: $stray"
# (typescript stays: npm keeps it as an optional peer of @nestjs/swagger, whose CLI plugin is not loaded at run time.)
for dev in jest @swc/core eslint @nestjs/testing autocannon node; do [ ! -e "$app/node_modules/$dev" ] || fail "the image keeps the dev dependency $dev"; done
log "image steps: $build_time (dist/ holds src/ and ormconfig.js only; dev dependencies pruned)"

# 3. Start the image's tree with its command and nothing configured (port 3000 unless another process holds it here).
port=3000
port_free "$port" || port=$(free_port)
nothing=(env -i "PATH=$PATH" "HOME=$WORK")
[ "$port" = 3000 ] || nothing+=("PORT=$port")
t=$(now_ms)
start plain "$app" "$WORK/plain.log" "${nothing[@]}" "${image_cmd[@]}"
wait_healthy "http://127.0.0.1:$port" "$STARTED" "$WORK/plain.log"
first_start=$(since "$t")
grep -q 'API key (shown once' "$WORK/plain.log" || fail "the first start printed no bootstrap key"
stop "$STARTED"
t=$(now_ms)
start plain "$app" "$WORK/plain-restart.log" "${nothing[@]}" "${image_cmd[@]}"
wait_healthy "http://127.0.0.1:$port" "$STARTED" "$WORK/plain-restart.log"
restart=$(since "$t")
stop "$STARTED"
log "${image_cmd[*]}, nothing configured: first start $first_start, restart $restart (until /api/healthz answers)"

# The image's ENV, with what production requires (ENCRYPTION_KEYS), a free port, loopback and a DATA_DIR here.
keys="k1:$(node -p 'require("crypto").randomBytes(32).toString("base64")')"
for role in api worker; do
  port=$(free_port)
  mkdir -p "$WORK/data-$role"
  start "$role" "$app" "$WORK/$role.log" env -i "PATH=$PATH" "HOME=$WORK" "${image_env[@]}" "HUB_ROLE=$role" "ENCRYPTION_KEYS=$keys" "PORT=$port" HOST=127.0.0.1 "DATA_DIR=$WORK/data-$role" "${image_cmd[@]}"
  wait_healthy "http://127.0.0.1:$port" "$STARTED" "$WORK/$role.log"
  (cd "$app" && env "PORT=$port" "${healthcheck[@]}") || fail "the image's health check failed for HUB_ROLE=$role"
  stop "$STARTED"
  if (cd "$app" && env "PORT=$port" "${healthcheck[@]}"); then fail "the image's health check passed with nothing listening"; fi
done
log "image settings: the health check passes for HUB_ROLE=api and HUB_ROLE=worker, and fails when nothing listens"

# 4. npm start in the clone: .env is read, the environment wins, the second start does not recompile.
port=$(free_port)
sed -e 's/^BOOTSTRAP_EMAIL=.*/BOOTSTRAP_EMAIL=release-check@example.test/' -e 's/^PORT=.*/PORT=1/' .env.example >.env
t=$(now_ms)
start npm "$WORK/repo" "$WORK/npm-start.log" env "PORT=$port" npm start
wait_healthy "http://127.0.0.1:$port" "$STARTED" "$WORK/npm-start.log" 300
npm_first=$(since "$t")
grep -q 'owner release-check@example.test' "$WORK/npm-start.log" || { cat "$WORK/npm-start.log" >&2; fail "npm start did not read .env"; }
stop "$STARTED"
built_at=$(stat -c %Y dist/src/main.js)
sleep 1 # so a recompile would show in the file's modification time (whole seconds)
t=$(now_ms)
start npm "$WORK/repo" "$WORK/npm-restart.log" env "PORT=$port" npm start
wait_healthy "http://127.0.0.1:$port" "$STARTED" "$WORK/npm-restart.log"
npm_restart=$(since "$t")
stop "$STARTED"
[ "$(stat -c %Y dist/src/main.js)" = "$built_at" ] || fail "npm start recompiled an up-to-date tree"
log "npm start in a fresh clone: first start (build included) $npm_first, restart (no recompile) $npm_restart; .env read, the environment wins"

log "release check passed: npm ci $install_time, image steps $build_time, first start $first_start, restart $restart"
