#!/usr/bin/env bash
# infra/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]: builds mlc-fuzz (infra/fuzz/build.sh), replays every kept crash
# (Tests/FuzzRegressions/<target>/), then runs libFuzzer on each target for SECONDS_PER_TARGET (default 60) from
# seeds made from the fixtures and the hostile corpus (infra/fuzz/seeds.py) plus the corpus earlier local runs grew
# (.build-fuzz/corpus, never committed). Prints executions and the result per target; a new crash input is written
# to Tests/FuzzRegressions/<target>/ (commit it with the fix) and makes the run exit 1.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
started=$(date +%s)
binary=$(infra/fuzz/build.sh)
echo "fuzz: built $binary in $(( $(date +%s) - started ))s"
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || read -r -a targets <<<"$("$binary" 2>&1 | sed -n 's/.*targets: //p')"

work=.build-fuzz/run
rm -rf "$work/seeds" && mkdir -p "$work/seeds"
python3 infra/fuzz/seeds.py "$work/seeds"
# Swift's runtime keeps allocations alive until exit; leaks are not what this looks for.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}

failed=0
summary=()
for target in "${targets[@]}"; do
  regressions=Tests/FuzzRegressions/$target
  corpus=.build-fuzz/corpus/$target
  mkdir -p "$regressions" "$corpus" "$work/seeds/$target"
  log=$work/$target.log
  # 1. Every kept crash input must now pass.
  mapfile -t kept < <(find "$regressions" -type f ! -name '*.md' | sort)
  if [[ ${#kept[@]} -gt 0 ]] && ! "$binary" "$target" "${kept[@]}" >"$log.replay" 2>&1; then
    echo "fuzz: $target: a kept regression input crashes again:" >&2; tail -30 "$log.replay" >&2
    summary+=("$target: REGRESSION (replay of ${#kept[@]} kept inputs failed)"); failed=1; continue
  fi
  # 2. Fuzz.
  status=0
  "$binary" "$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$regressions/" "$corpus" "$work/seeds/$target" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [[ $status -ne 0 ]]; then
    echo "fuzz: $target: crash (exit $status):" >&2; grep -E "Swift runtime failure|Fatal error|ERROR:|SUMMARY|Test unit written" "$log" | head -20 >&2
    summary+=("$target: CRASH after ${runs:-?} executions; input kept in $regressions/"); failed=1
  else
    summary+=("$target: ok, ${runs:-?} executions in ${seconds}s, corpus $(ls "$corpus" | wc -l), replayed ${#kept[@]} kept")
  fi
done
echo "fuzz: results (${seconds}s per target, $(( $(date +%s) - started ))s in all):"
printf '  %s\n' "${summary[@]}"
exit $failed
