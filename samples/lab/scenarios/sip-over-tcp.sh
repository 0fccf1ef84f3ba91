# Scenario "sip-over-tcp": baseline's REGISTER and call, with SIP over TCP.
# The SIP helper must be assigned with a `ct helper` object of protocol tcp
# (a "sip" helper of protocol udp never attaches to a TCP entry). RTP is the
# same as in baseline (UDP, tools/rtp.py); SIPp runs with -t t1.

# shellcheck source=/dev/null
source "$SCENARIO_DIR/baseline.sh"
# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="REGISTER and one call with SIP over TCP through a Linux NAT router with the SIP helper (tcp)"

scenario_nft_ruleset() {
    nft_nat_table "oifname \"$ROUTER_WAN_IF\" masquerade"
    nft_sip_helper_table tcp
}

scenario_run() {
    start_rtp_endpoints

    log "provider: SIPp registrar + UAS on tcp $PROVIDER_IP:5060"
    start_provider_uas tcp 2 "$CALLEE" "$REGISTER_EXPIRES"
    sleep 0.5

    log "phone: REGISTER over TCP"
    sipp_fg sipp-phone-register "$NS_PHONE" 20 -t t1 \
        -sf "$SIPP_DIR/phone-register.xml" -i "$PHONE_IP" -p 5060 -m 1 -cid_str "nrlab-reg-%u@%s" \
        -key user "$PHONE_USER" -key expires "$REGISTER_EXPIRES" \
        "$PROVIDER_IP:5060" || die "REGISTER over TCP failed"
    sleep 1

    log "phone: call over TCP ($RTP_SECONDS s of RTP each way)"
    sipp_phone_call sipp-phone-call "$PHONE_IP" "$PHONE_USER" "$PHONE_RTP_PORT" rtp-phone "nrlab-call-%u@%s" "$HOLD_MS" -t t1
    sleep 3
    timed_snapshot SNAP_TS conntrack-L
    wait_bg sipp-phone-call 20 || die "phone call failed (see $WORK/sipp-phone-call.*)"
    wait_bg sipp-provider 10 || die "provider SIPp failed (see $WORK/sipp-provider.*)"
    wait_rtp_endpoints
    sleep 1
    timed_snapshot SNAP_END_TS conntrack-L-end
    keep_rtp_logs
}

scenario_check() {
    run_casecheck \
        --require-sip "REGISTER,200 OK (REGISTER),INVITE,100 Trying (INVITE),180 Ringing (INVITE),200 OK (INVITE),ACK,BYE,200 OK (BYE)" \
        --require-rtp-both-ways --require-all-forwarded --require-only-ipv4 --require-no-private-on-wan \
        --require-ct-new "tcp:5060,udp:$PROVIDER_RTP_PORT"
    local f n=$((RTP_SECONDS * 50)) ct="$OUT/kernel-events.txt"
    for f in rtp-phone rtp-provider; do
        grep -qx "sent=$n" "$OUT/$f.log" && grep -qx "received=$n" "$OUT/$f.log" \
            || die "$f did not send and receive $n RTP packets"
    done
    grep -q "\[NEW\] .* tcp .* SYN_SENT src=$PHONE_IP dst=$PROVIDER_IP .*dport=5060 .*helper=sip" "$ct" \
        || die "no TCP SIP entry with the sip helper"
    grep -q "\[NEW\] .*proto=6 src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=0 dport=5060 .*PERMANENT,INACTIVE class=0 helper=sip" "$OUT/kernel-expect-events.txt" \
        || die "no TCP signalling expectation"
    grep -q "\[DESTROY\] .*proto=6 src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=0 dport=5060 .*class=0" "$OUT/kernel-expect-events.txt" \
        || die "the signalling expectation was not destroyed with connection 1"
    grep -q "\[DESTROY\] .* tcp .* TIME_WAIT src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 " "$ct" \
        || die "connection 1 was not replaced from TIME_WAIT"
    [[ $(grep -c "\[DESTROY\]" "$ct") == 1 ]] || die "expected exactly one flow DESTROY (connection 1)"
    grep -q "\[NEW\] 180 proto=17 src=$PHONE_IP dst=$PROVIDER_IP sport=0 dport=$PROVIDER_RTP_PORT .*class=1" "$OUT/kernel-expect-events.txt" \
        || die "no media expectation from the 200 OK's SDP"
}

scenario_document() {
    {
        case_properties_common masquerade on/tcp
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

# endpoints
sip.transport=tcp
EOP
        case_properties_phone phone "$PHONE_IP" "$PHONE_RTP_PORT"
        case_properties_media
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

\`baseline\` with SIP over TCP: REGISTER, a call with SDP both ways, RTP (UDP) both ways, BYE. The SIP
helper works on TCP too, but only if it is assigned with a \`ct helper\` object of protocol tcp. natrecon
must follow TCP connections (handshake, sequence numbers changed by the helper's rewrites,
teardown), find the SIP messages in the segments and pair LAN and WAN copies.

EOR
        readme_setup "- router: nftables ruleset as in \`router.nft\`: \`oifname \"$ROUTER_WAN_IF\" masquerade\`;
  \`ct helper sip-5060-tcp { type \"sip\" protocol tcp; }\` assigned by \`tcp dport 5060 ct helper set\`
  (no UDP helper); \`nf_conntrack_acct=1\`.
- provider: SIPp \`-t t1\` (TCP) with \`samples/lab/sipp/provider-uas.xml\` on $PROVIDER_IP:5060.
- phone: SIPp \`-t t1\`, \`phone-register.xml\` then \`phone-call.xml\` (each SIPp instance opens its own
  TCP connection); RTP exactly as in \`baseline\` (\`rtp.py\`, $RTP_SECONDS s each way, UDP $PHONE_RTP_PORT ↔ $PROVIDER_RTP_PORT).
- snapshots: \`conntrack-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s, \`conntrack-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- Two TCP connections, one per SIPp instance, both from $PHONE_IP:5060 (SIPp \`-t t1 -p 5060\` binds
  the local port) to $PROVIDER_IP:5060; masquerade kept the port. Connection 1 (REGISTER, t≈0): NEW
  \`tcp SYN_SENT\` (120) with \`helper=sip\`, UPDATE SYN_RECV (60), UPDATE ESTABLISHED (432000)
  \`[ASSURED]\`; after the 200 OK SIPp closed it: FIN_WAIT (120), LAST_ACK (30), TIME_WAIT (120).
  Connection 2 (the call, t≈1.1) has the **same tuple**: its SYN hit the TIME_WAIT entry, the
  kernel destroyed that entry (DESTROY, TIME_WAIT) and created a new one (NEW SYN_SENT, same
  conntrack tuple, helper=sip). At the BYE/200 OK SIPp closed connection 2 (FIN_WAIT, LAST_ACK,
  TIME_WAIT; no DESTROY within the capture).
- The REGISTER's signalling expectation (class 0, **proto=6**: incoming requests were expected over
  TCP to $ROUTER_WAN_IP:5060) was activated by the 200 OK (its timer set to the 600 s of the 200 OK's expires, as
  the remaining time in its DESTROY event shows) and
  was **destroyed together with its master** when connection 1's entry was replaced at t≈1.1:
  after a SIP-over-TCP client closes its connection the router keeps no way in for incoming calls.
- The helper processed the SIP messages in the TCP segments: the phone's REGISTER/INVITE/ACK/BYE
  have Via/Contact and SDP \`o=\`/\`c=\` rewritten to $ROUTER_WAN_IP, the responses mapped back (SIP table
  below, LAN vs WAN sizes differ). Because the rewrite changes the segment length, the router
  adjusts TCP sequence/acknowledgement numbers on the rest of the connection (seqadj); compare
  the LAN and WAN TCP headers of the later segments.
- Media expectations: the INVITE's and 200 OK's SDP created the RTP/RTCP (UDP) expectations as in
  \`baseline\`; the phone's first RTP packet consumed the $PROVIDER_RTP_PORT one and the BYE deleted the rest.
- RTP: $((RTP_SECONDS * 50)) packets each way, all forwarded (\`rtp-phone.log\`, \`rtp-provider.log\`).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
