#!/usr/bin/env bash
# hop quickstart: the whole Tartu County federation on one machine. Installs what is missing,
# builds hopd and hopctl, makes a throwaway PKI, starts the eight municipalities' nodes on
# loopback (every node a peer of the seven others), loads a demo county through hopctl
# (deploy/demo/county.sh), syncs every node and shows what a case manager and a
# child-protection specialist find about a child of another municipality, the directory that
# reaches every node, and every node's peer status. Every node also serves the staff console
# (HTTPS, sign-in with a client certificate): each demo person gets a .p12 to import into a
# browser, and the end of the run says how.
#
#   deploy/quickstart.sh           set up and leave the eight nodes running
#   deploy/quickstart.sh stop      stop the nodes started here (safe to repeat)
#
# Environment:
#   HOP_QUICKSTART_DIR   work directory (default /tmp/hop-quickstart); wiped first
#   HOP_BUILD_DIR        cmake build directory (default <repository>/build)
#   HOP_QUICKSTART_PORT  first port (default 17443). Node i (0..7: 0793 0171 0283 0291 0432
#                        0528 0586 0796) serves its staff on PORT+2i, its peers on PORT+2i+1,
#                        Prometheus metrics on PORT+16+i and the staff console (https) on
#                        PORT+24+i
#   HOP_QUICKSTART_SKIP_BUILD=1   use the hopd, hopctl and console already built in HOP_BUILD_DIR
# Work directory: pki/ (CA, node and staff certificates, and each person's staff.p12 for a
# browser), p12-password.txt (the password of every .p12), and per municipality <EHAK>/ with
# hop.textproto, data/, hopd.log, hopd.pid and one hopctl config per demo user, <user>.conf;
# ops.conf: an ops certificate's hopctl config listing all eight nodes (federation status).
# The PKI made here is for trying hop out only: never use it for real data.
set -euo pipefail
shopt -s inherit_errexit
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${HOP_QUICKSTART_DIR:-/tmp/hop-quickstart}"
case "$work" in /*) ;; *) work="$PWD/$work" ;; esac
work="${work%/}"
[ -n "$work" ] || { echo "quickstart: HOP_QUICKSTART_DIR must not be /" >&2; exit 2; }
build="${HOP_BUILD_DIR:-$root/build}"
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac
base_port="${HOP_QUICKSTART_PORT:-17443}"
hopd="$build/daemon/hopd"
hopctl_bin="$build/client/hopctl"
console_dist="$build/client/console/dist"
mode="${1:-start}"
stop_cmd="$root/deploy/quickstart.sh stop"
[ "$work" = /tmp/hop-quickstart ] || stop_cmd="HOP_QUICKSTART_DIR=$work $stop_cmd"

# shellcheck source=deploy/demo/county.sh
source "$root/deploy/demo/county.sh"
# shellcheck source=deploy/demo/figures.sh
source "$root/deploy/demo/figures.sh"

if [ -t 1 ]; then bold=$'\033[1m'; dim=$'\033[2m'; cyan=$'\033[36m'; off=$'\033[0m'
else bold=""; dim=""; cyan=""; off=""; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
say() { printf '%s\n' "$*"; }
note() { printf '\n%s# %s%s\n' "$dim" "$*" "$off"; }
# "EHAK Name" padded to a column (counting characters, not bytes, whatever the locale).
muni() {
  local LC_ALL=C.UTF-8
  local s="$1 ${MUNI_NAME[$1]}"
  printf '%s%*s' "$s" $((21 - ${#s})) ""
}
warn() { printf 'quickstart: WARNING: %s\n' "$*" >&2; problems=$((problems + 1)); }
problems=0

# --- stopping ------------------------------------------------------------------------------
# True iff process $1 is a hopd running with config file $2 (a pid file may be stale).
is_hopd_with() {
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "--config $2 "
}
# Stops every node whose pid file is in the work directory: SIGTERM to all, then waits up to
# 15 s for each and kills what is left. Stale pid files are removed. Safe to repeat.
stop_all() {
  local e pidfile config pid
  local -a names=() pids=()
  for e in "${COUNTY[@]}" legacy; do
    pidfile="$work/$e/hopd.pid" config="$work/$e/hop.textproto"
    # The single-node quickstart of before kept its files in the work directory itself.
    [ "$e" != legacy ] || { pidfile="$work/hopd.pid"; config="$work/hop.textproto"; }
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_hopd_with "$pid" "$config"; then
      kill -TERM "$pid" 2>/dev/null || true
      names+=("$e") pids+=("$pid")
    fi
    rm -f "$pidfile"
  done
  if [ "${#pids[@]}" -eq 0 ]; then
    say "quickstart: no node of $work is running"
    return 0
  fi
  for _ in $(seq 150); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 1 ] || break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      kill -KILL "${pids[$i]}" 2>/dev/null || true
      say "quickstart: ${names[$i]}: pid ${pids[$i]} did not stop within 15 s; killed"
    fi
  done
  say "quickstart: stopped ${names[*]} (pids ${pids[*]})"
}

case "$mode" in
  stop) stop_all; exit 0 ;;
  start) ;;
  -h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [stop]" >&2; exit 2 ;;
esac

if ! [[ "$base_port" =~ ^[0-9]+$ ]] || [ "$base_port" -lt 1024 ] || [ "$base_port" -gt 65504 ]; then
  echo "quickstart: HOP_QUICKSTART_PORT=$base_port: expected a port from 1024 to 65504" >&2
  exit 2
fi

# --- failing loudly ------------------------------------------------------------------------
on_exit() {
  local rc=$? e pidfile
  [ "$rc" -ne 0 ] || return 0
  printf '\nquickstart: FAILED (exit %s)\n' "$rc" >&2
  for e in "${COUNTY[@]}"; do
    pidfile="$work/$e/hopd.pid"
    if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      printf -- '--- node %s (%s) is not running; the end of %s:\n' \
        "$e" "${MUNI_NAME[$e]}" "$work/$e/hopd.log" >&2
      tail -n 20 "$work/$e/hopd.log" >&2 || true
    fi
  done
  for e in "${COUNTY[@]}"; do
    pidfile="$work/$e/hopd.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "quickstart: the nodes still running are left for a look; stop them with: $stop_cmd" >&2
      break
    fi
  done
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs hopctl as user $2 of node $1; says which call failed.
as() {
  local e="$1" u="$2"
  shift 2
  if ! HOPCTL_CONFIG="$work/$e/$u.conf" "$hopctl_bin" "$@"; then
    echo "quickstart: FAILED: hopctl $* (as $u at $e ${MUNI_NAME[$e]})" >&2
    return 1
  fi
}
# The top-level "id" of hopctl --json output on stdin.
new_id() {
  local id
  id="$(sed -n 's/^ "id": *"\([^"]*\)".*/\1/p')"
  id="${id%%$'\n'*}"
  [ -n "$id" ] || { echo "quickstart: no id in hopctl's answer" >&2; return 1; }
  printf '%s\n' "$id"
}
role_of() {
  local e="$1" u="$2" line
  if [ "$u" = it-admin ]; then echo "admin"
  elif [ "$u" = "$(cm_id "$e")" ]; then echo "case manager"
  elif [ "$u" = "$(cp_id "$e")" ]; then echo "child-protection specialist"
  else
    for line in "${INSTITUTION_STAFF[@]}"; do
      if [ "$(field "$line" 0)" = "$e" ] && [ "$(field "$line" 1)" = "$u" ]; then
        field "$line" 2; echo; return 0
      fi
    done
    echo "staff"
  fi
}
# Shows a hopctl call and its answer as user $2 of node $1; an error is reported, not fatal.
show() {
  local e="$1" u="$2" arg shown=""
  shift 2
  for arg in "$@"; do
    if [[ "$arg" == *" "* || -z "$arg" ]]; then shown+=" \"$arg\""; else shown+=" $arg"; fi
  done
  printf '%s[%s %s: %s, %s]%s $ hopctl%s\n' "$cyan" "$e" "${MUNI_NAME[$e]}" "$u" \
    "$(role_of "$e" "$u")" "$off" "$shown"
  HOPCTL_CONFIG="$work/$e/$u.conf" "$hopctl_bin" "$@" || warn "the call above failed (exit $?)"
}

declare -A API_PORT FED_PORT METRICS_PORT CONSOLE_PORT
i=0
for e in "${COUNTY[@]}"; do
  API_PORT[$e]=$((base_port + 2 * i))
  FED_PORT[$e]=$((base_port + 2 * i + 1))
  METRICS_PORT[$e]=$((base_port + 16 + i))
  CONSOLE_PORT[$e]=$((base_port + 24 + i))
  i=$((i + 1))
done
started_at=$SECONDS

# --- 1 -------------------------------------------------------------------------------------
step "1/8 Packages and build (hopd, hopctl and the staff console in $build)"
if [ "${HOP_QUICKSTART_SKIP_BUILD:-0}" = 1 ]; then
  say "HOP_QUICKSTART_SKIP_BUILD=1: using the programs already built"
else
  "$root/deploy/install-deps.sh"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j"$(nproc)" --target hopd hopctl console
fi
for p in "$hopd" "$hopctl_bin"; do
  [ -x "$p" ] || { echo "quickstart: $p is missing; build it first" >&2; exit 1; }
done
[ -f "$console_dist/index.html" ] ||
  { echo "quickstart: $console_dist/index.html is missing; build the console first (cmake --build $build --target console)" >&2; exit 1; }

# --- 2 -------------------------------------------------------------------------------------
step "2/8 Throwaway PKI in $work/pki"
stop_all
if [ -d "$work" ] && [ ! -f "$work/.hop-quickstart" ] && [ ! -d "$work/pki/ca" ] &&
   [ -n "$(ls -A "$work")" ]; then
  echo "quickstart: $work is not empty and was not made by quickstart: not wiping it" \
       "(set HOP_QUICKSTART_DIR to another directory)" >&2
  exit 1
fi
rm -rf "$work"
mkdir -p "$work"
touch "$work/.hop-quickstart"
pki="$work/pki"
"$root/certs/hop-pki" init "$pki" >/dev/null
say "CA: $pki/ca/ca.pem"
# One password for every demo person's .p12 (the browser asks for it on import).
p12_password_file="$work/p12-password.txt"
(umask 077 && printf 'demo-%s\n' "$(openssl rand -hex 4)" >"$p12_password_file")
p12_password="$(cat "$p12_password_file")"
for e in "${COUNTY[@]}"; do
  mkdir -p "$work/$e"
  "$root/certs/hop-pki" node "$pki" "$e" --dns localhost --ip 127.0.0.1 >/dev/null
  mapfile -t users < <(county_users_of "$e")
  for u in "${users[@]}"; do
    "$root/certs/hop-pki" staff "$pki" "$e" "$u" >/dev/null
    "$root/certs/hop-pki" p12 "$pki" staff "$e" "$u" --password-file "$p12_password_file" >/dev/null
    # One hopctl config per demo user: HOPCTL_CONFIG=$work/<EHAK>/<user>.conf hopctl ...
    cat >"$work/$e/$u.conf" <<CONF
# hopctl config of $u at $e ${MUNI_NAME[$e]} (quickstart demo)
server = 127.0.0.1:${API_PORT[$e]}
ca = $pki/ca/ca.pem
crl = $pki/ca/crl.pem
cert = $pki/staff/$e/$u/staff.pem
key = $pki/staff/$e/$u/staff.key
CONF
  done
  say "$(muni "$e") node certificate; staff certificates: ${users[*]}"
done
# The county's operations team: one ops certificate, every node listed (federation status).
"$root/certs/hop-pki" ops "$pki" 0793 monitor >/dev/null
"$root/certs/hop-pki" p12 "$pki" ops 0793 monitor --password-file "$p12_password_file" >/dev/null
{
  echo "# hopctl config of the ops certificate 0793/monitor: node state only, no personal data"
  echo "ca = $pki/ca/ca.pem"
  echo "crl = $pki/ca/crl.pem"
  echo "cert = $pki/ops/0793/monitor/ops.pem"
  echo "key = $pki/ops/0793/monitor/ops.key"
  for e in "${COUNTY[@]}"; do echo "node = $e 127.0.0.1:${API_PORT[$e]}"; done
} >"$work/ops.conf"
say "hopctl configs: $work/<EHAK>/<user>.conf; ops (all eight nodes): $work/ops.conf"
say "browser certificates: $pki/staff/<EHAK>/<user>/staff.p12 (password $p12_password)"

# --- 3 -------------------------------------------------------------------------------------
step "3/8 Start the eight nodes on 127.0.0.1 (ports $base_port-$((base_port + 31)))"
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for e in "${COUNTY[@]}"; do
  for port in "${API_PORT[$e]}" "${FED_PORT[$e]}" "${METRICS_PORT[$e]}" "${CONSOLE_PORT[$e]}"; do
    if port_busy "$port"; then
      echo "quickstart: 127.0.0.1:$port is already in use (another quickstart with another" \
           "HOP_QUICKSTART_DIR?); stop it or set HOP_QUICKSTART_PORT" >&2
      exit 1
    fi
  done
  {
    echo "# hopd configuration of $e ${MUNI_NAME[$e]}, made by deploy/quickstart.sh"
    echo "municipality: \"$e\""
    echo "data_dir: \"$work/$e/data\""
    echo "api_listen: \"127.0.0.1:${API_PORT[$e]}\""
    echo "federation_listen: \"127.0.0.1:${FED_PORT[$e]}\""
    echo "metrics_listen: \"127.0.0.1:${METRICS_PORT[$e]}\""
    echo "console_listen: \"127.0.0.1:${CONSOLE_PORT[$e]}\"  # the staff console (https)"
    echo "console { static_dir: \"$console_dist\" }"
    echo "backup_dir: \"$work/$e/backups\""
    echo "tls { ca_cert: \"$pki/ca/ca.pem\" cert: \"$pki/nodes/$e/node.pem\"" \
         "key: \"$pki/nodes/$e/node.key\" crl: \"$pki/ca/crl.pem\" }"
    echo 'sync { nightly_at: "02:30" jitter_minutes: 30 }'
    echo 'bootstrap_admins: "it-admin"'
    for peer in "${COUNTY[@]}"; do
      [ "$peer" = "$e" ] && continue
      echo "peers { municipality: \"$peer\" address: \"127.0.0.1:${FED_PORT[$peer]}\" }  # ${MUNI_NAME[$peer]}"
    done
  } >"$work/$e/hop.textproto"
  "$hopd" --config "$work/$e/hop.textproto" --check_config >/dev/null
done
for e in "${COUNTY[@]}"; do
  # nohup: the nodes outlive this terminal; stdin from /dev/null.
  nohup "$hopd" --config "$work/$e/hop.textproto" </dev/null >"$work/$e/hopd.log" 2>&1 &
  echo $! >"$work/$e/hopd.pid"
done
deadline=$((SECONDS + 30))
for e in "${COUNTY[@]}"; do
  until grep -q '"msg":"serving"' "$work/$e/hopd.log" 2>/dev/null; do
    if ! kill -0 "$(cat "$work/$e/hopd.pid")" 2>/dev/null; then
      echo "quickstart: the node of $e ${MUNI_NAME[$e]} exited at start" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "quickstart: the node of $e ${MUNI_NAME[$e]} is not serving after 30 s;" \
           "the end of $work/$e/hopd.log:" >&2
      tail -n 20 "$work/$e/hopd.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  say "$(muni "$e") serving: staff 127.0.0.1:${API_PORT[$e]}, peers 127.0.0.1:${FED_PORT[$e]}, console https://127.0.0.1:${CONSOLE_PORT[$e]}/, pid $(cat "$work/$e/hopd.pid")"
done
say "configs $work/<EHAK>/hop.textproto, logs $work/<EHAK>/hopd.log"

if "$hopctl_bin" lookup --help >/dev/null 2>&1; then LOOKUP=yes; else LOOKUP=no; fi

# --- 4..6 ----------------------------------------------------------------------------------
step "4/8 Staff users (each node's it-admin registers its people)"
county_users

step "5/8 Contact directories (each node's case manager enters its own)"
county_directory

step "6/8 The demo county's children (cases and consents)"
county_cases
county_figures_data

# --- 7 -------------------------------------------------------------------------------------
step "7/8 Sync: every node pulls from its seven peers (hopctl sync, as it-admin)"
declare -A HELD
# One round of hopctl sync on every node; $1 = "show" prints a line per node. Sets HELD.
sync_round() {
  local e json ok
  for e in "${COUNTY[@]}"; do
    json="$(as "$e" it-admin --json sync)"
    ok="$(grep -c '"last_error": ""' <<<"$json" || true)"
    HELD[$e]="$(sed -n 's/.*"records_held": *"\{0,1\}\([0-9]*\).*/\1/p' <<<"$json" |
      awk '{ s += $1 } END { print s + 0 }')"
    [ "$1" != show ] || say "$(muni "$e") $ok/7 peers synced; holds ${HELD[$e]} records from them"
    if [ "$ok" -ne 7 ]; then
      warn "$e ${MUNI_NAME[$e]}: not every peer synced:"
      as "$e" it-admin peers >&2
    fi
  done
}
say "${dim}(5 directory entries from each peer, plus the case summaries that peer shares with it)$off"
sync_round show
declare -A HELD_BEFORE
for e in "${COUNTY[@]}"; do HELD_BEFORE[$e]="${HELD[$e]}"; done
sync_round quiet
for e in "${COUNTY[@]}"; do
  [ "${HELD[$e]}" = "${HELD_BEFORE[$e]}" ] ||
    warn "$e ${MUNI_NAME[$e]}: the second round changed what it holds (${HELD_BEFORE[$e]} -> ${HELD[$e]})"
done
say "A second round brings nothing new; with it every node learns how far its peers have read"
say "(peers acknowledge a position on their next pull: BEHIND 0 in the tables below)."

# --- 8 -------------------------------------------------------------------------------------
step "8/8 What each person sees"
if [ "$LOOKUP" = yes ]; then
  note "Kambja's case manager: Rasmus is registered here; is he known elsewhere?"
  show 0283 "$(cm_id 0283)" lookup --child "$A_CHILD" --purpose "Rasmus starts speech therapy in Kambja"
  note "Nõo's case manager: Lisete lives here every other week"
  show 0528 "$(cm_id 0528)" lookup --child "$B_CHILD" --purpose "the child lives every other week in Nõo"
  note "Kastre's child-protection specialist: Marten is registered in Kastre"
  show 0291 "$(cp_id 0291)" lookup --child "$D_CHILD" --purpose "child registered in Kastre"
  note "... and Luunja's child-protection contacts in the shared directory"
  show 0291 "$(cp_id 0291)" directory search --municipality 0432 --role lastekaitse
  note "Kastre's case manager, the same child: the child-protection basis is not for her"
  show 0291 "$(cm_id 0291)" lookup --child "$D_CHILD" --purpose "child registered in Kastre"
  note "Tartu vald's case manager: Sofia's consent was withdrawn, the copy is gone"
  show 0796 "$(cm_id 0796)" lookup --child "$C_CHILD" --purpose "the family has moved to Tartu vald"
else
  say "NOTE: this hopctl has no 'lookup' command yet (hopctl lookup --child ISIKUKOOD --purpose"
  say "      TEXT is being added). Skipping the cross-municipal lookups; the HELD column of the"
  say "      peers tables below shows what each node holds from the others."
fi
note "Kambja's case manager asks every node live (hopctl query), not waiting for the next sync"
show 0283 "$(cm_id 0283)" query --child "$A_CHILD" --purpose "Rasmus starts speech therapy in Kambja"
note "Tartu linn's case manager of Rasmus is told who asked (hopctl inbox)"
show 0793 tiina inbox
note "For a parent's request: every access to Rasmus's data at Kambja, in plain language"
show 0283 "$(cm_id 0283)" audit subject --child "$A_CHILD"
note "Tartu linn's audit trail: every entry chained to the one before"
show 0793 it-admin audit verify
note "Elva's directory has reached every node, e.g. Peipsiääre:"
show 0586 "$(cm_id 0586)" directory search --municipality 0171
note "The operations team's view of the whole county (an ops certificate: no personal data)"
HOPCTL_CONFIG="$work/ops.conf" "$hopctl_bin" federation status || warn "federation status failed (exit $?)"
note "The county's figures for its network leader: every node counts its own cases, cells of 1-4 hidden (<5)"
show 0793 "$FIGURES_LEADER" figures
note "... and as CSV for a spreadsheet (first lines)"
as 0793 "$FIGURES_LEADER" figures --csv >"$work/figures.csv"
head -n 6 "$work/figures.csv"
say "(all of it: $work/figures.csv)"
note "Every node's peers (HELD: directory entries and case summaries held from that peer)"
for e in "${COUNTY[@]}"; do
  show "$e" it-admin peers
  [ "$e" = "${COUNTY[-1]}" ] || say ""
done

# --- next ----------------------------------------------------------------------------------
# The staff console of every node, and how to sign in to it from a browser.
console_guide() {
  local e
  printf '\n%s== The staff console in a browser (Estonian first; English one click away)%s\n' "$bold" "$off"
  for e in "${COUNTY[@]}"; do
    say "  $(muni "$e") https://127.0.0.1:${CONSOLE_PORT[$e]}/   e.g. $(cm_id "$e"): $pki/staff/$e/$(cm_id "$e")/staff.p12"
  done
  cat <<GUIDE
  Sign in with a person's certificate: each demo person has a PKCS#12 file,
    $pki/staff/<EHAK>/<user>/staff.p12   (ops: $pki/ops/0793/monitor/ops.p12)
  all with the password ${bold}$p12_password$off (also in $p12_password_file). Open the console
  of that person's municipality (e.g. Kadri, case manager of Kambja: https://127.0.0.1:${CONSOLE_PORT[0283]}/;
  Tiina, Tartu linn: https://127.0.0.1:${CONSOLE_PORT[0793]}/; Mari, a teacher there: the same address).
  Firefox: Settings -> Privacy & Security -> Certificates -> View Certificates -> Your Certificates
           -> Import... -> the .p12 file and its password. Then, so the console's HTTPS is
           trusted: Authorities -> Import... -> $pki/ca/ca.pem, tick "Trust this CA to identify
           websites".
  Chrome:  Settings -> Privacy and security -> Security -> Manage certificates -> Import (Your
           certificates) -> the .p12 file and its password; trust $pki/ca/ca.pem under
           Authorities (Trusted certificates) for websites.
  Without trusting ca.pem the browser warns about the console's certificate: accept the warning
  for 127.0.0.1 (this demo only). The browser asks which certificate to use when it first
  connects; a page without one says how to sign in. The demo CA is throwaway: remove it and the
  .p12 certificates from the browser when done.
GUIDE
}

cat <<MSG

${bold}== The eight nodes keep running ($((SECONDS - started_at)) s). What to try next:$off
  export PATH="$build/client:\$PATH"
  # every demo user has a config file: ls $work/*/*.conf
  HOPCTL_CONFIG=$work/0283/$(cm_id 0283).conf hopctl lookup --child $A_CHILD --purpose "check"
  HOPCTL_CONFIG=$work/0793/tiina.conf hopctl case get $CASE_A
  HOPCTL_CONFIG=$work/0528/$(cm_id 0528).conf hopctl query --child $B_CHILD --purpose "check"
  HOPCTL_CONFIG=$work/0171/piret.conf hopctl inbox
  HOPCTL_CONFIG=$work/0793/tiina.conf hopctl audit subject --child $A_CHILD
  HOPCTL_CONFIG=$work/0432/$(cp_id 0432).conf hopctl case list
  HOPCTL_CONFIG=$work/0291/$(cp_id 0291).conf hopctl directory search --topic lastekaitse
  HOPCTL_CONFIG=$work/0796/it-admin.conf hopctl sync
  HOPCTL_CONFIG=$work/0793/it-admin.conf hopctl admin backup
  HOPCTL_CONFIG=$work/ops.conf hopctl federation status
  HOPCTL_CONFIG=$work/0793/$FIGURES_LEADER.conf hopctl figures --csv > figures.csv
  curl -s 127.0.0.1:${METRICS_PORT[0793]}/metrics | grep ^hop_peer_last_success
  hopctl --help
  logs: $work/<EHAK>/hopd.log   configs: $work/<EHAK>/hop.textproto
MSG
console_guide
say "Stop them all: $stop_cmd"
if [ "$problems" -gt 0 ]; then
  echo "quickstart: $problems problem(s) reported above" >&2
  exit 1
fi
