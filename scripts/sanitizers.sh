#!/usr/bin/env bash
# The sanitizer stage: probecc built with clang, ASan and UBSan (any report fails: see
# CMakeLists.txt) into build-asan/, then its unit tests, a fast subset of the end-to-end tests and
# a short run of every fuzz target (scripts/fuzz.sh). Ends with the line
# "sanitizers: N passed, N failed, N skipped" (scripts/test.sh adds it to its total).
# PROBECC_SANITIZE_E2E: the e2e tests to run (a ctest regex); FUZZ_SECONDS: per fuzz target.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=build-asan
e2e=${PROBECC_SANITIZE_E2E:-'^e2e\.(Robustness|Diagnostics|Core|Printk|Maps|VerifierLog)\.'}
export FUZZ_SECONDS=${FUZZ_SECONDS:-20}

started=$(date +%s)
if [ ! -f $dir/build.ninja ]; then
  # -O1: the sanitizers' own advice, and half the build time of -O2; line tables for the reports
  CC=clang-19 CXX=clang++-19 cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O1 -gline-tables-only' -DPROBECC_SANITIZE=ON -DPROBECC_FUZZ=ON \
    $(command -v ccache >/dev/null && [ "${CCACHE_DISABLE:-}" != 1 ] && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache) >/dev/null ||
    { echo "sanitizers: 0 passed, 1 failed, 0 skipped"; exit 1; }
fi
# Only what the stage runs
if ! cmake --build $dir --target probecc probecc-compiler probecc_unit_tests probecc_e2e_tests \
       fuzz_compile fuzz_attach_spec fuzz_printk_format fuzz_compiled_record; then
  echo "sanitizers: 0 passed, 1 failed, 0 skipped"
  exit 1
fi
echo "sanitizers: built in $(( $(date +%s) - started )) s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
ctest --test-dir $dir --output-on-failure -R "^unit\.|$e2e" 2>&1 | tee "$log"
read -r failed total < <(sed -n 's/.* \([0-9]*\) tests failed out of \([0-9]*\)$/\1 \2/p' "$log" | tail -n1)
skipped=$(grep -cE '^[[:space:]]*[0-9]+ - .* \(Skipped\)$' "$log" || true)
failed=${failed:-1} total=${total:-0}
scripts/fuzz.sh 2>&1 | tee -a "$log"
read -r fuzz_passed fuzz_failed < <(sed -n 's/^fuzz: \([0-9]*\) targets passed, \([0-9]*\) failed.*/\1 \2/p' "$log" | tail -n1)
fuzz_passed=${fuzz_passed:-0} fuzz_failed=${fuzz_failed:-1}
echo "sanitizers: stage took $(( $(date +%s) - started )) s"
echo "sanitizers: $(( total - failed - skipped + fuzz_passed )) passed, $(( failed + fuzz_failed )) failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$fuzz_failed" = 0 ]
