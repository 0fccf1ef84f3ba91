# Scenario "wan-address-change": the router's WAN address changes from
# 203.0.113.2 to 203.0.113.3 (as after a PPP/DHCP renumbering) while the
# phone is registered and sending OPTIONS keep-alives. With masquerade the
# kernel deletes the entries that used the old address and the next packet
# gets a new entry with the new address. wan-address-change-snat.sh reuses this
# file with `snat to 203.0.113.2`: the entries survive with the old address.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="${SCENARIO_TITLE:-WAN address change behind masquerade: the entries are flushed and re-created with the new address}"
NAT_STMT="${NAT_STMT:-masquerade}"
NEW_WAN_IP=203.0.113.3
CASECHECK_ROUTER_WAN="$ROUTER_WAN_IP,$NEW_WAN_IP"
PHONE_STEPS="0:REGISTER 2:OPTIONS 4:OPTIONS 6:OPTIONS 8:REGISTER 10:OPTIONS"
T_CHANGE=3; END_T=14

scenario_nft_ruleset() {
    default_nft_ruleset | sed "s/oifname \"$ROUTER_WAN_IF\" masquerade/oifname \"$ROUTER_WAN_IF\" $NAT_STMT/"
}

scenario_configure() {
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
}

scenario_run() {
    schedule_t0
    start_phone_and_registrar
    sleep_until 1
    timed_snapshot SNAP_TS conntrack-L
    sleep_until "$T_CHANGE"
    log "t=$T_CHANGE WAN address $ROUTER_WAN_IP -> $NEW_WAN_IP"
    T_CHANGE_TS=$(date +%s.%N)
    wan_address_del
    wan_address_add "$NEW_WAN_IP"
    # the provider's side learns the new address statically and forgets the old
    # one (its packets to the old address now need ARP, which nobody answers)
    in_provider ip neigh replace "$NEW_WAN_IP" lladdr "$ROUTER_WAN_MAC" dev "$PROVIDER_IF" nud permanent
    in_provider ip neigh del "$ROUTER_WAN_IP" dev "$PROVIDER_IF"
    sleep_until 7
    timed_snapshot SNAP_MID_TS conntrack-L-after
    wait_phone_and_registrar
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS,200 OK (OPTIONS)" --require-only-ipv4 \
        --require-no-private-on-wan --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt" pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    grep -q "\[DESTROY\] .* $pat .*dst=$ROUTER_WAN_IP " "$ct" || die "the old entry was not flushed"
    grep -q "\[NEW\] .* $pat \[UNREPLIED\] src=$PROVIDER_IP dst=$NEW_WAN_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "no new entry with the new address"
    grep -q "binding 1001: $ROUTER_WAN_IP:5060 -> $NEW_WAN_IP:5060" "$OUT/agents.log" || die "registrar binding did not move"
    ! grep -q "gave up" "$OUT/agents.log" || die "a request went unanswered"
}

wac_properties() {
    {
        case_properties_common "$NAT_STMT" on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.after.file=conntrack-L-after.txt
router.wan.address.new=$NEW_WAN_IP
event.wan.address.change.t=$(rel_time "$T_CHANGE_TS")

phone.address=$PHONE_IP
phone.sip.port=5060
provider.address=$PROVIDER_IP
provider.sip.port=5060
agents.log.file=agents.log
EOP
    } >"$OUT/case.properties"
}

wac_setup() {
    readme_setup "- router: the lab's ruleset with \`oifname \"$ROUTER_WAN_IF\" $NAT_STMT\` (SIP helper on udp/5060; \`router.nft\`);
  \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`.
- t=$T_CHANGE (seconds after t0 ≈ the first frame): \`ip addr del $ROUTER_WAN_IP/$WAN_PREFIX dev $ROUTER_WAN_IF\`, then
  \`ip addr add $NEW_WAN_IP/$WAN_PREFIX dev $ROUTER_WAN_IF\`. \`router.wan.address\` in \`case.properties\` is the address at
  the start, \`router.wan.address.new\` the one after the change. Removing the address flushed the router's
  neighbour entries on $ROUTER_WAN_IF; the lab re-adds the static one for $PROVIDER_IP. In the provider
  namespace the static neighbour entry for $NEW_WAN_IP is added and the one for $ROUTER_WAN_IP deleted, as the ISP
  would stop delivering the old address: packets to $ROUTER_WAN_IP now need ARP, which nobody answers.
- phone: \`sipagent.py phone\` $PHONE_IP:5060 with \`$PHONE_STEPS\` (OPTIONS as keep-alives; retransmission
  after 0.5, 1, 2 s). provider: \`sipagent.py registrar\` $PROVIDER_IP:5060, answers to each request's source.
  Logs: \`agents.log\`.
- snapshots: \`conntrack-L.txt\`/\`expect-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s (before the change),
  \`conntrack-L-after.txt\`/\`expect-L-after.txt\` at t ≈ $(rel_time "$SNAP_MID_TS") s (after it)."
}

scenario_document() {
    local pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060" new_fr
    new_fr=$(frames "$OUT/wan.pcap" "src == '$NEW_WAN_IP' or dst == '$NEW_WAN_IP'")
    wac_properties
    {
        readme_title
        cat <<EOR

## Purpose

The router's WAN address changes under a registered phone. natrecon's model must know that
masquerade follows the interface's address: removing the address deletes the entries translated to
it, and the next packet of the flow creates a new entry with the new address (the registrar then
sees the phone at a new address). Compare \`wan-address-change-snat\`, where a fixed SNAT keeps the
old address.

EOR
        wac_setup
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=0: REGISTER → NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\` masqueraded to $ROUTER_WAN_IP:5060 (\`helper=sip\`, 3600 s); the
  OPTIONS at t=2 got its 200 OK through it.
- t≈$(rel_time "$T_CHANGE_TS"): address removed → DESTROY of that entry at t=$(event_times "$OUT/kernel-events.txt" "DESTROY.*$pat .*dst=$ROUTER_WAN_IP ") (the masquerade
  address-removal handler deletes the entries of $ROUTER_WAN_IF whose translated address was $ROUTER_WAN_IP;
  the REGISTER's signalling expectation went with its master, see \`kernel-expect-events.txt\`).
- t=4: the phone's next OPTIONS created a NEW entry masqueraded to **$NEW_WAN_IP**:5060 (port kept) at
  t=$(event_times "$OUT/kernel-events.txt" "NEW.*$pat .*dst=$NEW_WAN_IP "); the helper rewrote Via/Contact to $NEW_WAN_IP. The registrar's binding moved from
  $ROUTER_WAN_IP:5060 to $NEW_WAN_IP:5060 (\`agents.log\`); every later request was answered. WAN frames with the new
  address: $new_fr.

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
