# Scenario "rtp-loss-upstream": rtp-loss-router with the impairment moved UPSTREAM of the router: the provider's
# own interface loses 5 % of its RTP towards the phone and delays the rest by 40 ms (tools/nfqdelay.py on the
# provider's OUTPUT chain, as a lossy access line or carrier network would), so the lost packets never reach the
# router: both router captures miss them (sequence gaps already on wan.pcap), and the router forwards every
# packet it gets without loss or added delay. The delay happens before the router's first capture and is
# invisible to it. The phone's RTP is not touched.
#
# Issue 19: natrecon must put the loss before the router (on the WAN side), with its size (+-1 point), report no
# loss or delay at the router, and not claim to know the upstream delay.

# shellcheck source=/dev/null
source "$SCENARIO_DIR/rtp-loss-router.sh"
SCENARIO_TITLE="A call whose RTP from the provider is lost (5 %) and delayed (40 ms) before it reaches the router"

IMPAIR_HOP=provider
IMPAIR_NS_VAR=NS_PROVIDER
IMPAIR_CHAIN=OUTPUT
IMPAIR_MATCH="-o eth0 -p udp --sport $PROVIDER_RTP_PORT"
IMPAIR_SSRC=0x4e520b02          # the provider's stream
IMPAIR_INGRESS=wan
CLEAN_SSRC=0x4e520a01
CLEAN_INGRESS=lan

SCENARIO_PURPOSE='rtp-loss-router with the impairment upstream of the router: the provider'"'"'s own
interface loses about 5 % of its RTP towards the phone and delays the rest by 40 ms
(`tools/nfqdelay.py` answering an NFQUEUE rule in the provider'"'"'s OUTPUT chain, as a
lossy access line or carrier network would). The lost packets never reach the router:
they are missing from both `wan.pcap` and `lan.pcap` (sequence gaps already where the
stream enters the router), and the router forwards every packet it gets at once. The
40 ms happen before the router'"'"'s first capture and cannot be seen from the router.
natrecon must put the loss before the router, with its size, and report no loss and
no added delay at the router.'

scenario_check() {
    log "checking the captures and logs"
    casecheck \
        --require-sip "REGISTER,200 OK (REGISTER),INVITE,100 Trying (INVITE),180 Ringing (INVITE),200 OK (INVITE),ACK,BYE,200 OK (BYE)" \
        --require-rtp-both-ways --require-all-forwarded --require-only-ipv4 --require-port-preserved \
        --require-no-private-on-wan --require-ct-new "udp:5060,udp:$PROVIDER_RTP_PORT" >"$WORK/report.md" \
        || die "case checks failed (report: $WORK/report.md)"
    IMPAIR_LOST_KEY=lost_before
    impairment_check --require-loss-before "$IMPAIR_LOSS" --require-loss-at-router 0 --require-delay 0
    grep -q '\[NEW\].*dport=5060.*helper=sip' "$OUT/kernel-events.txt" || die "no SIP conntrack entry with the sip helper"
    ! grep -q "DESTROY" "$OUT/kernel-events.txt" || die "unexpected flow DESTROY events"
}
