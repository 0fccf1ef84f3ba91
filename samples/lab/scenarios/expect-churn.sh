# Scenario "expect-churn": the SIP helper adds a media expectation and removes
# it again in the same packet. Phone A calls the provider offering RTP port
# 40000; the provider's RTP reaches 203.0.113.2:40000 before phone A sends any,
# so it uses up the RTP expectation (its DESTROY), while the RTCP expectation
# 203.0.113.2:40001 stays (nobody sends RTCP). Then phone B offers RTP port
# 40000 too: the RTP expectation 203.0.113.2:40000 is free again, the RTCP one
# is phone A's (an identical expectation of another master: -EALREADY). What
# the kernel logs for phone B's INVITE and its retransmissions is the case's
# ground truth (nf_nat_sip.c:nf_nat_sdp_media).
#
# This uses no global setting (nf_conntrack_expect_max is not touched).

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="A media expectation added and removed again: phone B's RTCP expectation collides with phone A's"
PHONE_B_IP=192.168.1.11
PHONE_RTP_PORT=40000
PROVIDER_RTP_PORT=30000
RTP_SECONDS=9
HOLD_MS=9800          # phone A: ACK -> BYE; longer than phone B's INVITE retransmissions
B_INVITE_RETRANS=3    # phone B: INVITE + 3 retransmissions (0.5, 1, 2 s), then 4 s more until timeout
# phone A starts sending 1.5 s after the call is up: the provider's RTP arrives first and uses the expectation
PHONE_RTP_OPTS="--duration $RTP_SECONDS --ssrc 0x4e520a11 --seq 1000 --ts 160000 --freq 440 --start-delay 1.5 --linger 1.0"
PROVIDER_RTP_OPTS="--duration $RTP_SECONDS --ssrc 0x4e520b12 --seq 5000 --ts 800000 --freq 1000 --linger 2.0"

scenario_configure() {
    add_phone_address "$PHONE_B_IP"
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1
}

scenario_run() {
    start_rtp_endpoints
    start_provider_uas udp 2 2002 600
    sleep 0.5

    log "phone A ($PHONE_IP): call offering RTP port $PHONE_RTP_PORT"
    sipp_phone_call sipp-phone-a "$PHONE_IP" 1001 "$PHONE_RTP_PORT" rtp-phone "nrlab-call-a-%u@%s" "$HOLD_MS"
    sleep 1.2
    log "phone B ($PHONE_B_IP): call offering the same RTP port $PHONE_RTP_PORT"
    sipp_phone_call sipp-phone-b "$PHONE_B_IP" 1003 "$PHONE_RTP_PORT" rtp-phone-b "nrlab-call-b-%u@%s" 1000 -max_invite_retrans "$B_INVITE_RETRANS"
    local rc=0
    wait_bg sipp-phone-b 30 || rc=$?
    PHONE_B_RC=$rc
    log "phone B's SIPp ended with exit code $rc"
    timed_snapshot SNAP_TS conntrack-L
    wait_bg sipp-phone-a 30 || die "phone A's call failed (see $WORK/sipp-phone-a.*)"
    wait_rtp_endpoints
    stop_bg sipp-provider   # it would wait for a second call that never arrives
    sleep 1
    timed_snapshot SNAP_END_TS conntrack-L-end
    keep_rtp_logs
    cp "$WORK/sipp-phone-b.messages.log" "$OUT/sipp-phone-b.messages.log"
}

scenario_check() {
    # the provider's RTP created the media entry (original direction provider -> router:40000)
    run_casecheck --require-sip "INVITE,200 OK (INVITE),ACK,BYE,200 OK (BYE)" --require-rtp-both-ways \
        --require-only-ipv4 --require-no-private-on-wan --require-ct-new "udp:5060,udp:$PHONE_RTP_PORT"
    local ct="$OUT/kernel-events.txt" ex="$OUT/kernel-expect-events.txt" wan_inv
    ((PHONE_B_RC != 0)) || die "phone B's call succeeded"
    B_LAN_FR=$(frames "$OUT/lan.pcap" "src == '$PHONE_B_IP' and sip.startswith('INVITE')")
    (($(wc -w <<<"$B_LAN_FR") == B_INVITE_RETRANS + 1)) || die "phone B's INVITEs on the LAN: $B_LAN_FR"
    wan_inv=$(frames "$OUT/wan.pcap" "sip.startswith('INVITE')" | wc -w)
    ((wan_inv == 1)) || die "expected phone A's INVITE only on the WAN, got $wan_inv"
    ! grep -q "src=$PHONE_B_IP" "$ct" || die "phone B's INVITE created a conntrack entry"
    # phone A's RTP expectation was used by the provider's first RTP packet, its RTCP one stayed
    grep -q "\[DESTROY\] .*src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=0 dport=$PHONE_RTP_PORT .*master-src=$PHONE_IP " "$ex" \
        || die "phone A's RTP expectation was not used before phone B's call"
    # the churn: per INVITE of phone B, its RTP expectation added and removed again, never an RTCP one
    B_NEW=$(grep -c "\[NEW\] .*dport=$PHONE_RTP_PORT .*master-src=$PHONE_B_IP " "$ex" || true)
    B_DESTROY=$(grep -c "\[DESTROY\] .*dport=$PHONE_RTP_PORT .*master-src=$PHONE_B_IP " "$ex" || true)
    log "phone B: $(wc -w <<<"$B_LAN_FR") INVITEs on the LAN, $B_NEW expectation NEW and $B_DESTROY DESTROY events"
    ((B_NEW == B_INVITE_RETRANS + 1 && B_DESTROY == B_NEW)) \
        || die "expected one NEW/DESTROY pair of phone B's RTP expectation per INVITE, got $B_NEW/$B_DESTROY"
    ! grep -q "dport=$((PHONE_RTP_PORT + 1)) .*master-src=$PHONE_B_IP " "$ex" || die "phone B got an RTCP expectation"
    local n=$((RTP_SECONDS * 50)) f
    for f in rtp-phone rtp-provider; do
        grep -qx "received=$n" "$OUT/$f.log" || die "$f did not receive $n RTP packets"
    done
}

scenario_document() {
    local a_rtp_used b_pairs
    a_rtp_used=$(event_times "$OUT/kernel-expect-events.txt" "DESTROY.*dport=$PHONE_RTP_PORT .*master-src=$PHONE_IP ")
    b_pairs=$(event_times "$OUT/kernel-expect-events.txt" "NEW.*master-src=$PHONE_B_IP ")
    {
        case_properties_common masquerade on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

EOP
        case_properties_phone phone "$PHONE_IP" "$PHONE_RTP_PORT"
        case_properties_phone phone2 "$PHONE_B_IP" "$PHONE_RTP_PORT"
        case_properties_media
        cat <<EOP
# expected findings: LAN frames (phone B's INVITEs) dropped by the SIP helper
expect.dropped.lan.frames=$(echo $B_LAN_FR | tr ' ' ',')
expect.dropped.reason=all ports in use for SDP media
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

Expectation churn: the SIP helper behind NAT adds a call's RTP expectation, fails to add its RTCP
expectation, and removes the RTP one again (\`nf_nat_sip.c:nf_nat_sdp_media\`: \`nf_ct_unexpect_related\`
after the second \`nf_ct_expect_related\` failed). The kernel reports both, a NEW and a DESTROY of the same
expectation within microseconds, in its \`conntrack -E expect\` stream. natrecon's model must log the same
pairs. Phone A's call holds the RTCP expectation $PROVIDER_IP → $ROUTER_WAN_IP:$((PHONE_RTP_PORT + 1)); its RTP expectation
(:$PHONE_RTP_PORT) is used up by the provider's first RTP packet. Phone B then offers the same RTP port
$PHONE_RTP_PORT: its RTP expectation can be added, its RTCP expectation is identical to phone A's under
another master (-EALREADY), so the helper removes the RTP one and drops the INVITE.

EOR
        readme_setup "- router: the default lab ruleset (\`oifname \"$ROUTER_WAN_IF\" masquerade\`, SIP helper on udp/5060); \`nf_conntrack_acct=1\`.
- phones: one namespace with two addresses on eth0 (the same MAC): phone A $PHONE_IP, phone B $PHONE_B_IP.
  Phone A: SIPp \`phone-call.xml\` from $PHONE_IP:5060, SDP \`m=audio $PHONE_RTP_PORT\`, BYE $((HOLD_MS / 1000)).$(( (HOLD_MS % 1000) / 100 )) s after the ACK;
  RTP \`rtp.py\` $RTP_SECONDS s each way, phone A's starting 1.5 s after the provider's so that the provider's RTP
  arrives first. 1.2 s after phone A, phone B: SIPp \`phone-call.xml\` from $PHONE_B_IP:5060, SDP \`m=audio $PHONE_RTP_PORT\` as well,
  \`-max_invite_retrans $B_INVITE_RETRANS\` (the INVITE and $B_INVITE_RETRANS retransmissions, then the call fails without any
  response; SIPp exit code $PHONE_B_RC). Phone B's SIPp message log: \`sipp-phone-b.messages.log\`.
- provider: SIPp \`provider-uas.xml\` on $PROVIDER_IP:5060 (\`-m 2\`, stopped by the lab after phone A's call).
- snapshots: \`conntrack-L.txt\`/\`expect-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s (phone B gave up, phone A's call up),
  \`conntrack-L-end.txt\`/\`expect-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- Phone A's INVITE created the expectations $PROVIDER_IP → $ROUTER_WAN_IP:$PHONE_RTP_PORT and :$((PHONE_RTP_PORT + 1)) (class 1, master
  $PHONE_IP:5060), the 200 OK's SDP $PHONE_IP → $PROVIDER_IP:$PROVIDER_RTP_PORT/$((PROVIDER_RTP_PORT + 1)). The provider's first RTP
  packet to $ROUTER_WAN_IP:$PHONE_RTP_PORT used up the RTP expectation (DESTROY at t=$a_rtp_used) and created the media entry
  $PROVIDER_IP:$PROVIDER_RTP_PORT → $ROUTER_WAN_IP:$PHONE_RTP_PORT; no RTCP was sent, so $ROUTER_WAN_IP:$((PHONE_RTP_PORT + 1)) stayed expected.
- Phone B's INVITE (LAN frames $B_LAN_FR: the INVITE and its $B_INVITE_RETRANS retransmissions) was **dropped by the
  router**: none of them is on the WAN and no conntrack entry was created for $PHONE_B_IP. For **each** of them the
  kernel logged a NEW of the expectation $PROVIDER_IP → $ROUTER_WAN_IP:$PHONE_RTP_PORT with master $PHONE_B_IP:5060 and its DESTROY
  a few microseconds later (NEW at t=$b_pairs), and never an expectation for :$((PHONE_RTP_PORT + 1)): the RTP expectation
  was inserted (IPEXP_NEW from \`nf_ct_expect_related_report\`), the RTCP one refused as identical to phone A's
  under another master (\`__nf_ct_expect_check\`: -EALREADY), and the RTP one removed again
  (\`nf_ct_unexpect_related\` → \`nf_ct_unlink_expect_report\`: IPEXP_DESTROY). -EALREADY is not "port busy", so
  \`nf_nat_sdp_media\` did not try the next port pair: "all ports in use for SDP media", NF_DROP.
- Phone A's BYE deleted its remaining expectations (the RTCP one and the two towards the provider).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
