#!/usr/bin/env bash
# Installs the Debian 12 packages hop needs to build and test, skipping those already present.
# Run as root (or with sudo). Used by deploy/quickstart.sh and tests/run.sh.
set -euo pipefail

PACKAGES=(
  g++ cmake make pkg-config openssl
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libssl-dev libabsl-dev libgtest-dev libicu-dev
  libcpp-httplib-dev prometheus systemd
  clang-14 libclang-rt-14-dev libfuzzer-14-dev  # tests/fuzz: libFuzzer targets (ASan, UBSan)
  testssl.sh  # the TLS scan of every hopd port (tests/security/testssl_scan.sh)
  rocksdb-tools  # sst_dump: the erasure test reads every SST file decompressed
  chromium  # tests/browser: the staff console in a real headless browser
)
# The staff console is built with npm (client/console). Debian 12's nodejs and npm, unless a
# Node.js with npm is already installed (NodeSource's nodejs package carries its own npm).
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
