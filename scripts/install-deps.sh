#!/usr/bin/env bash
# Installs the Debian 12 packages LLM Cost Ops needs to build, test and run, and those named as
# arguments (make fuzz-smoke: clang); does nothing when they are all present. Run as root (or
# with sudo available).
set -euo pipefail

packages=(
    build-essential cmake pkg-config git
    postgresql-15 postgresql-server-dev-15 libpq-dev
    libpqxx-dev libcli11-dev nlohmann-json3-dev libtomlplusplus-dev catch2 jq zlib1g-dev libssl-dev
    libcairo2-dev fonts-dejavu-core poppler-utils
    "$@"
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js runs the genai-prices oracle test; any install of it will do (the machine's own
# nodejs may bundle npm, which then conflicts with Debian's npm package).
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian creates and starts a system cluster on port 5432 with postgresql-15; LLM Cost Ops
# never uses it (tests and the local instance run private servers), so leave it as it is.
