#!/usr/bin/env bash
# Installs Debian's prometheus package (prometheus + promtool) for the test that has a real
# Prometheus server scrape two `edgetop agent`s. The package's service is not started: the
# test runs its own server on a loopback port with a config it writes.
set -euo pipefail
if command -v prometheus >/dev/null && command -v promtool >/dev/null; then exit 0; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus
