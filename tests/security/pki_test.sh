#!/usr/bin/env bash
# Tests certs/hop-pki end to end with the openssl CLI: issue every kind of certificate, check
# key modes, exact SANs, EKUs, chain and CRL verification, usage errors, request+sign, init twice.
# Usage: pki_test.sh PATH/TO/hop-pki    Prints "N passed, M failed"; exits 1 on any failure.
set -euo pipefail

PKI_BIN="${1:?usage: pki_test.sh PATH/TO/hop-pki}"
T="$(mktemp -d "${TMPDIR:-/tmp}/pki_test.XXXXXX")"
[[ "${HOP_KEEP_TMP:-0}" == 1 ]] || trap 'rm -rf "$T"' EXIT
D="$T/pki"
SP="spiffe://hop.tartumaa.ee/municipality"
PASSED=0 FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "ok   $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1" >&2; }
# check NAME COMMAND...: passes when COMMAND succeeds.
check() { local n="$1"; shift; if "$@" >"$T/out" 2>&1; then pass "$n"; else fail "$n"; sed 's/^/     /' "$T/out" >&2; fi; }
# check_rc NAME WANT COMMAND...: passes when COMMAND exits with status WANT.
check_rc() {
  local n="$1" want="$2" rc=0; shift 2
  "$@" >"$T/out" 2>&1 || rc=$?
  if [[ $rc == "$want" ]]; then pass "$n"; else fail "$n (exit $rc, want $want)"; sed 's/^/     /' "$T/out" >&2; fi
}
pki() { bash "$PKI_BIN" "$@"; }
mode_is() { [[ "$(stat -c %a "$2")" == "$1" ]] || { echo "$2 has mode $(stat -c %a "$2")"; return 1; }; }
# san_is CERT WANT: the certificate's subjectAltName line is exactly WANT.
san_is() {
  local got
  got="$(openssl x509 -in "$1" -noout -ext subjectAltName | sed -n '2s/^ *//p')"
  [[ "$got" == "$2" ]] || { echo "SAN of $1: got '$got', want '$2'"; return 1; }
}
eku_is() {
  local got
  got="$(openssl x509 -in "$1" -noout -ext extendedKeyUsage | sed -n '2s/^ *//p')"
  [[ "$got" == "$2" ]] || { echo "EKU of $1: got '$got', want '$2'"; return 1; }
}
cn_is() {
  local got
  got="$(openssl x509 -in "$1" -noout -subject -nameopt RFC2253)"
  [[ "$got" == "subject=CN=$2" ]] || { echo "subject of $1: got '$got', want CN=$2"; return 1; }
}
verifies() { openssl verify -CAfile "$D/ca/ca.pem" "$@"; }
verifies_crl() { openssl verify -crl_check -CAfile "$D/ca/ca.pem" -CRLfile "$D/ca/crl.pem" "$1"; }
not() { ! "$@"; }
key_matches() {  # key_matches KEY CERT
  [[ "$(openssl pkey -in "$1" -pubout)" == "$(openssl x509 -in "$2" -noout -pubkey)" ]]
}
tree_sum() { (cd "$1" && find . -printf '%p %s %T@\n' | sort | md5sum); }

# --- init ---
check "init creates the CA" pki init "$D"
check "ca.key is 0600" mode_is 600 "$D/ca/ca.key"
check "ca dir is 0700" mode_is 700 "$D/ca"
check "CA subject" cn_is "$D/ca/ca.pem" "hop federation CA"
check "CA basicConstraints CA:TRUE" bash -c "openssl x509 -in '$D/ca/ca.pem' -noout -ext basicConstraints | grep -q 'CA:TRUE'"
check "CA keyUsage" bash -c "openssl x509 -in '$D/ca/ca.pem' -noout -ext keyUsage | grep -q 'Certificate Sign, CRL Sign'"
check "CA database files" test -f "$D/ca/index.txt" -a -f "$D/ca/serial" -a -f "$D/ca/crlnumber"
check "initial CRL verifies and is empty" bash -c \
  "openssl crl -in '$D/ca/crl.pem' -CAfile '$D/ca/ca.pem' -noout -text 2>&1 | grep -q 'No Revoked Certificates'"
sum_before="$(tree_sum "$D")"
check_rc "init twice is refused" 1 pki init "$D"
check "init twice changed nothing" test "$sum_before" == "$(tree_sum "$D")"

# --- issue each kind ---
check "issue node" pki node "$D" 0793 --dns hop.tartu.ee --ip 127.0.0.1
check "issue staff" pki staff "$D" 0793 mari.maasikas
check "issue ops" pki ops "$D" 0793 prometheus
check "issue second staff" pki staff "$D" 0624 jaan-2
N="$D/nodes/0793/node" S="$D/staff/0793/mari.maasikas/staff" O="$D/ops/0793/prometheus/ops"
S2="$D/staff/0624/jaan-2/staff"
for k in "$N" "$S" "$O" "$S2"; do check "key mode 0600: ${k#"$D"/}.key" mode_is 600 "$k.key"; done
check "node dir is 0700" mode_is 700 "$D/nodes/0793"
check "node SAN exact" san_is "$N.pem" "URI:$SP/0793/node, DNS:hop.tartu.ee, IP Address:127.0.0.1"
check "staff SAN exact" san_is "$S.pem" "URI:$SP/0793/staff/mari.maasikas"
check "ops SAN exact" san_is "$O.pem" "URI:$SP/0793/ops/prometheus"
check "node EKU server+client" eku_is "$N.pem" "TLS Web Server Authentication, TLS Web Client Authentication"
check "staff EKU client" eku_is "$S.pem" "TLS Web Client Authentication"
check "ops EKU client" eku_is "$O.pem" "TLS Web Client Authentication"
check "node CN" cn_is "$N.pem" "0793 node"
check "staff CN" cn_is "$S.pem" "mari.maasikas"
check "ops CN" cn_is "$O.pem" "prometheus"
check "node key is EC P-256" bash -c "openssl pkey -in '$N.key' -noout -text | grep -q 'NIST CURVE: P-256'"
check "sha256 signature" bash -c "openssl x509 -in '$S.pem' -noout -text | grep -q 'ecdsa-with-SHA256'"
check "chain verifies" verifies "$N.pem" "$S.pem" "$O.pem" "$S2.pem"
check "key matches cert" key_matches "$N.key" "$N.pem"
check "default validity 397 days" bash -c \
  "openssl x509 -in '$S.pem' -noout -checkend $((396 * 86400)) && ! openssl x509 -in '$S.pem' -noout -checkend $((398 * 86400))"
check "--days sets validity" pki ops "$D" 0793 short --days 2
check "short cert expires within 3 days" not openssl x509 -in "$D/ops/0793/short/ops.pem" -noout -checkend $((3 * 86400))

# --- reissue replaces ---
old_serial="$(openssl x509 -in "$S2.pem" -noout -serial)"
check "reissue same identity" pki staff "$D" 0624 jaan-2
check "reissue gave a new serial" test "$old_serial" != "$(openssl x509 -in "$S2.pem" -noout -serial)"
check "reissued key matches cert" key_matches "$S2.key" "$S2.pem"

# --- revoke + CRL ---
check "revoke staff" pki revoke "$D" "$S.pem" --reason keyCompromise
check "revoked cert fails crl_check" not verifies_crl "$S.pem"
check "other cert passes crl_check" verifies_crl "$O.pem"
check "node passes crl_check" verifies_crl "$N.pem"
check "show reports revoked" bash -c "bash '$PKI_BIN' show '$S.pem' --pki '$D' | grep -q '^revoked: *yes'"
check "show reports not revoked" bash -c "bash '$PKI_BIN' show '$O.pem' --pki '$D' | grep -q '^revoked: *no'"
check "show prints the URI SAN" bash -c "bash '$PKI_BIN' show '$O.pem' | grep -qx 'uri: *$SP/0793/ops/prometheus'"
check "crl regenerates" pki crl "$D" --days 7
check "revocation survives crl regeneration" not verifies_crl "$S.pem"
pki init "$T/other" >/dev/null
check_rc "revoke a foreign cert fails" 1 pki revoke "$D" "$T/other/ca/ca.pem"

# --- usage errors write nothing ---
sum_before="$(tree_sum "$D")"
check_rc "bad EHAK exits 2" 2 pki node "$D" 793
check_rc "letters in EHAK exit 2" 2 pki staff "$D" 07a3 mari
check_rc "bad user id (uppercase) exits 2" 2 pki staff "$D" 0793 Mari
check_rc "bad user id (leading dot) exits 2" 2 pki staff "$D" 0793 .mari
check_rc "bad user id (65 chars) exits 2" 2 pki staff "$D" 0793 "$(printf 'a%.0s' {1..65})"
check_rc "bad user id (slash) exits 2" 2 pki staff "$D" 0793 ../ca
check_rc "bad ops name exits 2" 2 pki ops "$D" 0793 "x y"
check_rc "SAN injection via --dns exits 2" 2 pki node "$D" 0793 --dns "a.ee,URI:spiffe://x"
check_rc "unknown option exits 2" 2 pki node "$D" 0793 --frob
check_rc "bad --days exits 2" 2 pki node "$D" 0793 --days -1
check_rc "bad --reason exits 2" 2 pki revoke "$D" "$O.pem" --reason whim
check_rc "missing argument exits 2" 2 pki staff "$D" 0793
check_rc "unknown subcommand exits 2" 2 pki frob
check "usage errors wrote nothing" test "$sum_before" == "$(tree_sum "$D")"
check_rc "no CA exits 1" 1 pki node "$T/nowhere" 0793
check "no CA wrote nothing" test ! -e "$T/nowhere"
check "--help exits 0" bash -c "bash '$PKI_BIN' --help | grep -q 'spiffe://'"

# --- request + sign round trip ---
H="$T/home"
check "request node" pki request "$H" node 0624
check "request key 0600" mode_is 600 "$H/nodes/0624/node.key"
check "sign node CSR" pki sign "$D" "$H/nodes/0624/node.csr" node 0624 --dns hop.kastre.ee
check "signed cert matches the home key" key_matches "$H/nodes/0624/node.key" "$D/nodes/0624/node.pem"
check "signed node SAN" san_is "$D/nodes/0624/node.pem" "URI:$SP/0624/node, DNS:hop.kastre.ee"
check "signed node verifies" verifies_crl "$D/nodes/0624/node.pem"
check "CA keeps no key for a signed CSR" test ! -e "$D/nodes/0624/node.key"
# A CSR that asks for someone else's identity gets only what the CA's arguments say.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout "$T/evil.key" \
  -out "$T/evil.csr" -subj "/CN=0793 node" -addext "subjectAltName=URI:$SP/0793/node" 2>/dev/null
check "sign CSR carrying its own SAN" pki sign "$D" "$T/evil.csr" staff 0624 kati
check "CSR SAN was not copied" san_is "$D/staff/0624/kati/staff.pem" "URI:$SP/0624/staff/kati"
check "CSR subject was not copied" cn_is "$D/staff/0624/kati/staff.pem" "kati"
openssl req -new -newkey rsa:2048 -noenc -keyout "$T/rsa.key" -out "$T/rsa.csr" -subj "/CN=x" 2>/dev/null
check_rc "non-P-256 CSR is refused" 1 pki sign "$D" "$T/rsa.csr" staff 0624 kati
check_rc "sign with bad name exits 2" 2 pki sign "$D" "$H/nodes/0624/node.csr" staff 0624 BAD

# --- PKCS#12 for a browser ---
pki staff "$D" 0171 anne >/dev/null
A="$D/staff/0171/anne/staff"
check "p12 staff" pki p12 "$D" staff 0171 anne --password "pass word"
check "p12 is 0600" mode_is 600 "$A.p12"
check "p12 opens with its password" openssl pkcs12 -in "$A.p12" -passin "pass:pass word" -noout
check_rc "p12 refuses a wrong password" 1 openssl pkcs12 -in "$A.p12" -passin pass:wrong -noout
check "p12 uses AES-256 + PBKDF2 and a SHA-256 MAC" bash -c \
  "openssl pkcs12 -in '$A.p12' -passin 'pass:pass word' -info -noout 2>&1 | grep -q 'PBES2, PBKDF2, AES-256-CBC' &&
   openssl pkcs12 -in '$A.p12' -passin 'pass:pass word' -info -noout 2>&1 | grep -q 'MAC: sha256'"
check "p12 holds the key, the certificate and the CA" bash -c \
  "openssl pkcs12 -in '$A.p12' -passin 'pass:pass word' -nodes 2>/dev/null >'$T/p12.txt' &&
   test \$(grep -c 'BEGIN CERTIFICATE' '$T/p12.txt') = 2 && grep -q 'BEGIN PRIVATE KEY' '$T/p12.txt'"
check "p12 key matches the certificate" bash -c \
  "openssl pkcs12 -in '$A.p12' -passin 'pass:pass word' -nocerts -nodes 2>/dev/null | openssl pkey -pubout >'$T/p12.pub' &&
   openssl x509 -in '$A.pem' -noout -pubkey | cmp -s - '$T/p12.pub'"
echo "secret-from-file" >"$T/pass.txt"
check "p12 ops with --password-file and --out" pki p12 "$D" ops 0793 prometheus --password-file "$T/pass.txt" --out "$T/ops.p12"
check "p12 --password-file password" openssl pkcs12 -in "$T/ops.p12" -passin pass:secret-from-file -noout
sum_before="$(tree_sum "$D")"
check_rc "p12 without a password exits 2" 2 pki p12 "$D" staff 0171 anne
check_rc "p12 with a short password exits 2" 2 pki p12 "$D" staff 0171 anne --password abc
check_rc "p12 with both password options exits 2" 2 pki p12 "$D" staff 0171 anne --password abcd --password-file "$T/pass.txt"
check_rc "p12 of a node exits 2" 2 pki p12 "$D" node 0171 x --password abcd
check_rc "p12 with a bad name exits 2" 2 pki p12 "$D" staff 0171 ../x --password abcd
check_rc "p12 of an identity never issued exits 1" 1 pki p12 "$D" staff 0171 nobody --password abcd
check "p12 failures wrote nothing" test "$sum_before" == "$(tree_sum "$D")"

# --- TEST ID-card CA (tests and demos only) ---
I="$T/idca"
check_rc "test-id-ca refuses a federation PKI directory" 1 pki test-id-ca "$D"
check "test-id-ca" pki test-id-ca "$I"
check "test-id-ca key 0600" mode_is 600 "$I/ca.key"
check "test-id-ca is a CA with TEST in its name" bash -c \
  "openssl x509 -in '$I/ca.pem' -noout -subject | grep -q 'TEST hop ID-card CA' &&
   openssl x509 -in '$I/ca.pem' -noout -ext basicConstraints | grep -q 'CA:TRUE'"
check_rc "test-id-ca twice is refused" 1 pki test-id-ca "$I"
check "test-id-card" pki test-id-card "$I" 37605030299 --surname "Jõeorg" --given "Jaak-Kristjan" --password demo1
C="$I/cards/37605030299/auth"
check "card key 0600, EC P-384" bash -c "[[ \$(stat -c %a '$C.key') == 600 ]] && openssl pkey -in '$C.key' -noout -text | grep -q 'NIST CURVE: P-384'"
check "card subject is ID-card shaped" bash -c \
  "openssl x509 -in '$C.pem' -noout -subject -nameopt RFC2253,-esc_msb |
   grep -qxF 'subject=serialNumber=PNOEE-37605030299,GN=JAAK-KRISTJAN,SN=JÕEORG,CN=JÕEORG\\,JAAK-KRISTJAN\\,37605030299,C=EE'"
check "card keyUsage digitalSignature+keyAgreement" bash -c \
  "openssl x509 -in '$C.pem' -noout -ext keyUsage | grep -q 'Digital Signature, Key Agreement'"
check "card EKU client" eku_is "$C.pem" "TLS Web Client Authentication"
check "card is an end entity" bash -c "openssl x509 -in '$C.pem' -noout -ext basicConstraints | grep -q 'CA:FALSE'"
check "card has no SAN" bash -c "! openssl x509 -in '$C.pem' -noout -ext subjectAltName | grep -q ."
check "card verifies against the TEST CA" openssl verify -CAfile "$I/ca.pem" "$C.pem"
check "card does not verify against the federation CA" not verifies "$C.pem"
check "card p12 opens" openssl pkcs12 -in "$C.p12" -passin pass:demo1 -noout
sum_before="$(tree_sum "$I")"
check_rc "isikukood with a bad check digit exits 2" 2 pki test-id-card "$I" 37605030298 --surname A --given B
check_rc "isikukood with 10 digits exits 2" 2 pki test-id-card "$I" 3760503029 --surname A --given B
check_rc "isikukood with century digit 7 exits 2" 2 pki test-id-card "$I" 77605030299 --surname A --given B
check_rc "isikukood with a date that is not real exits 2" 2 pki test-id-card "$I" 37602300290 --surname A --given B
check_rc "test-id-card without names exits 2" 2 pki test-id-card "$I" 37605030299
check_rc "name with a comma exits 2" 2 pki test-id-card "$I" 37605030299 --surname "A,B" --given B
check_rc "name with a slash exits 2" 2 pki test-id-card "$I" 37605030299 --surname "A/CN=x" --given B
check_rc "test-id-card takes no --dns" 2 pki test-id-card "$I" 37605030299 --surname A --given B --dns x.ee
check "card usage errors wrote nothing" test "$sum_before" == "$(tree_sum "$I")"
check_rc "test-id-card from a federation CA directory exits 1" 1 pki test-id-card "$D" 37605030299 --surname A --given B
check_rc "test-id-card from a federation ca/ exits 1" 1 pki test-id-card "$D/ca" 37605030299 --surname A --given B

# --- many issuances in a row (tests issue many certificates); the time is reported, not
# asserted: the machines are shared and noisy ---
start=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8 9 10; do pki staff "$D" 0793 "user$i" >/dev/null; done
ms=$((($(date +%s%N) - start) / 1000000))
echo "info 10 issuances took ${ms} ms"
check "10 issuances in a row" test -f "$D/staff/0793/user10/staff.pem"

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
