#!/bin/sh
# Runs the test suite under AddressSanitizer (LeakSanitizer included) and
# UndefinedBehaviorSanitizer, in a build of its own (default build-asan).
# Reports are also written to BUILD/sanitizer/ so that one a test script
# swallowed still fails the run.
# usage: sh scripts/sanitize.sh        environment: ASAN_BUILD, JOBS
set -eu
cd "$(dirname "$0")/.."
build=${ASAN_BUILD:-build-asan}

sh scripts/install-deps.sh
cmake -S . -B "$build" -DKHABAR_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "${JOBS:-2}" >/dev/null

logs=$PWD/$build/sanitizer
rm -rf "$logs"
mkdir -p "$logs"
export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:detect_stack_use_after_return=1:log_path=$logs/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan"
status=0
(cd "$build" && ctest --output-on-failure) || status=1
if [ -n "$(ls "$logs")" ]; then
  echo "sanitize: sanitizer reports:" >&2
  cat "$logs"/* >&2
  status=1
fi
[ $status = 0 ] && echo "sanitize: the tests pass under ASan, LSan and UBSan"
exit $status
