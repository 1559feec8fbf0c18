#!/usr/bin/env bash
# Installs what building and testing billingd needs, when it is missing (Debian 12).
set -euo pipefail

# qpdf and poppler-utils (pdftotext) check the invoice PDF in the outbox tests; python3-pip installs aiosmtpd;
# openssl makes the test certificate for STARTTLS.
packages=(libsqlite3-dev libsystemd-dev sqlite3 tzdata pkg-config qpdf poppler-utils python3-pip openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Another apt-get (unattended upgrades, a second set-up) may hold the lock: wait for it rather than fail.
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi

# The outbox tests run a real SMTP server (aiosmtpd) and an SMS gateway (http.server) on 127.0.0.1.
if ! python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  echo "setup: installing aiosmtpd (pip)" >&2
  python3 -m pip install -q aiosmtpd 2>/dev/null || python3 -m pip install -q --break-system-packages aiosmtpd
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "setup: add /opt/swift/usr/bin to PATH" >&2
  else
    echo "setup: Swift 6.1 or newer is needed (swift not found)" >&2
    exit 1
  fi
fi
