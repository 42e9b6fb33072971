#!/usr/bin/env bash
# Builds mlc-fuzz with ASan, libFuzzer's coverage instrumentation and libclang_rt.fuzzer_no_main, in its own
# scratch path (.build-fuzz), so the product binaries' build is untouched. Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift_bin=$(dirname "$(readlink -f "$(command -v swift)")")
runtime="$swift_bin/../lib/swift/clang/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a"
[[ -f $runtime ]] || { echo "fuzz: $runtime not found" >&2; exit 1; }
flags=(--product mlc-fuzz --scratch-path .build-fuzz
       -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -DFUZZING
       -Xlinker "$runtime" -Xlinker -lstdc++)
mkdir -p .build-fuzz
log=.build-fuzz/build.log
swift build "${flags[@]}" >"$log" 2>&1 || { grep -E "error:" "$log" >&2 || tail -40 "$log" >&2; exit 1; }
echo "$(swift build "${flags[@]}" --show-bin-path)/mlc-fuzz"
