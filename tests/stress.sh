#!/usr/bin/env bash
# Runs the test suite again and again, optionally while other processes keep every core busy, and counts failures:
# a test that fails once in twenty runs blocks a landing as surely as one that always fails.
#
#   tests/stress.sh [-n RUNS] [--busy] [--install] [--project PATH] [--keep-logs DIR]
#
#   -n RUNS          how many runs (default 10)
#   --busy           keep every core busy during the runs: stress-ng --cpu N when installed, else N shell busy loops
#                    (N = nproc), at the tests' own priority
#   --install        install stress-ng from Debian first (apt-get) if it is missing
#   --project PATH   run one test project (dotnet test --project PATH -c Release) instead of the whole solution
#                    (dotnet test --solution Joold.sln -c Release, the README's command)
#   --keep-logs DIR  keep every run's output in DIR (failed runs' output is always kept, and its path printed)
#
# Prints one line per run and a summary; exits 0 only if every run passed.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

runs=10 busy=0 install=0 project="" keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=${2:?-n needs a number}; shift 2 ;;
    --busy) busy=1; shift ;;
    --install) install=1; shift ;;
    --project) project=${2:?--project needs a path}; shift 2 ;;
    --keep-logs) keep=${2:?--keep-logs needs a folder}; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stress.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "stress.sh: -n takes a whole number above 0, not '$runs'" >&2; exit 2 ;; esac

if [ -n "$project" ]; then
  command=(dotnet test --project "$project" -c Release)
else
  command=(dotnet test --solution Joold.sln -c Release)
fi

if [ "$install" = 1 ] && ! command -v stress-ng >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq stress-ng >/dev/null || { echo "stress.sh: could not install stress-ng" >&2; exit 2; }
fi

logs=${keep:-$(mktemp -d /tmp/joold-stress.XXXXXX)}
mkdir -p "$logs"

# Build once before loading the machine; each run still builds (a no-op by then), exactly as the command does.
dotnet build "${project:-Joold.sln}" -c Release -v q -nologo >"$logs/build.log" 2>&1 \
  || { echo "stress.sh: the build failed, see $logs/build.log" >&2; exit 1; }

loaders=()
stop_loaders() {
  for pid in "${loaders[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${loaders[@]}"; do wait "$pid" 2>/dev/null; done
  loaders=()
}
trap stop_loaders EXIT
trap 'exit 130' INT TERM

if [ "$busy" = 1 ]; then
  cores=$(nproc)
  if command -v stress-ng >/dev/null 2>&1; then
    stress-ng --cpu "$cores" --quiet >/dev/null 2>&1 &
    loaders+=($!)
    echo "stress.sh: stress-ng --cpu $cores keeps the cores busy (pid ${loaders[*]})"
  else
    for _ in $(seq "$cores"); do
      bash -c 'while :; do :; done' &
      loaders+=($!)
    done
    echo "stress.sh: $cores busy loops keep the cores busy (pids ${loaders[*]})"
  fi
fi

echo "stress.sh: $runs runs of: ${command[*]}"
failed_runs=0 failed_tests=0
for i in $(seq "$runs"); do
  log="$logs/run-$i.log"
  start=$(date +%s)
  timeout 40m "${command[@]}" >"$log" 2>&1
  status=$?
  seconds=$(( $(date +%s) - start ))
  # Microsoft Testing Platform prints a total/failed/succeeded/skipped block per test assembly: add them up.
  read -r passed failed skipped < <(awk '
    /^[[:space:]]*failed:[[:space:]]*[0-9]+/    { f += $2 }
    /^[[:space:]]*succeeded:[[:space:]]*[0-9]+/ { p += $2 }
    /^[[:space:]]*skipped:[[:space:]]*[0-9]+/   { s += $2 }
    END { print p + 0, f + 0, s + 0 }' "$log")
  if [ "$status" != 0 ] || [ "$failed" != 0 ]; then
    failed_runs=$((failed_runs + 1))
    failed_tests=$((failed_tests + failed))
    echo "run $i/$runs: FAILED (exit $status) $passed passed, $failed failed, $skipped skipped, ${seconds} s; output: $log"
    grep -E '^[[:space:]]*failed [^ ]' "$log" | sed 's/^/    /' | head -20
  else
    echo "run $i/$runs: passed, $passed passed, $failed failed, $skipped skipped, ${seconds} s"
    [ -n "$keep" ] || rm -f "$log"
  fi
done

echo "stress.sh: $failed_runs of $runs runs failed ($failed_tests failed tests)$([ "$busy" = 1 ] && echo ', cores kept busy')"
if [ -z "$keep" ] && [ "$failed_runs" = 0 ]; then
  rm -rf "$logs"
fi
[ "$failed_runs" = 0 ]
