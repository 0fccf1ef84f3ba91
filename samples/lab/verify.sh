#!/usr/bin/env bash
# Regenerate one lab scenario live and check that it agrees with the committed
# sample case, times aside (run by .ci/run for baseline, so that the lab cannot rot).
#
#   samples/lab/verify.sh [SCENARIO]                 default: baseline
#   samples/lab/verify.sh --against DIR [SCENARIO]   compare with DIR instead of samples/SCENARIO/
#   samples/lab/verify.sh --run DIR [SCENARIO]       compare an existing run in DIR (no new run)
#
# Runs `lab.sh --out SCRATCH SCENARIO` (root; the lab installs its Debian
# packages itself), then tools/casecompare.py samples/SCENARIO SCRATCH:
# packet counts per capture, forwarding and frames without counterpart, NAT
# mappings, SIP messages and the helper's rewrites, RTP streams, the
# conntrack and expectation events (no timestamps, ids, or remaining
# timeouts; conntrack timeouts within 1 s) and the nft ruleset.
# Exit status: 0 agree, 1 disagree (a diff is printed), 2 the lab run failed
# or bad usage. The scratch run is kept when they disagree (or NRLAB_KEEP=1).
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES_DIR=$(dirname "$LAB_DIR")
AGAINST="" RUN=""

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
log() { printf '[verify %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

while (($#)); do
    case $1 in
        --against) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; AGAINST=$2; shift 2 ;;
        --run) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; RUN=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        -*) usage >&2; exit 2 ;;
        *) break ;;
    esac
done
(($# <= 1)) || { usage >&2; exit 2; }
SCENARIO=${1:-baseline}
[[ -f "$LAB_DIR/scenarios/$SCENARIO.sh" ]] || { log "unknown scenario '$SCENARIO'"; exit 2; }
AGAINST=${AGAINST:-$SAMPLES_DIR/$SCENARIO}
[[ -f "$AGAINST/kernel-events.txt" ]] || { log "$AGAINST has no committed case (kernel-events.txt)"; exit 2; }

start=$(date +%s)
SCRATCH=""
if [[ -z "$RUN" ]]; then
    SCRATCH=$(mktemp -d "/tmp/nrlab-verify-$SCENARIO.XXXXXX")
    RUN="$SCRATCH/$SCENARIO"
    log "running scenario $SCENARIO into $RUN"
    if ! "$LAB_DIR/lab.sh" --out "$RUN" "$SCENARIO"; then
        log "FAILED: lab.sh $SCENARIO failed (its own checks or the run itself; see the log above)"
        log "scratch output kept in $SCRATCH"
        exit 2
    fi
fi

rc=0
python3 "$LAB_DIR/tools/casecompare.py" "$AGAINST" "$RUN" || rc=$?
secs=$(($(date +%s) - start))
if ((rc == 0)); then
    log "OK: $SCENARIO agrees with $AGAINST (${secs} s)"
    if [[ -n "$SCRATCH" && "${NRLAB_KEEP:-0}" != 1 ]]; then rm -rf "$SCRATCH"; fi
    exit 0
fi
log "FAILED: $SCENARIO does not agree with $AGAINST (${secs} s)"
[[ -n "$SCRATCH" ]] && log "this run's case kept in $RUN"
exit $((rc == 1 ? 1 : 2))
