# The test scripts' reporting: TAP (the Test Anything Protocol, as prove
# reads it).  Source it from a test/<name>/run script; tools/test runs the
# scripts with prove and counts their TAP results.
#
#   check NAME CMD...    runs CMD: "ok N - NAME" when it succeeds, else
#                        "not ok N - NAME"; returns CMD's success (0 or 1);
#                        CMD's output goes to standard error
#   ok NAME / notok NAME a result worked out by the script itself
#   skip NAME REASON     "ok N - NAME # skip REASON" (not counted as passed)
#   skip_all REASON      "1..0 # SKIP REASON" and exit 0: nothing could be
#                        checked here (before any result only)
#   diag TEXT...         "# TEXT" lines (stdin when no TEXT is given)
#   tap_import CMD...    runs CMD, which prints TAP result lines of its own
#                        ("ok - name", "not ok - name", "ok - name # skip
#                        why", "# ..." lines), and reports each of them;
#                        CMD's exit status says whether it ran to the end
#                        (not ok when it is not 0)
#   tap_regress ...      pg_regress's results as TAP, see below
#   finish               the plan "1..N"; exits 1 when anything failed
#
# TAP goes to the script's original standard output, kept as file
# descriptor 3; sourcing this file sends everything else the script and its
# commands print to standard error, so no output of a command (psql output
# starting with "ok", pg_regress's own "ok 1 - ..." lines of PostgreSQL 17)
# can be read as a result.  Descriptor 3 is closed for the commands of check
# and tap_import and by hs_as_user (tools/lib.sh), so that no process a test
# leaves behind (a server, a browser) holds prove's pipe open.

exec 3>&1 1>&2
tap_count=0 tap_failed=0

# A result line: tap_result <ok|not ok> <name> [directive]
tap_result() {
  local name=$2
  name=${name//$'\n'/ }; name=${name//\\/\\\\}; name=${name//#/\\#}
  tap_count=$((tap_count + 1))
  printf '%s %d - %s%s\n' "$1" "$tap_count" "$name" "${3:+ # $3}" >&3
}

ok() { tap_result ok "$*"; }
notok() { tap_failed=$((tap_failed + 1)); tap_result "not ok" "$*"; }
skip() { local why=${2:-}; tap_result ok "$1" "skip ${why//$'\n'/ }"; }

check() {
  local name=$1; shift
  if "$@" 3>&-; then ok "$name"; else notok "$name"; return 1; fi
}

diag() {
  if [ $# -gt 0 ]; then printf '%s\n' "$*"; else cat; fi | sed 's/^/# /' >&3
}

skip_all() {
  printf '1..0 # SKIP %s\n' "${*//$'\n'/ }" >&3
  exit 0
}

finish() {
  printf '1..%d\n' "$tap_count" >&3
  exit $((tap_failed > 0))
}

tap_import() {
  local out rc line name why
  out=$(mktemp "${TMPDIR:-/tmp}/health_share_tap.XXXXXX")
  "$@" >"$out" 3>&-; rc=$?
  while IFS= read -r line; do
    case $line in
      "not ok "*|"not ok") name=${line#not ok} ;;
      "ok "*|ok) name=${line#ok} ;;
      "#"*) printf '%s\n' "$line" >&3; continue ;;
      *) printf '%s\n' "$line"; continue ;;
    esac
    name=${name#"${name%%[! 0-9]*}"}; name=${name#- }
    case $line in
      "not ok"*) notok "${name//\\#/#}" ;;
      *" # skip "*|*" # SKIP "*) why=${name#* # [sS][kK][iI][pP] }; name=${name%% # [sS][kK][iI][pP] *}
                                skip "${name//\\#/#}" "$why" ;;
      *) ok "${name//\\#/#}" ;;
    esac
  done <"$out"
  rm -f "$out"
  [ "$rc" -eq 0 ] || notok "$* exited with status $rc"
}

# pg_regress (or pg_isolation_regress) prints no TAP before PostgreSQL 16;
# its verdict is read here from what it leaves behind, the way it reaches it:
# a suite passes when results/<suite>.out equals, ignoring white space
# (diff -w), expected/<suite>.out or one of its alternatives
# expected/<suite>_0.out ... _9.out.
# regress_passes <outputdir> <inputdir> <suite>
regress_passes() {
  local e
  for e in "$2/expected/$3.out" "$2/expected/$3"_[0-9].out; do
    [ -f "$e" ] && [ -f "$1/results/$3.out" ] && diff -w -q "$e" "$1/results/$3.out" >/dev/null && return 0
  done
  return 1
}

# One result per suite, named "<suite><suffix>" (a suite without a results
# file: "(not run)"), that suite's part of regression.diffs as diagnostics
# when HS_REGRESS_DIFFS=1; and "not ok" when pg_regress's exit status
# (0: every suite passed, 1: some failed, else it could not run) disagrees.
# tap_regress <exit status> <outputdir> <inputdir> <suffix> <suite>...
tap_regress() {
  local rc=$1 out=$2 in=$3 suffix=$4 s bad=0; shift 4
  for s in "$@"; do
    if regress_passes "$out" "$in" "$s"; then ok "$s$suffix"; continue; fi
    bad=1
    if [ -f "$out/results/$s.out" ]; then notok "$s$suffix"
    else notok "$s$suffix (not run)"; fi
    # its part of regression.diffs: from its "diff ... results/<suite>.out" line on
    [ "${HS_REGRESS_DIFFS:-0}" = 1 ] && [ -f "$out/regression.diffs" ] &&
      awk -v r="/results/$s.out" '/^diff / { p = index($0, r) > 0 } p' "$out/regression.diffs" | diag
  done
  case $rc in
    0) [ $bad = 0 ] || notok "pg_regress exited 0, yet a suite's output differs from its expected output" ;;
    1) [ $bad = 1 ] || notok "pg_regress exited 1 (a suite failed), yet every suite's output is an expected one" ;;
    *) notok "pg_regress could not run (exit status $rc)" ;;
  esac
  return $bad
}
