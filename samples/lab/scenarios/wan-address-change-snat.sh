# Scenario "wan-address-change-snat": wan-address-change with a fixed
# `snat to 203.0.113.2` instead of masquerade. The address change does not
# touch the entries (only masquerade reacts to address removal), and the rule
# itself still names the old address: the phone's packets keep leaving with
# 203.0.113.2, which the router no longer owns, and the answers never come back.

SCENARIO_TITLE="WAN address change behind a fixed SNAT: the entry survives and keeps the old address"
NAT_STMT="snat to 203.0.113.2"
# shellcheck source=/dev/null
source "$SCENARIO_DIR/wan-address-change.sh"

scenario_check() {
    # the provider's ARP requests for the old address are in wan.pcap: no --require-only-ipv4
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS,200 OK (OPTIONS)" \
        --require-no-private-on-wan --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt" pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    [[ $(grep -c "\[NEW\] .* $pat " "$ct") == 1 ]] || die "expected one entry for the phone's flow"
    ! grep -q "\[DESTROY\] .* $pat " "$ct" || die "the entry was destroyed"
    ! grep -q "$NEW_WAN_IP" "$ct" || die "an entry uses the new address"
    OLD_AFTER_FR=$(frames "$OUT/wan.pcap" "src == '$ROUTER_WAN_IP' and sip != ''" | tr ' ' '\n' | tail -n +3 | tr '\n' ' ' | sed 's/ $//')
    [[ -n "$OLD_AFTER_FR" ]] || die "no packets with the old address after the change"
    ARP_FR=$(frames "$OUT/wan.pcap" "kind == 'arp'")
    [[ -n "$ARP_FR" ]] || die "the provider did not ARP for the old address"
    grep -q "phone: .*gave up" "$OUT/agents.log" || die "the phone got all its answers"
    [[ $(grep -c "binding 1001:" "$OUT/agents.log") == 1 ]] || die "the registrar's binding moved"
}

scenario_document() {
    wac_properties
    cat >>"$OUT/case.properties" <<EOP
# expected findings: WAN frames that still carry the old address after the change
expect.stale.address.wan.frames=$(echo $OLD_AFTER_FR | tr ' ' ',')
EOP
    {
        readme_title
        cat <<EOR

## Purpose

The counterpart of \`wan-address-change\` with \`snat to $ROUTER_WAN_IP\` instead of masquerade. natrecon's model
must know that SNAT entries do not react to address changes (only masquerade has the
address-removal handler) and that a fixed SNAT rule keeps translating to the configured address even
when the interface no longer has it: the phone's packets keep leaving with $ROUTER_WAN_IP and the
provider's answers to that address are never delivered.

EOR
        wac_setup
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=0: REGISTER → NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\` translated to $ROUTER_WAN_IP:5060 (\`helper=sip\`, 3600 s);
  the OPTIONS at t=2 got its 200 OK.
- t≈$(rel_time "$T_CHANGE_TS"): address changed to $NEW_WAN_IP. **No conntrack event**: the entry survives unchanged (see
  \`conntrack-L-after.txt\`), and so does the REGISTER's signalling expectation.
- After the change every phone packet (OPTIONS at t=4, 6, 10, REGISTER at t=8, and their retransmissions)
  still left the WAN with source **$ROUTER_WAN_IP**:5060 (WAN frames $OLD_AFTER_FR); the helper kept writing
  $ROUTER_WAN_IP into Via/Contact. The registrar answered each one, to $ROUTER_WAN_IP; the provider's stack had to
  resolve $ROUTER_WAN_IP by ARP, which nobody answers (WAN frames $ARP_FR are its ARP requests), so none of
  the answers was delivered and the phone gave up on every request (\`agents.log\`). The registrar's
  binding stayed at $ROUTER_WAN_IP:5060. No entry ever used $NEW_WAN_IP.
- Expectations: the REGISTER at t=8 and each of its retransmissions replaced the entry's signalling
  expectation (DESTROY + NEW in \`kernel-expect-events.txt\`, one per master), still for $ROUTER_WAN_IP:5060; no 200 OK
  arrived to activate it.

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
