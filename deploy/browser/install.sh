#!/usr/bin/env bash
# Leaves what the browser tests need (browsertest/): Chromium and a CJK font
# from Debian, and axe-core from npm in a cache folder that the tests read.
# Idempotent: it installs only what is missing.
set -euo pipefail

axe_version=${AXE_VERSION:-4.11.4}
cache=${SHOPDESK_BROWSER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shopdesk/browser}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${missing[*]} for the browser tests"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

pkg="$cache/node_modules/axe-core/package.json"
if [ ! -f "$pkg" ] || ! grep -q "\"version\": \"$axe_version\"" "$pkg"; then
  echo "installing axe-core $axe_version into $cache"
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error "axe-core@$axe_version" >/dev/null
fi
