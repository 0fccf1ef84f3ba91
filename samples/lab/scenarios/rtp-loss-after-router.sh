# Scenario "rtp-loss-after-router": rtp-loss-router with the loss moved AFTER the router and RTCP on both ends:
# the provider's own interface drops 5 % of the phone's RTP on its way in (tools/nfqdelay.py on the provider's
# INPUT chain, as a lossy access line or carrier network beyond the router would), so both router captures hold
# every packet and the router forwards each one at once. Both RTP endpoints speak RTCP (tools/rtp.py --rtcp:
# SR + SDES every 5 s and SR + SDES + BYE at the end, RFC 3550 6.1/6.2, on the RTP port + 1), and the provider's
# report blocks about the phone's stream carry the loss it saw (RFC 3550 A.3 cumulative, A.8 jitter): the only
# place the captures show that loss. The provider's RTP and both RTCP flows are not touched.
#
# Issue 19: natrecon must put the loss after the router from the far end's RTCP receiver reports (within 1 point
# of the configured loss and exactly the packets the far end reported), and report no loss or delay at the router
# or before it.

# shellcheck source=/dev/null
source "$SCENARIO_DIR/rtp-loss-router.sh"
SCENARIO_TITLE="A call whose RTP to the provider is lost (5 %) after the router, seen only in the provider's RTCP reports"

PHONE_RTP_OPTS="$PHONE_RTP_OPTS --rtcp"
PROVIDER_RTP_OPTS="$PROVIDER_RTP_OPTS --rtcp"

IMPAIR_HOP=provider
IMPAIR_NS_VAR=NS_PROVIDER
IMPAIR_CHAIN=INPUT
IMPAIR_MATCH="-i eth0 -p udp --dport $PROVIDER_RTP_PORT"
IMPAIR_DELAY_MS=0
IMPAIR_SSRC=0x4e520a01          # the phone's stream
IMPAIR_INGRESS=lan
CLEAN_SSRC=0x4e520b02
CLEAN_INGRESS=wan

SCENARIO_PURPOSE='rtp-loss-router with the loss after the router, and RTCP: the provider'"'"'s own
interface drops about 5 % of the phone'"'"'s RTP on its way in (`tools/nfqdelay.py`
answering an NFQUEUE rule in the provider'"'"'s INPUT chain, as a lossy access line or
carrier network beyond the router would). Both router captures hold every packet and
the router forwards each at once. Both RTP endpoints send RTCP (`tools/rtp.py --rtcp`:
a sender report with a report block about the stream it receives and an SDES CNAME
every 5 s, and a last one with a BYE when it ends, on the RTP port + 1), so the
provider'"'"'s report blocks about the phone'"'"'s stream, which cross the router like any
packet, carry the loss it saw. natrecon must put the loss after the router from those
reports, with its size, and report no loss and no delay at the router or before it.'

scenario_check() {
    log "checking the captures and logs"
    casecheck \
        --require-sip "REGISTER,200 OK (REGISTER),INVITE,100 Trying (INVITE),180 Ringing (INVITE),200 OK (INVITE),ACK,BYE,200 OK (BYE)" \
        --require-rtp-both-ways --require-all-forwarded --require-only-ipv4 --require-port-preserved \
        --require-no-private-on-wan --require-ct-new "udp:5060,udp:$PROVIDER_RTP_PORT" >"$WORK/report.md" \
        || die "case checks failed (report: $WORK/report.md)"
    # the router lost and delayed nothing, in either direction
    hopcheck "$IMPAIR_SSRC" "$IMPAIR_INGRESS" --require-loss-before 0 --require-loss-at-router 0 --require-delay 0 \
        >"$WORK/hop-impaired.txt" || die "the phone's stream is not clean at the router: $(cat "$WORK/hop-impaired.txt")"
    hopcheck "$CLEAN_SSRC" "$CLEAN_INGRESS" --require-loss-before 0 --require-loss-at-router 0 --require-delay 0 \
        >"$WORK/hop-clean.txt" || die "the other stream is not clean: $(cat "$WORK/hop-clean.txt")"
    # what nfqdelay dropped is what the provider did not receive and what its last RTCP report counts
    local dropped sent received reported
    dropped=$(sed -n 's/^dropped=//p' "$OUT/impairment.log")
    sent=$(sed -n 's/^sent=//p' "$OUT/rtp-phone.log")
    received=$(sed -n 's/^received=//p' "$OUT/rtp-provider.log")
    reported=$(sed -n 's/^rtcp_reported_cumulative_lost=//p' "$OUT/rtp-provider.log")
    [[ $((sent - received)) == "$dropped" ]] || die "nfqdelay dropped $dropped, the provider missed $((sent - received))"
    [[ "$reported" == "$dropped" ]] || die "nfqdelay dropped $dropped, the provider's last RTCP report counts $reported"
    awk -v d="$dropped" -v s="$sent" -v p="$IMPAIR_LOSS" 'BEGIN { x = 100 * d / s - p; exit !(x <= 1 && x >= -1) }' \
        || die "realised loss $dropped of $sent is not within 1 point of $IMPAIR_LOSS %"
    for f in rtp-phone rtp-provider; do
        [[ $(sed -n 's/^rtcp_received=//p' "$OUT/$f.log") -ge 6 ]] || die "$f received too few RTCP reports"
    done
    grep -q '\[NEW\].*dport=5060.*helper=sip' "$OUT/kernel-events.txt" || die "no SIP conntrack entry with the sip helper"
    ! grep -q "DESTROY" "$OUT/kernel-events.txt" || die "unexpected flow DESTROY events"
}

# the impairment's properties, and what the far end's RTCP said
eval "$(declare -f case_properties_impairment | sed '1s/^case_properties_impairment/case_properties_impairment_router/')"
case_properties_impairment() {
    case_properties_impairment_router
    cat <<EOP
impairment.rtcp.provider.sent=$(sed -n 's/^rtcp_sent=//p' "$OUT/rtp-provider.log")
impairment.rtcp.phone.sent=$(sed -n 's/^rtcp_sent=//p' "$OUT/rtp-phone.log")
impairment.rtcp.reported.cumulative.lost=$(sed -n 's/^rtcp_reported_cumulative_lost=//p' "$OUT/rtp-provider.log")
impairment.phone.sent=$(sed -n 's/^sent=//p' "$OUT/rtp-phone.log")
EOP
}
