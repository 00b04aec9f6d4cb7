#!/usr/bin/env bash
# System packages the test suite uses for real: Chromium (the add-in's browser test), Node's npm
# packages (manifest check, Playwright driver), LibreOffice (PDF conversion; Calc opens the
# workbook's VBA project) and CJK fonts.
# Installs only what is missing; needs root and apt-get (CI has both). Elsewhere it says what is
# missing and the tests that need it skip (in CI they fail instead).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
# Calc: the VBA project's test opens the workbook in LibreOffice (soffice alone is Writer only)
soffice_dir=$(dirname "$(readlink -f "$(command -v soffice || echo /usr/lib/libreoffice/program/soffice)")")
[ -e "$soffice_dir/libsclo.so" ] || missing+=(libreoffice-calc-nogui)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || missing+=(fonts-wqy-microhei fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "note: missing system packages (${missing[*]}); the tests that need them will skip" >&2
  fi
fi

if command -v npm >/dev/null 2>&1; then
  if [ ! -d addin/node_modules ] || [ addin/package-lock.json -nt addin/node_modules ]; then
    (cd addin && npm ci --no-audit --no-fund --loglevel=error)
  fi
else
  echo "note: npm is missing; the add-in's JavaScript tests will skip" >&2
fi
