#!/usr/bin/env python3
"""Checks that the Swift sources would link on both x86-64 and 64-bit ARM.

No Swift toolchain for aarch64 exists on these machines, so this proves what it can: every C
function of CEdgeKernels that Swift code calls is defined for each architecture the call is
compiled for. The C files are compiled for x86-64 and for aarch64 (the functions each object
defines), and the Swift files are read with their `#if arch(...)` regions tracked.

Usage: check-arch-symbols.py CLANG   (a clang that can compile for both targets)
"""
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ROOT / "Sources/CEdgeKernels"
TARGETS = {"x86_64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu"}


def defined(clang, triple, arch):
    """Functions the C target defines when compiled for `triple` (what the linker will find)."""
    names = set()
    with tempfile.TemporaryDirectory() as tmp:
        for source in sorted(SOURCES.glob("*.c")):
            obj = pathlib.Path(tmp) / (source.stem + ".o")
            cmd = [clang, f"--target={triple}", "-O1", "-c", "-I", str(SOURCES / "include"), str(source), "-o", str(obj)]
            if arch == "arm64":
                cmd[2:2] = ["--sysroot=/usr/aarch64-linux-gnu"]
            subprocess.run(cmd, check=True)
            out = subprocess.run(["nm", "--defined-only", str(obj)], check=True, capture_output=True, text=True).stdout
            names |= {parts[2] for parts in (l.split() for l in out.splitlines()) if len(parts) == 3 and parts[1] == "T"}
    return names


def condition_holds(cond, arch):
    """Evaluates the arch(...) conditions this project uses: arch(x), !arch(x), a || b."""
    cond = cond.strip()
    if "||" in cond:
        return any(condition_holds(c, arch) for c in cond.split("||"))
    m = re.fullmatch(r"(!?)\s*arch\((\w+)\)", cond)
    if not m:
        return None  # not about the architecture: both branches are compiled somewhere
    holds = m.group(2) == arch
    return not holds if m.group(1) else holds


def calls_per_arch(path, names, arch):
    """C function names that `path` uses in code compiled for `arch`."""
    used = set()
    stack = []  # per #if: [active, taken]
    for line in path.read_text().splitlines():
        s = line.strip()
        if s.startswith("#if "):
            h = condition_holds(s[4:], arch)
            active = all(a for a, _ in stack)
            stack.append([active and h is not False, h is True])
            continue
        if s.startswith("#elseif "):
            h = condition_holds(s[8:], arch)
            outer = all(a for a, _ in stack[:-1])
            stack[-1] = [outer and not stack[-1][1] and h is not False, stack[-1][1] or h is True]
            continue
        if s.startswith("#else"):
            outer = all(a for a, _ in stack[:-1])
            stack[-1] = [outer and not stack[-1][1], True]
            continue
        if s.startswith("#endif"):
            stack.pop()
            continue
        if all(a for a, _ in stack) and not s.startswith("//"):
            code = s.split("//")[0]
            # A call or a function reference, not a name inside a string (kernel display names).
            code = re.sub(r'"[^"]*"', '""', code)
            used |= {n for n in re.findall(r"\b((?:q8|f32|edge)_[A-Za-z0-9_]+)\b", code) if n in names}
    return used


def main():
    clang = sys.argv[1] if len(sys.argv) > 1 else "clang"
    decl = {arch: defined(clang, triple, arch) for arch, triple in TARGETS.items()}
    every = decl["x86_64"] | decl["arm64"]
    problems = []
    checked = 0
    for path in sorted(list((ROOT / "Sources").rglob("*.swift")) + list((ROOT / "Tests").rglob("*.swift"))):
        for arch in TARGETS:
            for name in sorted(calls_per_arch(path, every, arch)):
                checked += 1
                if name not in decl[arch]:
                    problems.append(f"{path.relative_to(ROOT)}: calls {name}, which is not defined for {arch}")
    for p in problems:
        print(p)
    print(f"C functions defined: x86_64 {len(decl['x86_64'])}, arm64 {len(decl['arm64'])}; "
          f"{checked} uses checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
