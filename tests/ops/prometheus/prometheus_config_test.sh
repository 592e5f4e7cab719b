#!/usr/bin/env bash
# Checks deploy/prometheus/ with promtool: the scrape config (which also loads the rule file it
# names, relative to the config's directory), the alert rules, and the rules' unit tests.
# Usage: prometheus_config_test.sh SOURCE_DIR    Exits non-zero when any check fails.
# PROMTOOL=path overrides the promtool on PATH.
set -euo pipefail

SRC="${1:?usage: prometheus_config_test.sh SOURCE_DIR}"
DIR="$SRC/deploy/prometheus"
PROMTOOL="${PROMTOOL:-promtool}"

if ! command -v "$PROMTOOL" >/dev/null 2>&1; then
  echo "FAIL promtool not found (install the Debian package 'prometheus', or set PROMTOOL)" >&2
  exit 1
fi
[[ -d "$DIR" ]] || { echo "FAIL no directory $DIR" >&2; exit 1; }

FAILED=0
# check WHAT COMMAND...: runs COMMAND, prints its output, and records a failure naming WHAT.
check() {
  local what="$1" rc=0
  shift
  echo "== $what: $*"
  "$@" || rc=$?
  if [[ $rc == 0 ]]; then
    echo "ok   $what"
  else
    echo "FAIL $what (promtool exit $rc)" >&2
    FAILED=$((FAILED + 1))
  fi
}

# promtool resolves rule_files relative to each file's own directory, so run from anywhere.
check "scrape config deploy/prometheus/prometheus.yml" \
  "$PROMTOOL" check config "$DIR/prometheus.yml"
check "alert rules deploy/prometheus/hop_rules.yml" \
  "$PROMTOOL" check rules "$DIR/hop_rules.yml"
check "rule unit tests deploy/prometheus/hop_rules_test.yml" \
  "$PROMTOOL" test rules "$DIR/hop_rules_test.yml"

if [[ $FAILED != 0 ]]; then
  echo "prometheus_config_test: $FAILED of 3 checks failed" >&2
  exit 1
fi
echo "prometheus_config_test: all 3 checks passed"
