#!/usr/bin/env bash
# A Chromium for the storefront's browser tests (tests/storefront.browser.test.ts):
# CHROMIUM_PATH if set, else /usr/bin/chromium. When there is none, Debian's
# `chromium` package is installed with apt-get (as root, or through sudo);
# playwright-core downloads no browser. `npm test` runs this first (pretest),
# and so does .ci/run.
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] && exit 0
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file" >&2
  exit 1
fi
[ -x /usr/bin/chromium ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "The browser tests need Chromium: install Chromium or Chrome and set CHROMIUM_PATH to its executable." >&2
  exit 1
fi
as_root=""
[ "$(id -u)" -eq 0 ] || as_root="sudo"
echo "Installing Debian's chromium for the browser tests (apt-get install chromium)..."
$as_root apt-get update -q
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
