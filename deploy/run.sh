#!/usr/bin/env bash
# The README's run command: builds billingd, starts it on the development configuration (the embedded default
# with its files kept under .state/ in this checkout), imports the example templates from config/examples and
# shows what billingd made of them. The daemon then keeps running in the foreground until Ctrl-C.
# With RUN_DEMO_ONLY=1 it stops the daemon after the demonstration instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
deploy/setup.sh
swift build --product billingd
swift build --product billingctl
bin=$(swift build --show-bin-path)
config=config/development.conf
socket=$(pwd)/.state/control.sock
ctl() { "$bin/billingctl" --socket "$socket" "$@"; }

"$bin/billingd" --check-config --config "$config"
"$bin/billingd" --config "$config" 2> >(grep -v "invoice generated" >&2) &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null; wait $daemon 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 100); do [ -S "$socket" ] && ctl status >/dev/null 2>&1 && break; sleep 0.1; done

for file in config/examples/*.json config/examples/*.xml; do
  echo "== billingctl import $file"
  ctl import "$file"
done
echo "== billingctl run   (the scheduler already generated what was due when the templates arrived)"
ctl run
echo "== billingctl templates list"
ctl templates list
echo "== billingctl invoices list"
ctl invoices list
first=$(ctl --json invoices list | sed -n 's/.*"number": "\([^"]*\)".*/\1/p' | head -1)
if [ -n "$first" ]; then
  echo "== billingctl invoices show $first"
  ctl invoices show "$first"
fi
echo "== billingctl preview t-hosting-ada --count 4"
ctl preview t-hosting-ada --count 4
echo "== billingctl status"
ctl status

if [ "${RUN_DEMO_ONLY:-0}" = "1" ]; then exit 0; fi
echo "billingd is running (pid $daemon, socket $socket); Ctrl-C stops it."
wait $daemon
