#!/usr/bin/env python3
"""Writes reference outputs of a .tflite model from LiteRT (ai-edge-litert, XNNPACK, one
thread) for edgetop's model tests: for each seeded input pattern, NAME.inK.bin holds the
input tensor's bytes and NAME.outK.bin the output tensor's bytes; NAME.builtin.outK.bin
holds the output of TFLite's own kernels (no XNNPACK), whose int8 arithmetic differs.

Usage: tflite-reference.py MODEL.tflite OUTDIR [--inputs N]
"""
import argparse, os
import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType


def pattern(shape, dtype, k):
    """A deterministic input that edgetop's tests can rebuild: smooth gradients plus seeded noise."""
    rng = np.random.default_rng(1000 + k)
    n, h, w, c = shape
    y = np.arange(h).reshape(1, h, 1, 1) / max(h - 1, 1)
    x = np.arange(w).reshape(1, 1, w, 1) / max(w - 1, 1)
    ch = np.arange(c).reshape(1, 1, 1, c) / max(c - 1, 1)
    base = 0.5 + 0.35 * np.sin(6.0 * x + 4.0 * y + 3.0 * ch + k) + 0.1 * rng.standard_normal((n, h, w, c))
    base = np.clip(base, 0.0, 1.0)
    if dtype == np.uint8:
        return np.round(base * 255).astype(np.uint8)
    if dtype == np.int8:
        return (np.round(base * 255) - 128).astype(np.int8)
    return (base * 2.0 - 1.0).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("outdir")
    ap.add_argument("--inputs", type=int, default=2)
    a = ap.parse_args()
    it = Interpreter(model_path=a.model, num_threads=1)
    it.allocate_tensors()
    builtin = Interpreter(model_path=a.model, num_threads=1,
                          experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    builtin.allocate_tensors()
    i = it.get_input_details()[0]
    o = it.get_output_details()[0]
    name = os.path.splitext(os.path.basename(a.model))[0]
    os.makedirs(a.outdir, exist_ok=True)
    for k in range(a.inputs):
        x = pattern(tuple(i["shape"]), i["dtype"], k)
        it.set_tensor(i["index"], x)
        it.invoke()
        y = it.get_tensor(o["index"])
        builtin.set_tensor(i["index"], x)
        builtin.invoke()
        builtin.get_tensor(o["index"]).tofile(os.path.join(a.outdir, f"{name}.builtin.out{k}.bin"))
        x.tofile(os.path.join(a.outdir, f"{name}.in{k}.bin"))
        y.tofile(os.path.join(a.outdir, f"{name}.out{k}.bin"))
        print(f"{name} input {k}: {x.dtype}{list(x.shape)} -> {y.dtype}{list(y.shape)}, argmax {int(np.argmax(y.reshape(-1)))}")


if __name__ == "__main__":
    main()
