#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the demo need, when missing.
set -euo pipefail
# libxml2-dev: the CLI reads `$metadata` with FoundationXML (libxml2); no handler links it.
# nginx, lighttpd, spawn-fcgi, fcgiwrap: the web-server deployments the FastCGI tests start (infra/fastcgi);
# libfcgi-dev: the C FastCGI reference of infra/bench (never linked into a product binary);
# systemd: `systemd-analyze verify` for the unit files (no systemd needs to run).
packages=(libcurl4-openssl-dev libssl-dev libpq-dev libxml2-dev pkg-config postgresql
          nginx lighttpd spawn-fcgi fcgiwrap libfcgi-dev systemd)
# infra/lambda: zip for the packages, binutils for objdump (glibc symbol versions), python3-venv for cfn-lint.
packages+=(zip binutils python3-venv)
# infra/demo.sh: python3 (its story and picture scripts), gettext-base (envsubst renders nginx-fastcgi.conf),
# chromium and fonts-lato (the approval card drawn headless in Slack's font), curl (for what --keep suggests).
packages+=(python3 gettext-base chromium fonts-lato curl)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
