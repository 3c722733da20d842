#!/usr/bin/env python3
"""Estimates the speed of edgetop's 64-bit ARM microkernels with llvm-mca.

No ARM machine is at hand, so this is an estimate, not a measurement: each NEON kernel is
compiled for aarch64 by Swift's clang with EDGE_MCA defined (region markers, see edge_mca.h),
the compiled inner loop (from the loop header before the marker to the branch back to it, or a
hand-scheduled asm loop's lines between its markers) is given to llvm-mca with the Cortex-A53, A55 and A76 scheduling models, and the cycles per
iteration become MACs per cycle. The MACs of one pass are counted from the loop's multiply-accumulate instructions (the
compiler may unroll the loop). The same models time a block of independent multiply-accumulate
instructions of the kernel's kind, which gives the core's peak in the same units, and the
MobileNet v1 1.0@224 estimate assumes every MAC runs at the kernel's rate on four cores
(Raspberry Pi 3B+: four Cortex-A53 at 1.4 GHz), which no memory system allows: a lower bound.

Usage: mca-aarch64.py [--clang CLANG] [--mca LLVM_MCA] [--markdown]
"""
import argparse
import pathlib
import re
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
K = ROOT / "Sources/CEdgeKernels"
CPUS = ["cortex-a53", "cortex-a55", "cortex-a76"]

# kernel marker -> (source, peak instruction, MACs per peak instruction)
KERNELS = {
    "q8_gemm_8x8__neon": ("q8gemm_neon.c", "smlal v{d}.4s, v{a}.4h, v{b}.h[1]", 4),
    "q8_gemm_4x16c4__neondot": ("q8gemm_neon.c", "sdot v{d}.4s, v{a}.16b, v{b}.4b[1]", 16),
    "q8_dwconv_up16xN__neon": ("q8dwconv_neon.c", "smlal v{d}.4s, v{a}.4h, v{b}.4h", 4),
    "f32_gemm_minmax_ukernel_6x8__neonfma": ("f32_gemm_neon.c", "fmla v{d}.4s, v{a}.4s, v{b}.4s", 4),
    "f32_dwconv_up8xN__neonfma": ("f32_dwconv_neon.c", "fmla v{d}.4s, v{a}.4s, v{b}.4s", 4),
}


LABEL = re.compile(r"^(\.?[A-Za-z0-9_]+):|^// (%bb\.\d+):")


def asm_loop_body(asm_lines, name):
    """A hand-scheduled loop written as one asm statement: its lines between the markers, which
    sit right after its label and right after its branch back (edge_mca.h's EDGE_MCA_ASM_*)."""
    body, inside = [], False
    for line in asm_lines:
        s = line.strip()
        if s.startswith(f"// LLVM-MCA-BEGIN {name}"):
            inside = True
        elif s.startswith(f"// LLVM-MCA-END {name}"):
            return body if inside else None
        elif inside and s and not s.startswith("//") and not s.startswith("."):
            body.append(s.split("//")[0].strip())
    return None


def loop_body(asm_lines, name):
    """The instructions of the innermost loop holding the marker for `name`, in file order.

    clang labels each block with its loop ("in Loop: Header=BB0_11", or "Loop Header" on the
    header itself), so a rotated loop, whose latch blocks come before its header, is whole too.
    A loop written in asm carries its markers inside and is taken between them.
    """
    # An asm statement's markers are printed without clang's //APP line before them.
    for i, line in enumerate(asm_lines):
        if f"LLVM-MCA-BEGIN {name}" in line and (i == 0 or "//APP" not in asm_lines[i - 1]):
            body = asm_loop_body(asm_lines, name)
            if body:
                return body
    blocks, current = [], None
    for line in asm_lines:
        if LABEL.match(line.strip()) and not line.strip().startswith("//  "):
            m = LABEL.match(line.strip())
            current = {"name": (m.group(1) or m.group(2)).lstrip("."), "comment": line, "lines": []}
            blocks.append(current)
        elif current is not None:
            if line.strip().startswith("//") and "Loop Header" in line:
                current["comment"] += line
            current["lines"].append(line)
    def header_of(block):
        if "Loop Header" in block["comment"]:
            return block["name"].replace("LBB", "BB")
        m = re.search(r"Header=(BB\d+_\d+)", block["comment"])
        return m.group(1) if m else None
    # The first loop holding the marker that calls nothing (a partial-tile copy calls memcpy).
    for home in (b for b in blocks if any(f"LLVM-MCA-BEGIN {name}" in l for l in b["lines"])):
        header = header_of(home)
        if header is None:
            continue
        body = []
        for b in blocks:
            if header_of(b) != header:
                continue
            for line in b["lines"]:
                s = line.strip()
                if not s or s.startswith("//") or s.startswith("."):
                    continue
                body.append(s.split("//")[0].strip())
        if not any(re.match(r"^bl\s", i) for i in body):
            return body
    raise RuntimeError(f"no call-free loop holds the marker of {name}")


# Multiply-accumulates per instruction: widening int16 products (4 lanes), dot products (16
# int8 products into 4 lanes), fp32 fused multiply-add on 4 or 2 lanes.
MAC_INSTRUCTIONS = [(r"^[su]mlal2?\s+v\d+\.4s", 4), (r"^[su]dot\s+v\d+\.4s", 16),
                    (r"^fmla\s+v\d+\.4s", 4), (r"^fmla\s+v\d+\.2s", 2)]


def macs_in(body):
    """Multiply-accumulates one pass through the loop performs, counted from its instructions."""
    return sum(n for i in body for pattern, n in MAC_INSTRUCTIONS if re.match(pattern, i))


def cycles_per_iteration(mca, cpu, instructions, attrs):
    with tempfile.NamedTemporaryFile("w", suffix=".s", delete=False) as f:
        f.write("\n".join(instructions) + "\n")
        path = f.name
    out = subprocess.run([mca, "-mtriple=aarch64", f"-mcpu={cpu}", f"-mattr={attrs}", "-iterations=200", path],
                         check=True, capture_output=True, text=True).stdout
    total = int(re.search(r"Total Cycles:\s+(\d+)", out).group(1))
    iters = int(re.search(r"Iterations:\s+(\d+)", out).group(1))
    return total / iters


def peak_block(template):
    """16 independent instructions of the peak kind (distinct accumulators, shared sources)."""
    return [template.format(d=16 + i, a=14, b=15) for i in range(16)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clang", default="clang")
    ap.add_argument("--mca", default="llvm-mca")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    asm = {}
    with tempfile.TemporaryDirectory() as tmp:
        for source in sorted({v[0] for v in KERNELS.values()}):
            out = pathlib.Path(tmp) / (source + ".s")
            subprocess.run([args.clang, "--target=aarch64-linux-gnu", "--sysroot=/usr/aarch64-linux-gnu", "-O2",
                            "-DEDGE_MCA", "-I", str(K / "include"), "-S", str(K / source), "-o", str(out)], check=True)
            asm[source] = out.read_text().splitlines()
    rows = []
    for name, (source, peak_instr, peak_macs) in KERNELS.items():
        body = loop_body(asm[source], name)
        macs = macs_in(body)
        for cpu in CPUS:
            attrs = "+dotprod" if "neondot" in name else ""
            if "neondot" in name and cpu == "cortex-a53":
                rows.append((name, cpu, len(body), None, None, None))  # ARMv8.0: no dot product
                continue
            cyc = cycles_per_iteration(args.mca, cpu, body, attrs or "+neon")
            peak_cyc = cycles_per_iteration(args.mca, cpu, peak_block(peak_instr), attrs or "+neon")
            peak = 16 * peak_macs / peak_cyc
            rows.append((name, cpu, f"{len(body)} ({macs} MACs)", cyc, macs / cyc, peak))
    if args.markdown:
        print("| kernel | core | loop instructions (MACs) | cycles / iteration | MAC / cycle | model's peak MAC / cycle | share |")
        print("|---|---|---|---|---|---|---|")
    for name, cpu, n, cyc, rate, peak in rows:
        if cyc is None:
            line = (name, cpu, n, "-", "no dot product on ARMv8.0", "-", "-")
        else:
            line = (name, cpu, n, f"{cyc:.1f}", f"{rate:.2f}", f"{peak:.2f}", f"{100 * rate / peak:.0f} %")
        print(("| " + " | ".join(map(str, line)) + " |") if args.markdown else "  ".join(map(str, line)))
    # MobileNet v1 1.0@224 on a Raspberry Pi 3B+ (4x A53 at 1.4 GHz), compute-bound lower bounds.
    macs_v1, gemm_share = 568_740_352, 0.97
    by = {(r[0], r[1]): r[4] for r in rows}
    for dtype, gemm, dw in (("int8", "q8_gemm_8x8__neon", "q8_dwconv_up16xN__neon"),
                            ("fp32", "f32_gemm_minmax_ukernel_6x8__neonfma", "f32_dwconv_up8xN__neonfma")):
        cycles = macs_v1 * gemm_share / by[(gemm, "cortex-a53")] + macs_v1 * (1 - gemm_share) / by[(dw, "cortex-a53")]
        ms = cycles / (1.4e9 * 4) * 1e3
        print(f"MobileNet v1 1.0@224 {dtype}, 4x Cortex-A53 at 1.4 GHz, compute-bound estimate: {ms:.1f} ms")


if __name__ == "__main__":
    main()
