#!/bin/sh
# Install the Debian packages taiyaku needs, skipping those already present (idempotent).
# Run as root on Debian 12; called by `make setup`.
set -eu

# texlive-lang-chinese: xeCJK (the English PDF's fallback for untranslated Japanese) needs its ctexhook.
# fonts-texgyre: the OpenType TeX Gyre faces XeLaTeX uses for English.
PACKAGES="
  make
  texlive-lang-japanese texlive-lang-chinese texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
  texlive-xetex tex-gyre fonts-texgyre latexmk
  fonts-noto-cjk
  epubcheck
  poppler-utils
  gettext
  chromium
  pandoc
  default-jre-headless
  libsaxonhe-java
"
# Node.js and npm run the verifiers pinned in package-lock.json (make node-tools); a machine
# that already has a Node.js of its own keeps it.
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"

missing=""
for package in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  echo "system packages: all present"
  exit 0
fi

echo "system packages: installing$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "error: these Debian packages are missing:$missing" >&2
  echo "       run 'sudo make setup', or install them with: sudo apt-get install$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
