# Scenario "leaked-private-source": the router's NAT rule misses some traffic.
# The masquerade rule matches only the source subnet 192.168.1.0/25 and only
# UDP. Phone A (192.168.1.10) registers over UDP (NATed, works) and then tries
# SIP over TCP (not NATed: the SYNs leave the WAN with the private source);
# phone B (192.168.1.200, outside the /25) registers over UDP (not NATed: its
# REGISTERs leave the WAN with the private source, the registrar's answer has
# no route back). The kernel forwards all of it; conntrack records the
# un-NATed flows with reply tuples addressed to the private hosts.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="NAT rule limited to one source subnet and to UDP: some traffic leaves the WAN with a private source"
PHONE_B_IP=192.168.1.200
NAT_MATCH="ip saddr 192.168.1.0/25 meta l4proto udp"
END_T=9

scenario_nft_ruleset() {
    nft_nat_table "oifname \"$ROUTER_WAN_IF\" $NAT_MATCH masquerade"
    nft_sip_helper_table
}

scenario_configure() {
    add_phone_address "$PHONE_B_IP"
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1
}

scenario_run() {
    schedule_t0
    start_registrar registrar-udp 5060 "$END_T"
    start_registrar registrar-tcp 5060 "$END_T" --tcp
    wait_for 10 "registrar on udp/5060" udp_listening "$NS_PROVIDER" 5060
    log "phone A ($PHONE_IP) REGISTER over UDP at t0, phone B ($PHONE_B_IP) at t0+1, phone A over TCP at t0+2"
    start_phone phone-a-udp "$PHONE_IP:5060" 1001 "0:REGISTER"
    start_phone phone-b-udp "$PHONE_B_IP:5060" 1002 "1:REGISTER"
    start_phone phone-a-tcp "$PHONE_IP:5060" 1001 "2:REGISTER" --transport tcp --connect-timeout 4 \
        --call-id "nrlab-reg-tcp-1001@$PHONE_IP"
    sleep_until 5.5
    timed_snapshot SNAP_TS conntrack-L
    local n
    for n in phone-a-udp phone-b-udp phone-a-tcp registrar-udp registrar-tcp; do wait_agent "$n" 20; done
    write_agents_log registrar-udp registrar-tcp phone-a-udp phone-b-udp phone-a-tcp
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER)" --require-only-ipv4 --require-all-forwarded \
        --require-ct-new "udp:5060,tcp:5060"
    local ct="$OUT/kernel-events.txt"
    grep -q "\[NEW\] .* src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "phone A's UDP flow was not masqueraded"
    grep -q "\[NEW\] .* udp .* src=$PHONE_B_IP dst=$PROVIDER_IP sport=5060 dport=5060 \[UNREPLIED\] src=$PROVIDER_IP dst=$PHONE_B_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "phone B's UDP flow is not an un-NATed entry with the helper"
    grep -q "\[NEW\] .* tcp .* SYN_SENT src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 \[UNREPLIED\] src=$PROVIDER_IP dst=$PHONE_IP sport=5060 dport=5060" "$ct" \
        || die "phone A's TCP flow is not an un-NATed entry"
    ! grep -q "\[UPDATE\] .* src=$PHONE_B_IP " "$ct" || die "phone B's flow got a reply"
    [[ -n "$(frames "$OUT/wan.pcap" "src == '$PHONE_B_IP' and proto == 17")" ]] || die "phone B's UDP not on the WAN"
    [[ -n "$(frames "$OUT/wan.pcap" "src == '$PHONE_IP' and proto == 6")" ]] || die "phone A's TCP not on the WAN"
    [[ -z "$(frames "$OUT/wan.pcap" "dst in ('$PHONE_IP', '$PHONE_B_IP')")" ]] || die "a WAN packet to a private address"
    grep -q "phone-a-udp: .*recv 200 OK (REGISTER" "$OUT/agents.log" || die "phone A's UDP REGISTER failed"
    grep -q "phone-b-udp: .*gave up REGISTER" "$OUT/agents.log" || die "phone B got an answer"
    grep -q "phone-a-tcp: .*tcp connect .* failed" "$OUT/agents.log" || die "phone A's TCP connect did not fail"
    [[ $(grep -c "\[NEW\] .* dst=$PHONE_B_IP .*class=0 helper=sip" "$OUT/kernel-expect-events.txt") -ge 2 ]] \
        || die "the retransmissions did not replace phone B's signalling expectation"
    grep -q "registrar-udp: .*send to $PHONE_B_IP:5060 failed" "$OUT/agents.log" \
        || die "registrar could send to phone B's private address"
}

scenario_document() {
    local b_fr tcp_fr a_fr
    a_fr=$(frames "$OUT/wan.pcap" "src == '$ROUTER_WAN_IP' or dst == '$ROUTER_WAN_IP'")
    b_fr=$(frames "$OUT/wan.pcap" "src == '$PHONE_B_IP'")
    tcp_fr=$(frames "$OUT/wan.pcap" "src == '$PHONE_IP' and proto == 6")
    {
        case_properties_common "masquerade ($NAT_MATCH)" on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt

# endpoints (two phones in one namespace, two addresses on one interface)
phone.address=$PHONE_IP
phone.sip.port=5060
phone2.address=$PHONE_B_IP
phone2.sip.port=5060
provider.address=$PROVIDER_IP
provider.sip.port=5060
agents.log.file=agents.log
# expected findings: WAN frames with a private (LAN) source address
expect.leaked.wan.frames=$(echo $b_fr $tcp_fr | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

A NAT rule that does not cover all LAN traffic: \`oifname "$ROUTER_WAN_IF" $NAT_MATCH masquerade\`.
Linux forwards what the rule misses unchanged (with a conntrack "null binding"), so packets leave the
WAN with a private source address and their answers never come back. natrecon should flag WAN frames
whose source is a LAN address, and the flows that never get a reply. Two kinds of miss are shown:
a host outside the rule's subnet (phone B, $PHONE_B_IP, UDP) and a protocol the rule does not
match (phone A, $PHONE_IP, TCP).

EOR
        readme_setup "- router: \`net.ipv4.ip_forward=1\`; nftables ruleset as in \`router.nft\`:
  \`oifname \"$ROUTER_WAN_IF\" $NAT_MATCH masquerade\` (the only NAT rule), SIP helper on udp/5060 as in \`baseline\`;
  \`nf_conntrack_acct=1\`. No filter on forwarding (policy accept), as on a typical home router.
- phones: one namespace with two addresses on eth0 (the same MAC), $PHONE_IP (phone A, inside
  192.168.1.0/25) and $PHONE_B_IP (phone B, outside it); \`samples/lab/tools/sipagent.py phone\`:
  t=0 phone A REGISTER over UDP from $PHONE_IP:5060; t=1 phone B REGISTER over UDP from $PHONE_B_IP:5060
  (retransmitted after 0.5, 1, 2 s); t=2 phone A opens TCP from $PHONE_IP:5060 to $PROVIDER_IP:5060 for a
  REGISTER over TCP (the kernel retransmits the SYN; the agent gives up after 4 s).
- provider: \`sipagent.py registrar\` on $PROVIDER_IP:5060 UDP and TCP; answers to each request's source.
  The provider has no route to $LAN_NET (as on the Internet).
- agents' logs: \`agents.log\` (t = seconds after the schedule's t0 ≈ the first frame).
- snapshot \`conntrack-L.txt\`/\`expect-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- Phone A, UDP (matched the rule): NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\`, reply tuple to
  $ROUTER_WAN_IP:5060, \`helper=sip\`; REGISTER and 200 OK pass, the helper rewrote Via/Contact to
  $ROUTER_WAN_IP as in \`baseline\` (WAN frames of this flow: $a_fr).
- Phone B, UDP (source outside 192.168.1.0/25): the kernel forwarded the REGISTER **unchanged**:
  NEW \`udp $PHONE_B_IP:5060 → $PROVIDER_IP:5060 [UNREPLIED]\` with the reply tuple
  \`src=$PROVIDER_IP dst=$PHONE_B_IP\` (no NAT: null binding) and \`helper=sip\` (the helper rule matches
  on the port; without NAT it rewrites nothing, but it still created the REGISTER's signalling
  expectation \`$PROVIDER_IP → $PHONE_B_IP:5060\` (PERMANENT,INACTIVE), and each retransmission
  replaced it: DESTROY + NEW in \`kernel-expect-events.txt\`, since the signalling class allows one
  expectation per master). WAN frames with source $PHONE_B_IP: $b_fr
  (the REGISTER and its three retransmissions; each refreshed the same entry, timeout 3600 because of
  the helper). The registrar's 200 OK could not be sent (no route to $PHONE_B_IP: \`send … failed\` in
  \`agents.log\`), so the entry stays \`[UNREPLIED]\` and phone B gave up.
- Phone A, TCP (protocol not matched): NEW \`tcp SYN_SENT $PHONE_IP:5060 → $PROVIDER_IP:5060 [UNREPLIED]\`
  with reply tuple \`src=$PROVIDER_IP dst=$PHONE_IP\` (no NAT). WAN frames with the private source:
  $tcp_fr (the SYN and the kernel's SYN retransmissions after 1 s and 3 s). The provider's kernel
  had no route for the SYN-ACK, so nothing came back and the connect timed out.
- No WAN packet is addressed to a private address; every LAN packet appears on the WAN
  (matched by IP ID) — the router did not drop the leaked packets, it just did not translate them.

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
