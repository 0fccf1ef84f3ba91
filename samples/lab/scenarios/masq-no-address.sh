# Scenario "masq-no-address": masquerade on an interface that has no address.
# The phone registers through masquerade; then wan0 loses its address but a
# route to the provider's subnet stays on wan0 (as with an unnumbered link or
# a static route that outlives a lost DHCP lease). Masquerade deletes the old
# entry (address removed); for the next packet it must pick a source address
# for wan0, finds none on the device, and inet_select_addr falls back to
# another interface's address: the LAN address 192.168.1.1. The entry is
# masqueraded to the router's own LAN address, which leaves the WAN and gets
# no answer. When wan0's address returns, nothing flushes that entry (only an
# address removal does): it keeps leaking the router's LAN address.

# the run (phone schedule, snapshots) is outage-no-route's with another wan_down/wan_up
T_DOWN=3.5; T_UP=13.5
SCENARIO_TITLE="Masquerade on a WAN with no address but a route: the source falls back to the LAN address, and that entry outlives the address's return"
# shellcheck source=/dev/null
source "$SCENARIO_DIR/outage-no-route.sh"

wan_down() {
    wan_address_del
    in_router ip route add "$WAN_NET" dev "$ROUTER_WAN_IF" scope link
    provider_neigh_fix
}
wan_up() {
    in_router ip route del "$WAN_NET" dev "$ROUTER_WAN_IF"
    wan_address_add
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS" --require-only-ipv4 --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt" pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    [[ $(grep -c "\[NEW\] .* $pat " "$ct") == 2 ]] || die "expected 2 NEW entries for the phone's flow"
    grep -q "\[NEW\] .* $pat \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=5060 helper=sip" "$ct" || die "no entry with the WAN address"
    grep -q "\[DESTROY\] .* $pat .*dst=$ROUTER_WAN_IP " "$ct" || die "the WAN address's entry was not deleted at its removal"
    grep -q "\[NEW\] .* $pat \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_LAN_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "no entry masqueraded to the LAN address $ROUTER_LAN_IP"
    ! grep -q "\[DESTROY\] .* $pat .*dst=$ROUTER_LAN_IP " "$ct" || die "the LAN-address entry was destroyed"
    [[ -z "$(frames "$OUT/lan.pcap" "icmp is not None and src == '$ROUTER_LAN_IP'")" ]] || die "ICMP from the router: the route was missing"
    LANADDR_FR=$(frames "$OUT/wan.pcap" "src == '$ROUTER_LAN_IP' and ts < $T_UP_TS")
    LEAK_FR=$(frames "$OUT/wan.pcap" "src == '$ROUTER_LAN_IP' and ts > $T_UP_TS")
    [[ -n "$LANADDR_FR" ]] || die "no WAN frame with the LAN address during the outage"
    [[ $(wc -w <<<"$LEAK_FR") -ge 2 ]] || die "the LAN-address entry did not keep leaking after the WAN address returned"
    [[ -z "$(frames "$OUT/wan.pcap" "src == '$ROUTER_WAN_IP' and ts > $T_UP_TS")" ]] || die "a packet with the WAN address after its return"
    grep -q "binding 1001: $ROUTER_WAN_IP:5060 -> $ROUTER_LAN_IP:5060" "$OUT/agents.log" || die "the registrar did not see the LAN address"
    grep -q "dst=$ROUTER_LAN_IP sport=5060 dport=5060" "$OUT/conntrack-L-end.txt" || die "the end snapshot lacks the LAN-address entry"
}

scenario_document() {
    local pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    {
        case_properties_common "masquerade (oifname $ROUTER_WAN_IF)" on
        case_properties_outage "WAN address removed (a route via $ROUTER_WAN_IF stays), restored"
        cat <<EOP
# expected findings: WAN frames with the router's LAN address, during the outage and after the WAN address returned
expect.leaked.wan.frames=$(echo $LANADDR_FR $LEAK_FR | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

Masquerade with no address on the out-interface. The kernel does not drop the packet ("ate my IP address"
only when no address at all can be found): \`inet_select_addr\` falls back to an address of another interface,
here the router's LAN address, and the entry is translated to it. The WAN then carries the router's private
LAN address as source, and because only an address *removal* flushes masqueraded entries, the entry outlives
the WAN address's return. From the captures alone natrecon must see the address removal (the old entry's
NAT contradicted), an entry NATed to an address the WAN capture never showed the router own, and the leak
that follows.

EOR
        readme_setup "- router: the lab's default ruleset (\`oifname \"$ROUTER_WAN_IF\" masquerade\`, SIP helper on udp/5060; \`router.nft\`);
  \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`. The router's routes and WAN address at each step: \`router-routes.txt\`.
- schedule (seconds after t0 ≈ the first frame): t=$T_DOWN \`ip addr del $ROUTER_WAN_IP/$WAN_PREFIX dev $ROUTER_WAN_IF\` and
  \`ip route add $WAN_NET dev $ROUTER_WAN_IF scope link\` (a route without an address); t=$T_UP that route deleted and the
  address added again. The static neighbour entry for $PROVIDER_IP is re-added after each change (no ARP).
- phone: \`sipagent.py phone\` $PHONE_IP:5060, steps \`$PHONE_STEPS\`. provider: \`sipagent.py registrar\` $PROVIDER_IP:5060.
  Logs: \`agents.log\`.
- snapshots: \`conntrack-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s, \`conntrack-L-outage.txt\` at t ≈ $(rel_time "$SNAP_MID_TS") s,
  \`conntrack-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=0: REGISTER → NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\` masqueraded to $ROUTER_WAN_IP:5060 (\`helper=sip\`); answered.
- t≈$(rel_time "$T_DOWN_TS"): address removed → DESTROY of that entry at t=$(event_times "$OUT/kernel-events.txt" "DESTROY.* $pat ").
- the next request (t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat .*dst=$ROUTER_LAN_IP ")) had a route (on-link via $ROUTER_WAN_IF, no ICMP) but $ROUTER_WAN_IF had no
  address: masquerade took the LAN address and made a NEW entry masqueraded to **$ROUTER_LAN_IP**:5060; the helper
  rewrote Via/Contact to it too. WAN frames with source $ROUTER_LAN_IP during the outage: $LANADDR_FR. The registrar's
  binding moved to $ROUTER_LAN_IP:5060 and its answers could not be sent (no route, \`agents.log\`).
- t≈$(rel_time "$T_UP_TS"): the WAN address returned. No DESTROY: the entry keeps its NAT, and every later request left the
  WAN with source $ROUTER_LAN_IP (WAN frames $LEAK_FR), unanswered; \`conntrack-L-end.txt\` still lists it \`[UNREPLIED]\`
  with the helper's 3600 s.

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
