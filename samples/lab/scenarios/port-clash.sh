# Scenario "port-clash": two phones behind the router both use source port
# 5060 towards the same registrar. Masquerade keeps 5060 for the first; the
# second flow would get the same reply tuple, so the kernel gives it another
# (random) external port. The SIP helper rewrites the second phone's Via and
# Contact to that port. The registrar then reaches each phone through its own
# mapping (OPTIONS), and both phones register again on the same mappings.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="Two phones with source port 5060 towards the same server: one keeps the port, the other gets another"
PHONE_B_IP=192.168.1.11
END_T=8

scenario_configure() {
    add_phone_address "$PHONE_B_IP"
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1
}

scenario_run() {
    schedule_t0
    start_registrar registrar 5060 "$END_T" --ping "3:1001 4:1002"
    wait_for 10 "registrar on udp/5060" udp_listening "$NS_PROVIDER" 5060
    log "phone A ($PHONE_IP:5060) REGISTER at t0 and t0+6, phone B ($PHONE_B_IP:5060) at t0+1 and t0+6.5"
    start_phone phone-a "$PHONE_IP:5060" 1001 "0:REGISTER 6:REGISTER"
    start_phone phone-b "$PHONE_B_IP:5060" 1002 "1:REGISTER 6.5:REGISTER"
    sleep_until 5
    timed_snapshot SNAP_TS conntrack-L
    local n
    for n in phone-a phone-b registrar; do wait_agent "$n" 20; done
    write_agents_log registrar phone-a phone-b
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS,200 OK (OPTIONS)" --require-only-ipv4 \
        --require-all-forwarded --require-no-private-on-wan --require-port-changed --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt"
    grep -q "\[NEW\] .* src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "phone A did not keep port 5060"
    B_PORT=$(grep "\[NEW\] .* src=$PHONE_B_IP dst=$PROVIDER_IP sport=5060 dport=5060 " "$ct" | sed 's/.*dport=\([0-9]*\) helper.*/\1/')
    [[ "$B_PORT" =~ ^[0-9]+$ && "$B_PORT" != 5060 ]] || die "phone B's external port is '$B_PORT'"
    [[ $(grep -c "\[NEW\]" "$ct") == 2 ]] || die "expected exactly two conntrack entries"
    grep -q "\[NEW\] .* dst=$ROUTER_WAN_IP sport=0 dport=$B_PORT .*master-src=$PHONE_B_IP .*PERMANENT,INACTIVE class=0 helper=sip" "$OUT/kernel-expect-events.txt" \
        || die "no signalling expectation on phone B's external port"
    grep -q "registrar: .*binding 1002: none -> $ROUTER_WAN_IP:$B_PORT" "$OUT/agents.log" || die "registrar binding for B"
    grep -q "phone-a: .*recv OPTIONS from" "$OUT/agents.log" && grep -q "phone-b: .*recv OPTIONS from" "$OUT/agents.log" \
        || die "a phone did not get the registrar's OPTIONS"
    ! grep -q "gave up" "$OUT/agents.log" || die "a request went unanswered"
    [[ $(grep -c "binding 100[12]:" "$OUT/agents.log") == 2 ]] || die "a binding changed at the re-REGISTER"
}

scenario_document() {
    local b_fr b_opt
    b_fr=$(frames "$OUT/wan.pcap" "(src == '$ROUTER_WAN_IP' and sport == $B_PORT) or (dst == '$ROUTER_WAN_IP' and dport == $B_PORT)")
    b_opt=$(frames "$OUT/wan.pcap" "sip.startswith('OPTIONS') and dport == $B_PORT")
    {
        case_properties_common masquerade on
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
# expected findings: external ports chosen by the kernel
expect.phone.wan.port=5060
expect.phone2.wan.port=$B_PORT
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

Two LAN phones use the same local port 5060 towards the same registrar. The router has one public
address, so both flows cannot keep $ROUTER_WAN_IP:5060 ↔ $PROVIDER_IP:5060: Linux keeps the port for
the first flow and gives the second a different one. natrecon must learn two mappings for the same
server, and the helper's rewrite of the second phone's Via/Contact to the new port.

EOR
        readme_setup "- router: the default lab ruleset (\`oifname \"$ROUTER_WAN_IF\" masquerade\`, SIP helper on udp/5060, see
  \`router.nft\`); \`nf_conntrack_acct=1\`.
- phones: one namespace with two addresses on eth0 (the same MAC): phone A $PHONE_IP, phone B $PHONE_B_IP;
  \`samples/lab/tools/sipagent.py phone\`, both bound to port 5060: phone A REGISTER at t=0 and t=6,
  phone B at t=1 and t=6.5 (Expires 60). They answer OPTIONS with 200 OK.
- provider: \`sipagent.py registrar\` on $PROVIDER_IP:5060, answers each request's source and records it as the
  binding; sends OPTIONS to user 1001's binding at t=3 and to 1002's at t=4.
- agents' logs: \`agents.log\` (t = seconds after the schedule's t0 ≈ the first frame).
- snapshot \`conntrack-L.txt\`/\`expect-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=0, phone A: NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\`, reply tuple \`$PROVIDER_IP:5060 → $ROUTER_WAN_IP:5060\`
  (port kept), \`helper=sip\`, timeout 3600; signalling expectation $PROVIDER_IP → $ROUTER_WAN_IP:5060.
- t=1, phone B: NEW \`udp $PHONE_B_IP:5060 → $PROVIDER_IP:5060\`, reply tuple \`$PROVIDER_IP:5060 → $ROUTER_WAN_IP:$B_PORT\`:
  the tuple with port 5060 was taken by phone A's entry, so the kernel searched a free port starting at
  a random offset in 1024–65535. The helper rewrote phone B's
  Via sent-by and Contact to \`$ROUTER_WAN_IP:$B_PORT\` (see the SIP table) and put the signalling
  expectation on $ROUTER_WAN_IP:$B_PORT. WAN frames of phone B's mapping: $b_fr.
- t=3/t=4: the registrar's OPTIONS to $ROUTER_WAN_IP:5060 reached phone A and the one to
  $ROUTER_WAN_IP:$B_PORT (WAN frame $b_opt) reached phone B, each through the reply direction of its entry;
  both answered 200 OK. The helper mapped the OPTIONS Request-URIs back to \`$PHONE_IP:5060\` and
  \`$PHONE_B_IP:5060\`, and in the 200 OK (REGISTER) responses it mapped Via \`received=\`/\`rport=\` and the
  Contact back to each phone's private address and port. Each OPTIONS was its entry's first packet more
  than 2 s after the start with a reply seen, hence the UPDATE with \`[ASSURED]\` at t=3 (A) and t=4 (B).
- t=6/t=6.5: both phones registered again; the live entries were reused, so the registrar saw the same
  bindings. Exactly two conntrack entries were created, no DESTROY (3600 s helper timeout).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
