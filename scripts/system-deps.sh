#!/usr/bin/env bash
# System packages the test suite uses for real: Chromium (the add-in's browser test), Node's npm
# packages (manifest check, Playwright driver), LibreOffice (PDF conversion; Calc opens the
# workbook's VBA project) and fonts: CJK glyphs for the charts and PDFs, and the fonts metric-
# compatible with Times New Roman and Calibri (the templates' Latin fonts) so that a PDF made by
# LibreOffice lays out as Word does.
# Installs only what is missing; needs root and apt-get (CI has both). Elsewhere it says what is
# missing and the tests that need it skip (in CI they fail instead).
# --fonts-only: just the fonts (make setup runs this: charts without a CJK font have no Chinese).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || missing+=(fonts-noto-cjk fonts-wqy-microhei)
fc-list 2>/dev/null | grep -qi "liberation serif" || missing+=(fonts-liberation2)
fc-list 2>/dev/null | grep -qi "carlito" || missing+=(fonts-crosextra-carlito)
fonts_only=false
[ "${1:-}" = "--fonts-only" ] && fonts_only=true

if ! $fonts_only; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
  # Calc: the VBA project's test opens the workbook in LibreOffice (soffice alone is Writer only)
  soffice_dir=$(dirname "$(readlink -f "$(command -v soffice || echo /usr/lib/libreoffice/program/soffice)")")
  [ -e "$soffice_dir/libsclo.so" ] || missing+=(libreoffice-calc-nogui)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fi

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
$fonts_only && exit 0

if command -v npm >/dev/null 2>&1; then
  if [ ! -d addin/node_modules ] || [ addin/package-lock.json -nt addin/node_modules ]; then
    (cd addin && npm ci --no-audit --no-fund --loglevel=error)
  fi
else
  echo "note: npm is missing; the add-in's JavaScript tests will skip" >&2
fi
