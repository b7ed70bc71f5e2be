#!/usr/bin/env bash
# Runs Joold's fuzz targets under afl-fuzz (SharpFuzz instrumentation). See fuzz/README.md.
#
#   fuzz/run.sh TARGET[,TARGET...]|all [SECONDS | --execs N]     (default: 60 seconds per target)
#   fuzz/run.sh --list
#
# Exit status: 0 no finding; 1 a crash, or a hang that reproduces outside afl-fuzz; 3 the fuzzing could not run
# (no afl-fuzz, build or instrumentation failed, afl-fuzz did not start although the target passes its seeds and
# some thousands of random inputs in process). Every problem prints one "fuzz: ..." line.
# Environment: FUZZ_TIMEOUT_MS (afl-fuzz's per-input timeout, default 3000), FUZZ_HANG_REPLAY_S (how long a hang
# gets to finish when replayed alone, default 60), FUZZ_OUT (work directory, default fuzz/out).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${FUZZ_OUT:-$here/out}
timeout_ms=${FUZZ_TIMEOUT_MS:-3000}
hang_replay_s=${FUZZ_HANG_REPLAY_S:-60}
random_inputs=${FUZZ_RANDOM_INPUTS:-5000}
all_targets=(container netlink kernel config stats tls nats)
# Every Joold assembly the targets reach; the harness itself and the framework stay uninstrumented.
instrumented=(Joold.Core Joold.Netlink Joold.Sockets JoolNetlink Multicast Unicast StatsUdp Prometheus Tls Nats)

status=0
# A finding already made stays the verdict: infrastructure trouble later does not turn a crash into a 3.
infra() { echo "fuzz: cannot fuzz: $*" >&2; [ "$status" = 1 ] && exit 1; exit 3; }

usage() {
  echo "usage: fuzz/run.sh TARGET[,TARGET...]|all [SECONDS | --execs N]   targets: ${all_targets[*]}" >&2
  exit 2
}

[ $# -ge 1 ] || usage
if [ "$1" = "--list" ]; then printf '%s\n' "${all_targets[@]}"; exit 0; fi
if [ "$1" = "all" ]; then targets=("${all_targets[@]}"); else IFS=, read -r -a targets <<<"$1"; fi
for t in "${targets[@]}"; do [[ " ${all_targets[*]} " == *" $t "* ]] || usage; done
limit=(-V 60); limit_text="60 s"
if [ $# -ge 3 ] && [ "$2" = "--execs" ] && [[ "$3" =~ ^[0-9]+$ ]]; then limit=(-E "$3"); limit_text="$3 executions"
elif [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]]; then limit=(-V "$2"); limit_text="$2 s"
elif [ $# -ge 2 ]; then usage; fi

command -v afl-fuzz >/dev/null 2>&1 || infra "afl-fuzz is not installed (Debian: apt-get install afl++)"
dotnet=$(command -v dotnet) || infra "dotnet is not on PATH"

# A fresh publish every time: SharpFuzz rewrites the assemblies in place and refuses to instrument twice. The plain
# copy makes the seeds and replays findings: instrumented code only runs under afl-fuzz.
bin=$out/bin
plain=$out/plain
rm -rf "$bin" "$plain" "$out/seeds" "$out/instrument.log" "$out"/*.random-crash
mkdir -p "$out"
if ! dotnet publish "$here/Joold.Fuzz/Joold.Fuzz.csproj" -c Release -o "$plain" --nologo -v quiet >"$out/publish.log" 2>&1; then
  tail -n 20 "$out/publish.log" >&2
  infra "dotnet publish of fuzz/Joold.Fuzz failed (log: $out/publish.log)"
fi
cp -r "$plain" "$bin"
(cd "$here" && dotnet tool restore >/dev/null 2>&1) || infra "dotnet tool restore (SharpFuzz.CommandLine) failed in fuzz/"
for assembly in "${instrumented[@]}"; do
  (cd "$here" && dotnet tool run sharpfuzz "$bin/$assembly.dll" >>"$out/instrument.log" 2>&1) \
    || infra "sharpfuzz could not instrument $assembly.dll (log: $out/instrument.log)"
done
# A valid seed that crashes its target is a finding (the code or the target broke), not an infrastructure problem.
if ! dotnet "$plain/Joold.Fuzz.dll" seeds "$out/seeds" >"$out/seeds.log" 2>&1; then
  cat "$out/seeds.log" >&2
  echo "fuzz: the seed generator failed: a valid seed crashes its target (log: $out/seeds.log)" >&2
  exit 1
fi
cp "$root"/packaging/examples/*.json "$out/seeds/config/"

export AFL_SKIP_BIN_CHECK=1          # the .NET host is not instrumented; SharpFuzz reports coverage itself
export AFL_NO_UI=1
export AFL_NO_AFFINITY=1             # several fuzzers and builds share the cores
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1   # core_pattern is the host's business
export AFL_FORKSRV_INIT_TMOUT=120000 # the .NET runtime's start-up is not an input's time

# When afl-fuzz will not start (its fork server died, say), the target itself may be broken: that once passed as
# infrastructure. Replay the seeds and run random inputs through the plain build, in process; returns 1 on a finding.
check_without_afl() {
  local target=$1 log=$out/$1.without-afl.log crash=$out/$1.random-crash
  if ! timeout 300 "$dotnet" "$plain/Joold.Fuzz.dll" replay "$target" "$out/seeds/$target"/* >"$log" 2>&1; then
    grep -m 1 -A 20 '^FAIL' "$log" >&2
    echo "fuzz: $target: CRASH: afl-fuzz did not start, and a seed fails (or hangs) the target without it (log: $log)" >&2
    return 1
  fi
  if ! timeout 600 "$dotnet" "$plain/Joold.Fuzz.dll" random "$target" "$random_inputs" "$crash" >"$log" 2>&1; then
    head -n 25 "$log" >&2
    echo "fuzz: $target: CRASH: afl-fuzz did not start, and a random input fails (or hangs) the target without it: $crash (log: $log)" >&2
    return 1
  fi
  echo "fuzz: $target: afl-fuzz did not start; the seeds and $random_inputs random inputs pass the target without it" >&2
}

for target in "${targets[@]}"; do
  findings=$out/findings/$target
  mkdir -p "$out/findings"
  dict=()
  [ -f "$here/dictionaries/$target.dict" ] && dict=(-x "$here/dictionaries/$target.dict")
  stats=$findings/default/fuzzer_stats
  # On a loaded machine afl-fuzz's dry run now and then sees an empty map ("No instrumentation detected") and stops
  # before fuzzing; a second start has always worked.
  for attempt in 1 2; do
    rm -rf "$findings"
    started=$(date +%s)
    afl-fuzz -i "$out/seeds/$target" -o "$findings" -t "$timeout_ms" -m none "${limit[@]}" "${dict[@]}" \
      -- "$dotnet" "$bin/Joold.Fuzz.dll" "$target" >"$out/$target.afl.log" 2>&1
    afl_status=$?
    if [ -f "$stats" ] && [ "$afl_status" = 0 ] && [ "$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats")" != 0 ]; then
      break
    fi
    tail -n 4 "$out/$target.afl.log" | sed 's/\x1b\[[0-9;]*m//g' >&2
    if [ "$attempt" = 2 ]; then
      check_without_afl "$target" || { status=1; continue 2; }
      infra "afl-fuzz did not run target $target twice (exit $afl_status; log: $out/$target.afl.log)"
    fi
    echo "fuzz: $target: afl-fuzz did not start (exit $afl_status); trying once more" >&2
  done
  execs=$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats")
  elapsed=$(( $(date +%s) - started ))
  crashes=("$findings"/default/crashes/id:*)
  hangs=("$findings"/default/hangs/id:*)
  [ -e "${crashes[0]}" ] || crashes=()
  [ -e "${hangs[0]}" ] || hangs=()

  # A hang counts only if the input still does not finish when replayed alone, so a busy machine cannot fail the run.
  real_hangs=0
  for hang in "${hangs[@]}"; do
    if timeout "$hang_replay_s" dotnet "$plain/Joold.Fuzz.dll" replay "$target" "$hang" >/dev/null 2>&1; then
      echo "fuzz: $target: $hang timed out under afl-fuzz but finishes alone: not counted (a busy machine)" >&2
    else
      real_hangs=$((real_hangs + 1))
      echo "fuzz: $target: HANG (or failure) reproduced: $hang" >&2
    fi
  done
  for crash in "${crashes[@]}"; do
    echo "fuzz: $target: CRASH: $crash" >&2
    dotnet "$plain/Joold.Fuzz.dll" replay "$target" "$crash" 2>&1 | head -n 25 >&2
  done
  echo "fuzz $target: $execs executions in ${elapsed} s (limit $limit_text), ${#crashes[@]} crashes, $real_hangs hangs ($((${#hangs[@]} - real_hangs)) not reproduced)"
  if [ "${#crashes[@]}" -gt 0 ] || [ "$real_hangs" -gt 0 ]; then status=1; fi
done
exit "$status"
