#!/usr/bin/env bash
# Measures the dashboard's own cost beside htop and btop, each the same way: in a private
# tmux server with one 160x48 pane, refreshing every 0.5 s, for DURATION seconds.
#   - time to first frame: from typing the command until the pane shows a full screen
#     (polled every 10 ms with capture-pane; includes the shell's fork/exec)
#   - CPU: utime+stime from /proc/PID/stat over the measuring window, as % of one core
#   - memory: VmRSS and VmHWM from /proc/PID/status at the end
#
# `fps` mode instead checks that the dashboard does not slow what it measures: inference
# on all cores, ROUNDS alternating runs of `edgetop record` (headless) and the dashboard
# (live, recording with --record), DURATION seconds each; FPS from `edgetop stats --json`.
#
# Usage: scripts/measure-dashboard.sh cost TRACE [DURATION]
#        scripts/measure-dashboard.sh fps [DURATION] [ROUNDS]
#        (edgetop from .build/release, or $EDGETOP)
set -euo pipefail

MODE=${1:?usage: measure-dashboard.sh cost TRACE [DURATION] | fps [DURATION] [ROUNDS]}
shift
if [ "$MODE" = cost ]; then
    TRACE=${1:?usage: measure-dashboard.sh cost TRACE [DURATION]}
    DURATION=${2:-60}
else
    DURATION=${1:-30}
    ROUNDS=${2:-3}
fi
WARMUP=5
EDGETOP=${EDGETOP:-$(pwd)/.build/release/edgetop}
SOCK=edgetop-measure-$$
WORK=$(mktemp -d)
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT

for tool in tmux htop btop "$EDGETOP"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

# A private HOME so htop and btop read (and write) only the configuration set here.
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config
mkdir -p "$XDG_CONFIG_HOME/btop"
printf 'update_ms = 500\n' > "$XDG_CONFIG_HOME/btop/btop.conf"
printf 'set -g default-terminal "tmux-256color"\nset -g status off\n' > "$WORK/tmux.conf"

CLK_TCK=$(getconf CLK_TCK)
tmux -L "$SOCK" -f "$WORK/tmux.conf" new-session -d -x 160 -y 48 -s m \
    env LC_ALL=C.UTF-8 HOME="$HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" PS1='$ ' sh -i
sleep 0.5

now_ms() { date +%s%3N; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # utime + stime
nonblank() { tmux -L "$SOCK" capture-pane -p -t m | tr -d ' \n' | wc -c; }

measure() {   # name, command
    local name=$1 cmd=$2 pidfile=$WORK/pid
    rm -f "$pidfile"
    tmux -L "$SOCK" send-keys -t m "clear" Enter
    sleep 0.5
    local t0; t0=$(now_ms)
    tmux -L "$SOCK" send-keys -t m "sh -c 'echo \$\$ > $pidfile; exec $cmd'" Enter
    # A full screen: far more non-blank cells than the prompt and the typed command.
    local first=""
    for _ in $(seq 1 1000); do
        if [ "$(nonblank)" -gt 600 ]; then first=$(( $(now_ms) - t0 )); break; fi
        sleep 0.01
    done
    local pid; pid=$(cat "$pidfile")
    sleep "$WARMUP"
    local c0 s0 c1 s1
    c0=$(cpu_ticks "$pid"); s0=$(now_ms)
    sleep "$DURATION"
    c1=$(cpu_ticks "$pid"); s1=$(now_ms)
    local rss hwm
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
    hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
    kill -TERM "$pid"
    sleep 1
    awk -v n="$name" -v dc=$((c1 - c0)) -v ms=$((s1 - s0)) -v hz="$CLK_TCK" -v rss="$rss" -v hwm="$hwm" -v ff="${first:-timeout}" \
        'BEGIN { printf "%-8s cpu %5.2f %% of one core over %.0f s   rss %5.1f MiB (peak %5.1f)   first frame %s ms\n", n, 100 * dc / hz / (ms / 1000), ms / 1000, rss / 1024, hwm / 1024, ff }'
}

fps_of() { "$EDGETOP" stats --json "$1" | sed -n 's/.*"fps":\([0-9.]*\).*/\1/p'; }

# One live dashboard run of DURATION seconds, recording to $1.
dashboard_run() {
    local out=$1 pidfile=$WORK/pid
    rm -f "$pidfile"
    tmux -L "$SOCK" send-keys -t m "clear" Enter
    tmux -L "$SOCK" send-keys -t m "sh -c 'echo \$\$ > $pidfile; exec $EDGETOP $LIVE --interval 0.5 --record $out'" Enter
    for _ in $(seq 1 500); do [ -s "$pidfile" ] && break; sleep 0.01; done
    local pid; pid=$(cat "$pidfile")
    sleep 2
    # The main thread is the dashboard itself (poll, fold, draw, flush); inference and the
    # sampler run on their own threads.
    local u0 u1; u0=$(cpu_ticks "$pid/task/$pid")
    sleep $((DURATION - 2))
    u1=$(cpu_ticks "$pid/task/$pid")
    kill -TERM "$pid"
    sleep 2
    awk -v d=$((u1 - u0)) -v hz="$CLK_TCK" -v s=$((DURATION - 2)) 'BEGIN { printf "  dashboard thread: %.2f %% of one core\n", 100 * d / hz / s }'
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores; pane 160x48; interval 0.5 s"
if [ "$MODE" = cost ]; then
    measure edgetop "$EDGETOP --replay $TRACE --interval 0.5"
    measure htop "htop -d 5"
    measure btop "btop"
else
    LIVE="--model mobilenet-v1 --width 0.25 --resolution 128 --backend int8"
    echo "inference: $LIVE on all cores, $DURATION s per run, $ROUNDS rounds"
    for r in $(seq 1 "$ROUNDS"); do
        "$EDGETOP" record -o "$WORK/headless-$r.jsonl" --duration "$DURATION" $LIVE >/dev/null 2>&1
        dashboard_run "$WORK/dashboard-$r.jsonl"
        printf 'round %d: headless %s FPS, dashboard %s FPS\n' "$r" "$(fps_of "$WORK/headless-$r.jsonl")" "$(fps_of "$WORK/dashboard-$r.jsonl")"
    done
    for kind in headless dashboard; do
        for f in "$WORK"/$kind-*.jsonl; do fps_of "$f"; done | awk -v k=$kind '{ s += $1; n++ } END { printf "%-9s mean %.1f FPS over %d runs\n", k, s / n, n }'
    done
fi
