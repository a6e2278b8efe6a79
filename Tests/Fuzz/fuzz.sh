#!/usr/bin/env bash
# Builds StackLab's libFuzzer targets and runs them (see Tests/Fuzz/README.md).
#
#   Tests/Fuzz/fuzz.sh build [TARGET...]                  build the instrumented modules and the targets
#   Tests/Fuzz/fuzz.sh run [--seconds N] [TARGET...]      seed, then fuzz each target N seconds (default 60), one at a time
#   Tests/Fuzz/fuzz.sh replay [TARGET...]                 run each target once over its committed regression inputs
#   Tests/Fuzz/fuzz.sh list                               the targets
#
# Everything it makes goes under .build/fuzz: the instrumented build, the binaries (bin/), the seed
# corpora (seeds/), the corpora the fuzzer grows (corpus/), crashes (crashes/) and logs (logs/).
# Runs are niced (nice -n 19): the fuzzer takes one core.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
export PATH="/opt/swift/usr/bin:$PATH"

targets=(ipv4 tcp udp icmp pcap pcapng trace-jsonl text-trace scenario lesson http websocket mqtt heartbeat render)
# Modules every target links (the library targets of Package.swift that Tutor and Checking need).
modules=(Wire Simulation Sockets Protocols Tracing Stack Loopback Apps Runs Rendering Checking Tutor)
work="$root/.build/fuzz"
spm="$work/spm"

# Inputs longer than this are cut by libFuzzer: lessons and traces are longer than packets.
max_len() {
    case "$1" in
        lesson|trace-jsonl|text-trace|render|pcap|pcapng) echo 65536 ;;
        scenario|http) echo 16384 ;;
        *) echo 4096 ;;
    esac
}

build() {
    local wanted=("$@")
    [ "${#wanted[@]}" -gt 0 ] || wanted=("${targets[@]}")
    echo "building the instrumented modules (release, -sanitize=fuzzer,address) in $spm"
    for product in Tutor Checking; do
        swift build -c release --build-path "$spm" -Xswiftc -sanitize=fuzzer,address --target "$product" 2>&1 \
            | grep -vE '^\[[0-9]+/[0-9]+\]' || true
    done
    local release
    release="$(cd "$spm/release" && pwd -P)"
    local objects=()
    for module in "${modules[@]}"; do
        objects+=("$release/$module.build"/*.o)
    done
    mkdir -p "$work/bin"
    local target
    for target in $(printf '%s\n' "${wanted[@]}" seeds | awk '!seen[$0]++'); do
        local source="Tests/Fuzz/Targets/$target.swift"
        [ "$target" = seeds ] && source="Tests/Fuzz/Tools/seeds.swift"
        [ -f "$source" ] || { echo "no target '$target' (see: $0 list)" >&2; exit 2; }
        echo "linking $target"
        swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzTarget \
            -I "$release/Modules" "$source" "${objects[@]}" -o "$work/bin/$target" 2>&1 \
            | grep -v "Cannot export local symbol" || true
        [ -x "$work/bin/$target" ] || { echo "linking $target failed" >&2; exit 1; }
    done
}

# Swift's own crash backtracer would fight libFuzzer's handlers; leak reports from the Swift
# runtime's caches are noise.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1"

seed() {
    rm -rf "$work/seeds"
    STACKLAB_FUZZ_ROOT="$root" STACKLAB_FUZZ_SEEDS="$work/seeds" "$work/bin/seeds"
    for target in "${targets[@]}"; do
        mkdir -p "$work/seeds/$target"
        if [ -d "Tests/Fuzz/Regressions/$target" ]; then
            cp Tests/Fuzz/Regressions/"$target"/* "$work/seeds/$target/" 2>/dev/null || true
        fi
    done
}

run() {
    local seconds=60
    if [ "${1:-}" = "--seconds" ]; then seconds="$2"; shift 2; fi
    local wanted=("$@")
    [ "${#wanted[@]}" -gt 0 ] || wanted=("${targets[@]}")
    for target in "${wanted[@]}" seeds; do
        [ -x "$work/bin/$target" ] || build "${wanted[@]}"
    done
    seed
    mkdir -p "$work/logs"
    local summary="$work/logs/summary.txt"
    for target in "${wanted[@]}"; do
        mkdir -p "$work/corpus/$target" "$work/crashes/$target"
        local log="$work/logs/$target.log"
        echo "fuzzing $target for ${seconds}s (log: $log)"
        set +e
        nice -n 19 "$work/bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -max_len="$(max_len "$target")" -print_final_stats=1 -artifact_prefix="$work/crashes/$target/" \
            "$work/corpus/$target" "$work/seeds/$target" >"$log" 2>&1
        local status=$?
        set -e
        local runs rate crashes
        runs="$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')"
        rate="$(grep -m1 'stat::average_exec_per_sec' "$log" | awk '{print $2}')"
        crashes="$(find "$work/crashes/$target" -type f | wc -l)"
        printf '%-12s %6ss  %10s runs  %7s exec/s  %s crash files  exit %s\n' \
            "$target" "$seconds" "${runs:-?}" "${rate:-?}" "$crashes" "$status" | tee -a "$summary"
    done
}

replay() {
    local wanted=("$@")
    [ "${#wanted[@]}" -gt 0 ] || wanted=("${targets[@]}")
    for target in "${wanted[@]}"; do
        [ -x "$work/bin/$target" ] || build "$target"
        local inputs=(Tests/Fuzz/Regressions/"$target"/*)
        [ -e "${inputs[0]}" ] || { echo "$target: no regression inputs"; continue; }
        "$work/bin/$target" -runs=1 "${inputs[@]}" >/dev/null 2>&1 \
            && echo "$target: ${#inputs[@]} regression inputs pass" \
            || { echo "$target: a regression input fails" >&2; exit 1; }
    done
}

case "${1:-}" in
    build) shift; build "$@" ;;
    run) shift; run "$@" ;;
    replay) shift; replay "$@" ;;
    list) printf '%s\n' "${targets[@]}" ;;
    *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
