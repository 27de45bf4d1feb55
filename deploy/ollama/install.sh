#!/usr/bin/env bash
# Leaves a working Ollama at DEST/ollama (default bin/ollama): the ollama on
# PATH when there is one, otherwise built from the Go module proxy.
set -euo pipefail

dest=${1:-bin}
version=${OLLAMA_VERSION:-0.17.4}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

if [ -x "$dest/ollama" ] && "$dest/ollama" --version >/dev/null 2>&1; then
  exit 0
fi
if found=$(command -v ollama 2>/dev/null) && [ "$found" != "$dest/ollama" ]; then
  ln -sf "$found" "$dest/ollama"
  echo "using $found"
  exit 0
fi

echo "building Ollama $version from the Go module proxy (about 6 minutes the first time; cached after)"
# The module zip leaves out llama.cpp's vendored headers; two come from Debian.
missing=()
for pkg in nlohmann-json3-dev libstb-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
fi

# The third, miniaudio.h, ships in the malgo Go module. The include folder
# has a fixed path: CGO_CPPFLAGS is part of Go's build cache key, so a new
# path each time would rebuild llama.cpp from scratch.
inc="${XDG_CACHE_HOME:-$HOME/.cache}/shopdesk/ollama-include"
mkdir -p "$inc/miniaudio"
malgo=$(cd "$inc" && GOFLAGS=-mod=mod go mod download -json github.com/gen2brain/malgo@v0.11.24 | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
cp "$malgo/miniaudio.h" "$inc/miniaudio/miniaudio.h"

CGO_CPPFLAGS="-I$inc" GOBIN="$dest" go install \
  -ldflags "-X github.com/ollama/ollama/version.Version=$version" \
  "github.com/ollama/ollama@v$version"
"$dest/ollama" --version
