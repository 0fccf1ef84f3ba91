# Scenario "alg-via-received": what the registrar's Via received=/rport= shows on each side of a router whose
# SIP helper is on. The registrar (tools/sipagent.py registrar --rfc3261-received) answers like an RFC 3261 /
# RFC 3581 server: with rport in the request's top Via it writes received= (the source address) and rport= (the
# source port), without rport it writes received= only when the source differs from the Via's sent-by host
# (RFC 3261 18.2.1). Phone A asks for rport, phone B (a second address) does not. nf_nat_sip rewrites the
# phones' Via sent-by to the external address on the way out and, in the reply direction, maps received= and
# rport= equal to the external address and port back to the phone's (nf_nat_sip.c, nf_nat_sip()): on the LAN
# side A's answers name its own private address, B's carry no received= at all (the rewritten sent-by equals
# the source). alg-via-received-off.sh reuses this file without the helper: A's answers then carry the external
# address and port, B's received= the external address.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="${SCENARIO_TITLE:-The registrar writes Via received/rport and the SIP helper maps them back on the LAN}"
ALG=${ALG:-on}
PHONE_B_IP=192.168.1.11
PHONE_B_PORT=5062
A_STEPS="0:REGISTER 3:OPTIONS 6:REGISTER"
B_STEPS="1.5:REGISTER 4.5:OPTIONS"
END_T=8

if [[ $ALG == off ]]; then
    scenario_nft_ruleset() {
        nft_nat_table "oifname \"$ROUTER_WAN_IF\" masquerade"
    }
fi

scenario_configure() {
    add_phone_address "$PHONE_B_IP"
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1
}

scenario_run() {
    schedule_t0 5   # a longer lead than the default 3 s: three python3 agents start before t0
    start_registrar registrar 5060 "$END_T" --rfc3261-received
    start_phone phone-a "$PHONE_IP:5060" 1001 "$A_STEPS"
    start_phone phone-b "$PHONE_B_IP:$PHONE_B_PORT" 1002 "$B_STEPS" --no-rport
    wait_agent phone-a 20 "phone A"
    wait_agent phone-b 20 "phone B"
    wait_agent registrar 10
    timed_snapshot SNAP_END_TS conntrack-L-end
    write_agents_log registrar "phone-a=phone A" "phone-b=phone B"
}

# sip_response_vias FILE: "SRC DST VIA" of every SIP response in a capture, one per line (tshark)
sip_response_vias() {
    tshark -r "$1" -Y 'sip.Status-Code' -T fields -E separator=' ' -e ip.src -e ip.dst -e sip.Via 2>/dev/null
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS,200 OK (OPTIONS)" --require-only-ipv4 \
        --require-all-forwarded --require-ct-new "udp:5060"
    local lan wan ct="$OUT/kernel-events.txt"
    lan=$(sip_response_vias "$OUT/lan.pcap"); wan=$(sip_response_vias "$OUT/wan.pcap")
    if [[ $ALG == on ]]; then
        grep -q "\[NEW\] .* dport=5060 .*helper=sip" "$ct" || die "no SIP entry with the sip helper"
    else
        ! grep -q "helper=" "$ct" || die "a conntrack entry has a helper"
    fi
    ! grep -q "gave up" "$OUT/agents.log" || die "a request got no response"
    # every answer to A carries received/rport; on the WAN the external address and port
    [[ $(grep -c "^$PROVIDER_IP $ROUTER_WAN_IP .*branch=z9hG4bK-nrlab-[a-z]*-[0-9]*;received=$ROUTER_WAN_IP;rport=5060" <<<"$wan") == 3 ]] \
        || die "the WAN answers to phone A do not carry received=$ROUTER_WAN_IP;rport=5060: $wan"
    if [[ $ALG == on ]]; then
        [[ $(grep -c "^$PROVIDER_IP $PHONE_IP SIP/2.0/UDP $PHONE_IP:5060;.*;received=$PHONE_IP;rport=5060" <<<"$lan") == 3 ]] \
            || die "the helper did not map the answers to phone A back: $lan"
        ! grep -q "^$PROVIDER_IP $PHONE_B_IP .*received=" <<<"$lan" || die "an answer to phone B carries received= with the helper on"
        ! grep -q "^$PROVIDER_IP $ROUTER_WAN_IP .*$PHONE_B_IP" <<<"$wan" || die "phone B's Via was not rewritten on the WAN"
    else
        [[ $(grep -c "^$PROVIDER_IP $PHONE_IP SIP/2.0/UDP $PHONE_IP:5060;.*;received=$ROUTER_WAN_IP;rport=5060" <<<"$lan") == 3 ]] \
            || die "the answers to phone A on the LAN do not carry the external address: $lan"
        [[ $(grep -c "^$PROVIDER_IP $PHONE_B_IP SIP/2.0/UDP $PHONE_B_IP:$PHONE_B_PORT;branch=[^;]*;received=$ROUTER_WAN_IP$" <<<"$lan") == 2 ]] \
            || die "the answers to phone B do not carry received=$ROUTER_WAN_IP (RFC 3261): $lan"
    fi
}

scenario_document() {
    {
        case_properties_common masquerade "$ALG"
        cat <<EOP
conntrack.snapshot.end.file=conntrack-L-end.txt

phone.address=$PHONE_IP
phone.sip.port=5060
phone.b.address=$PHONE_B_IP
phone.b.sip.port=$PHONE_B_PORT
provider.address=$PROVIDER_IP
provider.sip.port=5060
agents.log.file=agents.log
EOP
    } >"$OUT/case.properties"
    local helper_text
    if [[ $ALG == on ]]; then
        helper_text="- The SIP helper rewrote the phones' top Via sent-by (and Contact) to $ROUTER_WAN_IP on the way out. The
  registrar answered phone A with \`received=$ROUTER_WAN_IP;rport=5060\`; the helper mapped both back in the reply
  direction, so on the LAN phone A's answers read \`received=$PHONE_IP;rport=5060\`: its own private address, which
  no server outside could have seen. Phone B's rewritten sent-by equalled the request's source, so the registrar
  wrote no \`received=\` (RFC 3261 18.2.1) and the LAN shows none."
    else
        helper_text="- No SIP helper: the phones' Via and Contact left the WAN with their private addresses. The registrar
  answered phone A with \`received=$ROUTER_WAN_IP;rport=5060\` and phone B (no rport) with \`received=$ROUTER_WAN_IP\`
  (its sent-by $PHONE_B_IP differs from the source); both reach the LAN unchanged: the external address the far
  side saw."
    fi
    {
        readme_title
        cat <<EOR

## Purpose

The one-capture ALG evidence of issue 17 from a real kernel. A registrar that writes what RFC 3261 18.2.1 and
RFC 3581 ask for (\`received=\` with the request's source address, \`rport=\` with its source port) answers two
phones behind a Linux router (SIP helper $ALG). With the helper on, Linux \`nf_nat_sip\` maps \`received=\`/\`rport=\`
equal to the external address/port back to the phone's in the reply direction, so a LAN capture alone shows answers
from outside naming the phone's private address (\`alg.reply_mapped_back\`); without it the LAN shows the external
address (\`nat.far_side_mapping\`). From the WAN capture alone the phones' Via/Contact name the external address
(helper on: an ALG or a NAT-aware phone, \`alg.external_address_written\`) or their private one (helper off).

EOR
        readme_setup "- router: masquerade on $ROUTER_WAN_IF; SIP helper $ALG (\`router.nft\`); \`nf_conntrack_acct=1\`.
- phones (\`sipagent.py phone\`): A $PHONE_IP:5060 (user 1001, top Via with \`rport\`) \`$A_STEPS\`;
  B $PHONE_B_IP:$PHONE_B_PORT (user 1002, a second address in the phone namespace, \`--no-rport\`: no \`rport\`) \`$B_STEPS\`.
- provider: \`sipagent.py registrar --rfc3261-received\` on $PROVIDER_IP:5060 (answers each request's source;
  \`received=\`/\`rport=\` as above). Logs: \`agents.log\`.
- snapshot: \`conntrack-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold.

- Every packet was forwarded both ways; masquerade kept the ports ($PHONE_IP:5060 → $ROUTER_WAN_IP:5060,
  $PHONE_B_IP:$PHONE_B_PORT → $ROUTER_WAN_IP:$PHONE_B_PORT).
$helper_text

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
