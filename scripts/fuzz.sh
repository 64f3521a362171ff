#!/bin/sh
# Builds the libFuzzer targets (fuzz/fuzz_*.c) with clang in a build of their
# own and runs each for SECONDS seconds (default 300).  Every target first
# replays its committed reproducers (fuzz/regress/NAME/), then fuzzes from
# its seeds (fuzz/corpus/NAME/) plus what earlier runs found
# (BUILD/corpus/NAME/, never committed).  A crash, leak, sanitizer report,
# failed check or hang (an input taking over 10 s) stops with status 1 and
# the input saved as BUILD/artifacts/NAME-*.
# usage: sh scripts/fuzz.sh [SECONDS [NAME...]]     (NAME: analyze, record...)
# environment: FUZZ_BUILD (default build-fuzz), JOBS (parallel compile jobs)
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-300}
[ $# -gt 0 ] && shift
build=${FUZZ_BUILD:-build-fuzz}

sh scripts/install-deps.sh --fuzz
CC=clang cmake -S . -B "$build" -DKHABAR_FUZZ=ON -DKHABAR_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzzers -j "${JOBS:-2}" >/dev/null

if [ $# -eq 0 ]; then
  for src in fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    set -- "$@" "${name#fuzz_}"
  done
fi

# Seeds kept elsewhere in the tree: the HTML test pages seed the extractor.
extra_seeds() { [ "$1" = extract ] && echo tests/html; return 0; }

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for name in "$@"; do
  bin=$build/fuzz/fuzz_$name
  [ -x "$bin" ] || { echo "fuzz: no target fuzz_$name" >&2; exit 2; }
  # Words are short; articles and records need room for a few paragraphs.
  case $name in
    word) max_len=256 ;;
    normalize) max_len=4096 ;;
    *) max_len=8192 ;;
  esac
  mkdir -p "$build/corpus/$name" "$build/artifacts"
  log=$build/fuzz-$name.log
  if [ -d "fuzz/regress/$name" ] && [ -n "$(ls "fuzz/regress/$name")" ]; then
    if ! "$bin" -timeout=10 -rss_limit_mb=2560 "fuzz/regress/$name"/* >"$log" 2>&1; then
      echo "fuzz: $name: a committed reproducer fails again (fuzz/regress/$name):" >&2
      grep -E 'ERROR|SUMMARY|fuzz check|Running:' "$log" | tail -n 8 >&2
      status=1
      continue
    fi
  fi
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=$max_len \
      -dict=fuzz/khabar.dict -artifact_prefix="$build/artifacts/$name-" -print_final_stats=1 \
      "$build/corpus/$name" "fuzz/corpus/$name" $(extra_seeds "$name") >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*corp: \([0-9]*\).*/\2 inputs, \1 edges/p')
    echo "fuzz: $name: ${seconds}s, $execs runs ($rate/s), corpus $cov, no failure"
  else
    echo "fuzz: $name: FAILED; log: $log" >&2
    grep -E 'ERROR|SUMMARY|fuzz check|Test unit written|artifact_prefix' "$log" | head -n 12 >&2
    status=1
  fi
done
exit $status
