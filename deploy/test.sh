#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test (unit, property-based,
# and end-to-end against the real billingd and billingctl processes and a real SQLite file).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
deploy/setup.sh
swift build
swift test "$@"
