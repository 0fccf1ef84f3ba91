# Scenario "expect-exhaustion": the SIP helper cannot add the media
# expectations for an INVITE and drops it. Two phones behind the router call
# the same provider and both offer RTP port 40000 in their SDP. Phone A's
# call gets expectations for 203.0.113.2:40000/40001; while they exist,
# phone B's INVITE (and every retransmission) is dropped by the helper
# ("all ports in use for SDP media"): the LAN packet has no WAN counterpart
# and no conntrack entry is created for it.
#
# This uses no global setting (nf_conntrack_expect_max is not touched).

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="Two calls offering the same RTP port: the SIP helper cannot add expectations and drops the second INVITE"
PHONE_B_IP=192.168.1.11
PHONE_C_IP=192.168.1.12   # control: a third call offering another port passes
PHONE_C_RTP_PORT=40002
PHONE_RTP_PORT=40000
PROVIDER_RTP_PORT=30000
RTP_SECONDS=9
HOLD_MS=9800          # phone A: ACK -> BYE; longer than phone B's INVITE retransmissions
B_INVITE_RETRANS=3    # phone B: INVITE + 3 retransmissions (0.5, 1, 2 s), then 4 s more until timeout
PHONE_RTP_OPTS="--duration $RTP_SECONDS --ssrc 0x4e520a01 --seq 1000 --ts 160000 --freq 440 --linger 1.0"
PROVIDER_RTP_OPTS="--duration $RTP_SECONDS --ssrc 0x4e520b02 --seq 5000 --ts 800000 --freq 1000 --start-delay 0.2 --linger 0.5"

scenario_configure() {
    add_phone_address "$PHONE_B_IP"
    add_phone_address "$PHONE_C_IP"
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1
}

scenario_run() {
    start_rtp_endpoints
    start_provider_uas udp 3 2002 600
    sleep 0.5

    log "phone A ($PHONE_IP): call offering RTP port $PHONE_RTP_PORT"
    sipp_phone_call sipp-phone-a "$PHONE_IP" 1001 "$PHONE_RTP_PORT" rtp-phone "nrlab-call-a-%u@%s" "$HOLD_MS"
    sleep 1
    log "phone B ($PHONE_B_IP): call offering the same RTP port $PHONE_RTP_PORT"
    sipp_phone_call sipp-phone-b "$PHONE_B_IP" 1003 "$PHONE_RTP_PORT" rtp-phone-b "nrlab-call-b-%u@%s" 1000 -max_invite_retrans "$B_INVITE_RETRANS"
    sleep 1
    log "phone C ($PHONE_C_IP): call offering RTP port $PHONE_C_RTP_PORT (control)"
    sipp_phone_call sipp-phone-c "$PHONE_C_IP" 1004 "$PHONE_C_RTP_PORT" rtp-phone-c "nrlab-call-c-%u@%s" 1000
    local rc=0
    wait_bg sipp-phone-b 30 || rc=$?
    PHONE_B_RC=$rc
    log "phone B's SIPp ended with exit code $rc (expected: failed call)"
    timed_snapshot SNAP_TS conntrack-L
    wait_bg sipp-phone-a 30 || die "phone A's call failed (see $WORK/sipp-phone-a.*)"
    wait_bg sipp-phone-c 10 || die "phone C's call failed (see $WORK/sipp-phone-c.*)"
    wait_rtp_endpoints
    stop_bg sipp-provider   # it would wait for a second call that never arrives
    sleep 1
    timed_snapshot SNAP_END_TS conntrack-L-end
    keep_rtp_logs
    cp "$WORK/sipp-phone-b.messages.log" "$OUT/sipp-phone-b.messages.log"
}

scenario_check() {
    # phone B's INVITEs have no WAN counterpart: no --require-all-forwarded
    run_casecheck --require-sip "INVITE,200 OK (INVITE),ACK,BYE,200 OK (BYE)" --require-rtp-both-ways \
        --require-only-ipv4 --require-no-private-on-wan --require-ct-new "udp:5060,udp:$PROVIDER_RTP_PORT"
    local ct="$OUT/kernel-events.txt" ex="$OUT/kernel-expect-events.txt"
    ((PHONE_B_RC != 0)) || die "phone B's call succeeded"
    B_LAN_FR=$(frames "$OUT/lan.pcap" "src == '$PHONE_B_IP' and sip.startswith('INVITE')")
    (($(wc -w <<<"$B_LAN_FR") == B_INVITE_RETRANS + 1)) || die "phone B's INVITEs on the LAN: $B_LAN_FR"
    local wan_inv
    wan_inv=$(frames "$OUT/wan.pcap" "sip.startswith('INVITE')" | wc -w)
    ((wan_inv == 2)) || die "expected the INVITEs of phones A and C only on the WAN, got $wan_inv"
    grep -q "\[NEW\] 180 proto=17 src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=0 dport=$PHONE_C_RTP_PORT .*master-src=$PHONE_C_IP" "$ex" \
        || die "phone C has no expectation for port $PHONE_C_RTP_PORT"
    ! grep -q "src=$PHONE_B_IP" "$ct" || die "phone B's INVITE created a conntrack entry"
    ! grep -q "master-src=$PHONE_B_IP" "$ex" || die "phone B got an expectation"
    grep -q "\[NEW\] 180 proto=17 src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=0 dport=$PHONE_RTP_PORT .*master-src=$PHONE_IP" "$ex" \
        || die "phone A has no expectation for port $PHONE_RTP_PORT"
    local n=$((RTP_SECONDS * 50)) f
    for f in rtp-phone rtp-provider; do
        grep -qx "received=$n" "$OUT/$f.log" || die "$f did not receive $n RTP packets"
    done
}

scenario_document() {
    local a_exp_del
    a_exp_del=$(event_times "$OUT/kernel-expect-events.txt" "DESTROY.*dst=$ROUTER_WAN_IP sport=0 dport=$PHONE_RTP_PORT ")
    {
        case_properties_common masquerade on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

EOP
        case_properties_phone phone "$PHONE_IP" "$PHONE_RTP_PORT"
        case_properties_phone phone2 "$PHONE_B_IP" "$PHONE_RTP_PORT"
        case_properties_phone phone3 "$PHONE_C_IP" "$PHONE_C_RTP_PORT"
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

The SIP helper has to create media expectations for every SDP it sees. When it cannot, it drops the
SIP packet that carried the SDP. Here two phones behind the router call the same provider and both
offer RTP port $PHONE_RTP_PORT; phone A's call holds the expectations for $ROUTER_WAN_IP:$PHONE_RTP_PORT/$((PHONE_RTP_PORT + 1)),
so phone B's INVITE is dropped, and so is every retransmission, until phone B gives up. natrecon should
see LAN packets without a WAN counterpart, find no conntrack entry for them, and explain the drop with
the helper's expectation conflict. No global setting is involved (\`nf_conntrack_expect_max\` untouched).

EOR
        readme_setup "- router: the default lab ruleset (\`oifname \"$ROUTER_WAN_IF\" masquerade\`, SIP helper on udp/5060); \`nf_conntrack_acct=1\`.
- phones: one namespace with three addresses on eth0 (the same MAC): phone A $PHONE_IP, phone B $PHONE_B_IP, phone C $PHONE_C_IP.
  Phone A: SIPp \`phone-call.xml\` from $PHONE_IP:5060, SDP \`m=audio $PHONE_RTP_PORT\`, BYE $((HOLD_MS / 1000)).$(( (HOLD_MS % 1000) / 100 )) s after the ACK;
  RTP \`rtp.py\` $RTP_SECONDS s each way as in \`baseline\`. 1 s later phone B: SIPp \`phone-call.xml\` from $PHONE_B_IP:5060,
  SDP \`m=audio $PHONE_RTP_PORT\` as well, \`-max_invite_retrans $B_INVITE_RETRANS\` (INVITE at 0, 0.5, 1.5, 3.5 s, call fails at
  7.5 s without any response; SIPp exit code $PHONE_B_RC). Phone B's SIPp message log: \`sipp-phone-b.messages.log\`.
- control: 1 s after phone B, phone C ($PHONE_C_IP) calls with SDP \`m=audio $PHONE_C_RTP_PORT\` (SIPp, BYE 1 s after the ACK; no RTP
  endpoint, signalling only).
- provider: SIPp \`provider-uas.xml\` on $PROVIDER_IP:5060 (\`-m 3\`, stopped by the lab after phone A's call).
- snapshots: \`conntrack-L.txt\`/\`expect-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s (phone B gave up, phone A's call up),
  \`conntrack-L-end.txt\`/\`expect-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- Phone A's call is \`baseline\`'s: NEW SIP entry (\`helper=sip\`, 3600 s), masqueraded with port 5060 kept; the
  INVITE's SDP created the expectations $PROVIDER_IP → $ROUTER_WAN_IP:$PHONE_RTP_PORT and :$((PHONE_RTP_PORT + 1)) (class 1, master
  $PHONE_IP:5060), the 200 OK's SDP created $PHONE_IP → $PROVIDER_IP:$PROVIDER_RTP_PORT/$((PROVIDER_RTP_PORT + 1)); RTP both ways
  ($((RTP_SECONDS * 50)) packets each), BYE, 200 OK.
- Phone B's INVITE (LAN frames $B_LAN_FR: the INVITE and its $B_INVITE_RETRANS retransmissions) was **dropped by the
  router**: none of them is on the WAN, no conntrack entry was created for $PHONE_B_IP (the packet was dropped by the
  helper at the confirm hook, so the new entry was never confirmed: no NEW event), no expectation with master
  $PHONE_B_IP. The helper wanted the expectation $PROVIDER_IP → $ROUTER_WAN_IP:$PHONE_RTP_PORT for B's stream, which phone A's call
  already held under another master. It did **not** fall back to the next port pair, although
  $((PHONE_RTP_PORT + 2)) was free (phone C's call below got it): per the kernel source (\`nf_nat_sdp_media\`) that error
  is not "port busy" but aborts with "all ports in use for SDP media" / "cannot add expectation for
  voice" and NF_DROP. (The log line itself is not in this case: in a namespace it needs the global
  \`nf_log_all_netns=1\`, which the lab does not change.) Phone B never got a response and its call timed out.
- Control: phone C's call, offering $PHONE_C_RTP_PORT while phone B was still retrying, went through (NEW SIP entry for
  $PHONE_C_IP, masqueraded to a new random port because $ROUTER_WAN_IP:5060 ↔ $PROVIDER_IP:5060 was phone A's; expectations
  $PROVIDER_IP → $ROUTER_WAN_IP:$PHONE_C_RTP_PORT/$((PHONE_C_RTP_PORT + 1)) with master $PHONE_C_IP; INVITE … 200 OK (BYE) all on the WAN).
  So the drop is tied to the RTP port already expected for another call, not to a second call as such.
- Phone A's BYE deleted its remaining media expectations (expectation DESTROY events at t=$a_exp_del for
  :$PHONE_RTP_PORT). From then on an INVITE offering $PHONE_RTP_PORT from another phone should pass again (not
  exercised in this run: phone B had given up by then).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
