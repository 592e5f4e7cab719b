#!/usr/bin/env bash
# hop quickstart: installs what is missing, builds, makes a throwaway PKI, starts the Tartu linn
# node (EHAK 0793) on loopback, loads demo data through hopctl and shows it.
#   deploy/quickstart.sh           set up and leave the node running
#   deploy/quickstart.sh stop      stop the node started here
# Work directory: $HOP_QUICKSTART_DIR (default /tmp/hop-quickstart); it is wiped first.
# The PKI made here is for trying hop out only: never use it for real data.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${HOP_QUICKSTART_DIR:-/tmp/hop-quickstart}"
build="${HOP_BUILD_DIR:-$root/build}"
api_port="${HOP_QUICKSTART_PORT:-17443}"
code=0793

stop_node() {
  if [ -f "$work/hopd.pid" ] && kill -0 "$(cat "$work/hopd.pid")" 2>/dev/null; then
    kill -TERM "$(cat "$work/hopd.pid")"
    for _ in $(seq 50); do kill -0 "$(cat "$work/hopd.pid")" 2>/dev/null || break; sleep 0.1; done
    echo "quickstart: node stopped"
  fi
  rm -f "$work/hopd.pid"
}
if [ "${1:-}" = "stop" ]; then stop_node; exit 0; fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1/6 Packages and build"
"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target hopd hopctl
hopd="$build/daemon/hopd"
hopctl_bin="$build/client/hopctl"

step "2/6 Throwaway PKI in $work/pki"
stop_node
rm -rf "$work"
mkdir -p "$work"
pki="$work/pki"
"$root/certs/hop-pki" init "$pki" >/dev/null
"$root/certs/hop-pki" node "$pki" "$code" --dns localhost --ip 127.0.0.1 >/dev/null
users=(it-admin juhan tiina peeter kati mari)
for u in "${users[@]}"; do "$root/certs/hop-pki" staff "$pki" "$code" "$u" >/dev/null; done
echo "CA, node certificate for $code and staff certificates for: ${users[*]}"

# One hopctl config file per demo user, so anyone can try: HOPCTL_CONFIG=$work/mari.conf hopctl ...
for u in "${users[@]}"; do
  cat >"$work/$u.conf" <<CONF
server = 127.0.0.1:$api_port
ca = $pki/ca/ca.pem
cert = $pki/staff/$code/$u/staff.pem
key = $pki/staff/$code/$u/staff.key
CONF
done
as() { local u="$1"; shift; HOPCTL_CONFIG="$work/$u.conf" "$hopctl_bin" "$@"; }

step "3/6 Start hopd for Tartu linn ($code) on 127.0.0.1:$api_port"
cat >"$work/hop.textproto" <<CONF
municipality: "$code"
data_dir: "$work/data"
api_listen: "127.0.0.1:$api_port"
tls { ca_cert: "$pki/ca/ca.pem" cert: "$pki/nodes/$code/node.pem" key: "$pki/nodes/$code/node.key" crl: "$pki/ca/crl.pem" }
bootstrap_admins: "it-admin"
CONF
"$hopd" --config "$work/hop.textproto" 2>"$work/hopd.log" &
echo $! >"$work/hopd.pid"
for _ in $(seq 100); do
  grep -q '"msg":"serving"' "$work/hopd.log" 2>/dev/null && break
  kill -0 "$(cat "$work/hopd.pid")" 2>/dev/null || { cat "$work/hopd.log"; exit 1; }
  sleep 0.1
done
grep -q '"msg":"serving"' "$work/hopd.log" || { echo "hopd did not start:"; cat "$work/hopd.log"; exit 1; }
echo "hopd is serving (log: $work/hopd.log)"

step "4/6 Users and contact directory"
as it-admin user add juhan --role network-leader --name "Juhan Juurikas" >/dev/null
as it-admin user add tiina --role case-manager --name "Tiina Tamm" >/dev/null
as it-admin user add peeter --role child-protection --name "Peeter Pihlakas" >/dev/null
school=$(as juhan --json directory institution add --name "Tartu Kesklinna Kool" --kind school \
  --ownership municipal --municipality "$code" | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
kinder=$(as juhan --json directory institution add --name "Lasteaed Pääsupesa" --kind kindergarten \
  --ownership municipal --municipality "$code" | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
as juhan directory contact add --institution "$school" --name "Kati Kask" --role "HEVKO" \
  --phone "+372 5555 0101" --email kati.kask@kool.example --age-level school \
  --topic "learning support" --topic "transitions" >/dev/null
as juhan directory contact add --institution "$kinder" --name "Liis Lepp" --role "AEVKO" \
  --phone "+372 5555 0102" --age-level kindergarten --topic "speech" >/dev/null
as it-admin user add kati --role coordinator --name "Kati Kask" --institution "$school" >/dev/null
as it-admin user add mari --role teacher --name "Mari Maasikas" --institution "$school" >/dev/null
as it-admin user list

step "5/6 Demo cases and consents"
c1=$(as mari --json case open --child 60001019906 --name "Demo Laps Üks" --level school \
  --institution "$school" --need reading --reason "falls behind in reading" | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
as kati case escalate "$c1" --to II --reason "teacher's measures not enough" >/dev/null
as kati case escalate "$c1" --to III --reason "needs services from the municipality" >/dev/null
as tiina case assign "$c1" --case-manager tiina >/dev/null
as tiina case service "$c1" --type "speech therapy" --provider "Rajaleidja Tartu" \
  --municipality 0171 --start 2026-09-01 --end 2026-12-20 --transport-payment "paid by 0793" >/dev/null
as tiina case relate "$c1" --registered 0171 --actual 0171,0793 >/dev/null
as tiina consent grant --child 60001019906 --guardian 49403136526 --to 0171 \
  --scope summary,contact,services --purpose "coordinate support with Elva" --until 2027-06-30 >/dev/null
c2=$(as mari --json case open --child 49403136526 --name "Demo Laps Kaks" --level school \
  --institution "$school" --need "behaviour" | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
as mari case protect "$c2" --reason "signs of neglect" >/dev/null
echo "opened $c1 (stage III, services, consent for Elva) and $c2 (child-protection track)"

step "6/6 What each person sees"
echo "-- case manager tiina: case list"
as tiina case list
echo "-- child-protection specialist peeter: case list"
as peeter case list
echo "-- teacher mari: case list (stage I of her school only; both of hers have moved on)"
as mari case list
echo "-- case manager tiina: consents"
as tiina consent list
echo "-- network leader juhan: directory and counts (no personal data)"
as juhan directory search --municipality "$code"
as juhan case counts
echo "-- network leader juhan asking for a case is refused:"
as juhan case get "$c1" || true
echo "-- node status"
as it-admin status

cat <<MSG

The node keeps running. Try it yourself, e.g.
  HOPCTL_CONFIG=$work/tiina.conf $hopctl_bin case get $c1
  HOPCTL_CONFIG=$work/mari.conf  $hopctl_bin --help
Stop it with: $root/deploy/quickstart.sh stop
MSG
