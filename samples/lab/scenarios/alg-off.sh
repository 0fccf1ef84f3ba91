# Scenario "alg-off": the baseline call through the same NAT router, but with
# no SIP helper. Masquerade still translates the IP/UDP headers, but nothing
# rewrites the SIP headers or the SDP, so the phone's private address reaches
# the provider in Via, Contact and the SDP (o=, c=). The provider trusts the
# SDP and sends its RTP to 192.168.1.10:40000, which it has no route to: one-way
# audio (the provider's RTP never reaches the wire).
#
# The traffic is exactly baseline's (scenario_run, RTP and SIPp settings are
# taken from scenarios/baseline.sh); only the ruleset, the checks and the
# documentation differ.

# shellcheck source=/dev/null
source "$SCENARIO_DIR/baseline.sh"
# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="REGISTER and one call through a Linux NAT router without the SIP helper (ALG off)"

scenario_nft_ruleset() {
    nft_nat_table "oifname \"$ROUTER_WAN_IF\" masquerade"
}

scenario_check() {
    run_casecheck \
        --require-sip "REGISTER,200 OK (REGISTER),INVITE,100 Trying (INVITE),180 Ringing (INVITE),200 OK (INVITE),ACK,BYE,200 OK (BYE)" \
        --require-all-forwarded --require-only-ipv4 --require-port-preserved --require-private-on-wan \
        --require-ct-new "udp:5060,udp:$PROVIDER_RTP_PORT"
    local ct="$OUT/kernel-events.txt" n=$((RTP_SECONDS * 50))
    ! grep -q "helper=" "$ct" || die "a conntrack entry has a helper"
    [[ ! -s "$OUT/kernel-expect-events.txt" ]] || die "expectation events without a helper"
    grep -q "\[NEW\] .* 30 src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 \[UNREPLIED\]" "$ct" \
        || die "SIP flow NEW is not a plain 30 s UDP entry"
    grep -q "\[UPDATE\] .* 120 src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 .*\[ASSURED\]" "$ct" \
        || die "SIP flow never became ASSURED (120 s)"
    grep -qx "sent=$n" "$OUT/rtp-phone.log" && grep -qx "received=0" "$OUT/rtp-phone.log" \
        || die "phone RTP not one-way: $(tr '\n' ' ' <"$OUT/rtp-phone.log")"
    grep -qx "received=$n" "$OUT/rtp-provider.log" && grep -qx "send_errors=$n" "$OUT/rtp-provider.log" \
        || die "provider RTP not as expected: $(tr '\n' ' ' <"$OUT/rtp-provider.log")"
    grep -qx "remote=$PHONE_IP:$PHONE_RTP_PORT" "$OUT/rtp-provider.log" \
        || die "provider did not aim its RTP at the private SDP address"
    # no RTP towards the phone anywhere
    [[ -z "$(frames "$OUT/wan.pcap" "udp and src host $PROVIDER_IP and src port $PROVIDER_RTP_PORT")" ]] \
        || die "provider RTP seen on the WAN"
}

scenario_document() {
    local t0 snap snap_end ct="$OUT/kernel-events.txt" inv200 invfr
    t0=$(first_frame_time "$OUT/lan.pcap")
    snap=$(rel_time "$SNAP_TS"); snap_end=$(rel_time "$SNAP_END_TS")
    {
        case_properties_common masquerade off
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

# endpoints
EOP
        case_properties_phone phone "$PHONE_IP" "$PHONE_RTP_PORT"
        case_properties_media
        cat <<EOP
# expected findings
expect.private-address-in-sip=true
expect.rtp.one-way=phone-to-provider
EOP
    } >"$OUT/case.properties"

    {
        readme_title
        cat <<EOR

## Purpose

The "SIP ALG off" counterpart of \`baseline\`: the same phone, provider, REGISTER and call, but
the router has no SIP helper. The IP and UDP headers are still masqueraded, yet the SIP
messages and the SDP leave the WAN carrying the phone's private address (Via sent-by,
Contact, SDP \`o=\`/\`c=\`). A provider that trusts the SDP (no symmetric-RTP latching) then
sends its RTP to $PHONE_IP:$PHONE_RTP_PORT, which is not routable on the WAN side:
the result is one-way audio (phone → provider only). natrecon should report the private
addresses in WAN signalling, and the missing inbound RTP.

EOR
        readme_setup "- router: \`net.ipv4.ip_forward=1\`; nftables ruleset as in \`router.nft\`: **only**
  \`oifname \"$ROUTER_WAN_IF\" masquerade\` in postrouting. No \`ct helper\` object and no rule assigning one
  (this kernel never assigns a helper automatically), so no conntrack entry has a helper.
  Conntrack sysctls at the namespace defaults except \`nf_conntrack_acct=1\` (counters in the snapshots).
- provider: SIPp \`samples/lab/sipp/provider-uas.xml\` on $PROVIDER_IP:5060 (answers each request to its
  source address, i.e. to the masqueraded $ROUTER_WAN_IP:5060); its \`rtp.py\` is handed the address of the
  INVITE's SDP, $PHONE_IP:$PHONE_RTP_PORT, and sends there without latching. The provider namespace has no
  route to $LAN_NET, so every \`sendto\` fails with ENETUNREACH (counted as \`send_errors\` in \`rtp-provider.log\`);
  none of those packets exists on any wire.
- phone: identical to \`baseline\` (SIPp \`phone-register.xml\`, then \`phone-call.xml\`; $RTP_SECONDS s of RTP from
  $PHONE_IP:$PHONE_RTP_PORT to the 200 OK's SDP address $PROVIDER_IP:$PROVIDER_RTP_PORT).
- snapshots: \`conntrack-L.txt\`/\`expect-L.txt\` at t ≈ $snap s (during the call),
  \`conntrack-L-end.txt\`/\`expect-L-end.txt\` at t ≈ $snap_end s (after the BYE)."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold:

- Every packet the phone sent appears on the WAN and every WAN packet to $ROUTER_WAN_IP appears on
  the LAN (matched by IP ID). Masquerade kept the source ports: $PHONE_IP:5060 → $ROUTER_WAN_IP:5060 and
  $PHONE_IP:$PHONE_RTP_PORT → $ROUTER_WAN_IP:$PHONE_RTP_PORT.
- No SIP rewriting at all: every SIP message is byte-for-byte the same on both sides (same sizes in the
  SIP table below, no changed lines). The phone's REGISTER, INVITE, ACK and BYE carry
  \`$PHONE_IP:5060\` in Via and Contact on the WAN, the INVITE's SDP carries \`o=… IN IP4 $PHONE_IP\` and
  \`c=IN IP4 $PHONE_IP\`; the provider's responses carry \`$PHONE_IP:5060\` in Via (with \`rport\` but no
  \`received=\`) and in the REGISTER 200's Contact.
- conntrack: the SIP flow is a plain UDP entry: NEW with timeout 30 (not 3600, no \`helper=\`), UPDATE
  at the 200 OK (30), UPDATE to 120 + \`[ASSURED]\` on the first packet more than 2 s after the
  REGISTER: that is the BYE (the INVITE and ACK came only 1.1 s after the REGISTER). The phone's RTP flow: NEW (30, \`[UNREPLIED]\`) at its first packet and it stays
  unreplied: no reply ever arrives, so no UPDATE and no \`[ASSURED]\` (see \`conntrack-L.txt\`:
  \`[UNREPLIED]\`, reply-direction packets=0). No DESTROY events within the capture.
- no expectations: \`kernel-expect-events.txt\` is empty and the \`expect-L*.txt\` snapshots are empty.
- RTP: phone → provider $((RTP_SECONDS * 50)) packets, all forwarded ($PHONE_IP:$PHONE_RTP_PORT → $ROUTER_WAN_IP:$PHONE_RTP_PORT → $PROVIDER_IP:$PROVIDER_RTP_PORT);
  provider → phone: 0 packets on either capture (\`rtp-phone.log\`: received=0; \`rtp-provider.log\`:
  send_errors=$((RTP_SECONDS * 50)), the provider's stack refused to send to the private address).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
