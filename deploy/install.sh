#!/usr/bin/env bash
# Installs billingd as a systemd service (run as root from a checkout): release build, binaries, units,
# sysusers/tmpfiles snippets, the journal message catalog, and a configuration file if there is none yet.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
deploy/setup.sh
# The Swift runtime linked into the binaries: about 5 MiB less resident memory for an idle billingd and a faster
# start than loading the runtime's shared libraries (README, "Performance").
swift build -c release --static-swift-stdlib --product billingd
swift build -c release --static-swift-stdlib --product billingctl
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
install -m 0755 "$bin/billingd" "$bin/billingctl" /usr/local/bin/
install -m 0644 deploy/billingd.service deploy/billingd.socket /etc/systemd/system/
install -m 0644 deploy/billingd.sysusers /usr/lib/sysusers.d/billingd.conf
install -m 0644 deploy/billingd.tmpfiles /usr/lib/tmpfiles.d/billingd.conf
install -D -m 0644 deploy/billingd.catalog /usr/lib/systemd/catalog/billingd.catalog
journalctl --update-catalog
install -d -m 0750 /etc/billingd /etc/billingd/credentials
[ -f /etc/billingd/billingd.conf ] || install -m 0640 config/billingd.conf.example /etc/billingd/billingd.conf
# Message templates: installed once, then the operator's to edit.
[ -d /etc/billingd/templates ] || cp -r config/templates /etc/billingd/templates
touch /etc/billingd/credentials/smtp-password /etc/billingd/credentials/sms-token
chmod 0600 /etc/billingd/credentials/*
systemd-sysusers
systemd-tmpfiles --create /usr/lib/tmpfiles.d/billingd.conf
billingd --check-config --config /etc/billingd/billingd.conf
systemctl daemon-reload
echo "installed; start with: systemctl enable --now billingd.socket billingd.service"
