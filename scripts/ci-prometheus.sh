#!/usr/bin/env bash
# Installs Debian's prometheus package (prometheus + promtool) for the test that has a real
# Prometheus server scrape two `edgetop agent`s. The package's service is not started: the
# test runs its own server on a loopback port with a config it writes. The Python client's
# strict OpenMetrics parser checks the OpenMetrics form of the exposition.
set -euo pipefail
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus
fi
python3 -c 'import prometheus_client' 2>/dev/null || python3 -m pip install -q prometheus-client==0.26.0
