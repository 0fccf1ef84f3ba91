# Scenario "outage-no-route": the WAN goes away with no fallback at all.
# The phone registers through masquerade; the router loses its WAN address
# (and with it the connected route to the provider; there is no default
# route). Masquerade's address-removal handler deletes the entry. While the
# WAN is gone, the phone's OPTIONS and REGISTERs (with retransmissions) die in
# the router's routing decision: the router answers on the LAN with ICMP
# destination unreachable (net unreachable), and since the packets never
# reach POSTROUTING no entry is ever confirmed (no conntrack event). The WAN
# address comes back; the next REGISTER creates a fresh masqueraded entry with
# the same address and port. Unlike stale-mapping there is no fallback route,
# so nothing is left behind.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="${SCENARIO_TITLE:-WAN outage with no route at all: no entry while it lasts (ICMP net unreachable), a fresh masqueraded entry afterwards}"
# the OPTIONS at 1.5 s is answered before the 2 s after which a replied UDP entry becomes ASSURED (not at the edge)
PHONE_STEPS="${PHONE_STEPS:-0:REGISTER 1.5:OPTIONS 5:OPTIONS 9:REGISTER 15:REGISTER 18:OPTIONS}"
T_DOWN=${T_DOWN:-3.5}; T_UP=${T_UP:-13.5}; END_T=${END_T:-20}
NAT_STMT="${NAT_STMT:-masquerade}"   # outage-no-route-snat: snat to the WAN address

scenario_nft_ruleset() {
    default_nft_ruleset | sed "s/oifname \"$ROUTER_WAN_IF\" masquerade/oifname \"$ROUTER_WAN_IF\" $NAT_STMT/"
}

scenario_configure() {
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
}

# wan_down / wan_up: what takes the WAN away and brings it back (a variant may override them)
wan_down() { wan_address_del; }
wan_up() { wan_address_add; }

scenario_run() {
    schedule_t0
    : >"$OUT/router-routes.txt"
    route_snapshot 0 "before the traffic"
    start_phone_and_registrar
    sleep_until 1
    timed_snapshot SNAP_TS conntrack-L
    sleep_until "$T_DOWN"
    log "t=$T_DOWN WAN down"
    T_DOWN_TS=$(date +%s.%N)
    wan_down
    route_snapshot "$T_DOWN" "WAN down"
    sleep_until $(awk -v a="$T_DOWN" -v b="$T_UP" 'BEGIN{print (a+b)/2}')
    timed_snapshot SNAP_MID_TS conntrack-L-outage
    sleep_until "$T_UP"
    log "t=$T_UP WAN back"
    T_UP_TS=$(date +%s.%N)
    wan_up
    route_snapshot "$T_UP" "WAN back"
    wait_phone_and_registrar
    timed_snapshot SNAP_END_TS conntrack-L-end
}

# outage_frames: LAN frames from the phone to the provider between the WAN's loss and return
outage_frames() {
    frames "$OUT/lan.pcap" "src == '$PHONE_IP' and dst == '$PROVIDER_IP' and $T_DOWN_TS + 0.2 < ts < $T_UP_TS - 0.2"
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS,200 OK (OPTIONS)" --require-only-ipv4 \
        --require-no-private-on-wan --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt" pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060" n t_new
    n=$(grep -c "\[NEW\] .* $pat " "$ct" || true)
    OUTAGE_FR=$(outage_frames)
    [[ $(wc -w <<<"$OUTAGE_FR") -ge 4 ]] || die "too few phone packets during the outage: $OUTAGE_FR"
    # none of them reached the WAN
    [[ -z "$(frames "$OUT/wan.pcap" "$T_DOWN_TS + 0.2 < ts < $T_UP_TS - 0.2")" ]] || die "WAN frames during the outage"
    ICMP_FR=$(frames "$OUT/lan.pcap" "icmp is not None and src == '$ROUTER_LAN_IP' and icmp[0] == 3 and icmp[1] == 0")
    [[ -n "$ICMP_FR" ]] || die "no ICMP net unreachable from the router on the LAN"
    [[ $(grep -c "phone: .*recv 200 OK (REGISTER" "$OUT/agents.log") -ge 2 ]] || die "the phone did not register again after the outage"
    if [[ $NAT_STMT == masquerade ]]; then
        [[ $n == 2 ]] || die "expected exactly 2 NEW entries for the phone's SIP flow (one before, one after the outage), got $n"
        [[ $(grep "\[NEW\] .* $pat " "$ct" | grep -c "src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=5060 helper=sip") == 2 ]] \
            || die "both entries must be masqueraded to $ROUTER_WAN_IP:5060"
        grep -q "\[DESTROY\] .* $pat .*dst=$ROUTER_WAN_IP " "$ct" || die "the masqueraded entry was not deleted when the WAN went away"
        # the DESTROY comes at the WAN's loss, the second NEW after its return
        t_new=$(event_times "$ct" "NEW.* $pat " | awk '{print $2}')
        awk -v a="$t_new" -v b="$(rel_time "$T_UP_TS")" 'BEGIN{exit !(a >= b)}' || die "the second entry was made before the WAN returned"
        awk -v a="$(event_times "$ct" "DESTROY.* $pat " | awk '{print $1}')" -v d="$(rel_time "$T_DOWN_TS")" -v u="$(rel_time "$T_UP_TS")" \
            'BEGIN{exit !(a >= d - 0.1 && a < u)}' || die "the DESTROY is not between the WAN's loss and return"
        ! grep -q "$pat" "$OUT/conntrack-L-outage.txt" || die "an entry for the phone's SIP flow during the outage"
    else
        # snat records no interface and is not flushed: the entry lives through the outage
        [[ $n == 1 ]] || die "expected the one SNAT entry to survive the outage, got $n NEW"
        ! grep -q "\[DESTROY\] .* $pat " "$ct" || die "the SNAT entry was destroyed"
        grep -q "$pat" "$OUT/conntrack-L-outage.txt" || die "the SNAT entry is not listed during the outage"
    fi
    ! grep -q "\[UNREPLIED\] src=$PROVIDER_IP dst=$PHONE_IP" "$OUT/conntrack-L-outage.txt" || die "an un-NATed entry during the outage"
}

outage_what() {
    local pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    if [[ $NAT_STMT != masquerade ]]; then
        cat <<EOR
- t=0: REGISTER → NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\` translated (\`$NAT_STMT\`) to $ROUTER_WAN_IP:5060 (\`helper=sip\`) at
  t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat "); 200 OK; the OPTIONS at t=1.5 answered through it (not yet \`[ASSURED]\`: less than 2 s after the first packet).
- t≈$(rel_time "$T_DOWN_TS") WAN address removed: **no DESTROY** (only masqueraded entries are flushed on address removal; an
  \`snat\` entry is not), \`conntrack-L-outage.txt\` still lists the entry.
- t≈$(rel_time "$T_DOWN_TS") to $(rel_time "$T_UP_TS") (no route): the phone's requests and retransmissions (LAN frames $OUTAGE_FR) matched
  the entry in PREROUTING and died in routing: no WAN copy, no new entry; the router answered with ICMP
  destination unreachable, code 0 (net unreachable), from $ROUTER_LAN_IP: LAN frames $ICMP_FR (rate-limited).
  The first of them made the entry \`[ASSURED]\` at t=$(event_times "$OUT/kernel-events.txt" "UPDATE.* $pat .*ASSURED" | awk '{print $1}') with the UDP stream timeout
  ($(grep "UPDATE.* $pat .*ASSURED" "$OUT/kernel-events.txt" | head -n1 | awk '{print $7}') s, not the helper's 3600 s): conntrack saw the packet in PREROUTING, but the SIP helper runs
  after routing (at confirmation, POSTROUTING/INPUT) and never saw it. The next packet that was forwarded set 3600 s again.
- t≈$(rel_time "$T_UP_TS") WAN back: the next request went out through the **same entry** (one NEW in the whole run) with
  $ROUTER_WAN_IP:5060 and was answered; the phone is registered again (\`agents.log\`).
EOR
        return
    fi
    cat <<EOR
- t=0: REGISTER → NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\` masqueraded to $ROUTER_WAN_IP:5060 (\`helper=sip\`) at
  t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat " | awk '{print $1}'); 200 OK; the OPTIONS at t=1.5 answered through it (not yet \`[ASSURED]\`: less than 2 s after the first packet).
- t≈$(rel_time "$T_DOWN_TS") WAN address removed → DESTROY of that entry at t=$(event_times "$OUT/kernel-events.txt" "DESTROY.* $pat ")
  (masquerade's address-removal handler; its signalling expectation went with it: \`kernel-expect-events.txt\`).
- t≈$(rel_time "$T_DOWN_TS") to $(rel_time "$T_UP_TS") (no route): the phone's requests and retransmissions (LAN frames $OUTAGE_FR)
  have no WAN copy and made **no conntrack event at all**; \`conntrack-L-outage.txt\` holds no entry for the flow.
  The router answered with ICMP destination unreachable, code 0 (net unreachable), from $ROUTER_LAN_IP: LAN frames
  $ICMP_FR (ICMP errors are rate-limited, so not every packet got one).
- t≈$(rel_time "$T_UP_TS") WAN back. The next request (t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat " | awk '{print $2}'))
  made a **new** entry, masqueraded to $ROUTER_WAN_IP:5060 again (the same port: nothing else held it); the registrar
  answered it and the phone is registered again (\`agents.log\`).
EOR
}

outage_purpose() {
    if [[ $NAT_STMT != masquerade ]]; then
        cat <<EOR
The outage of \`outage-no-route\` behind a fixed \`$NAT_STMT\` instead of masquerade. The address removal deletes
nothing: the entry survives the outage (its packets meanwhile die in routing, with ICMP net unreachable to the
phone) and carries on afterwards with the same translation. From the captures alone natrecon must not infer a
flush here: the same external address and port before and after, and no NEW.
EOR
        return
    fi
    cat <<EOR
An uplink outage with no fallback route, seen from the captures only: the WAN goes silent while the
phone keeps sending, and the router answers the phone with ICMP destination unreachable. natrecon must
infer that (1) masquerade deleted the entry when the WAN address went away, (2) the packets sent during
the outage created **no** entry (they died in routing, before confirmation), and (3) the first packet
after the WAN's return created a new masqueraded entry. Compare \`stale-mapping\` (a fallback route
leaves an un-NATed entry behind) and \`backup-uplink-nat\` (a backup uplink with its own masquerade).
EOR
}

scenario_document() {
    local pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    {
        case_properties_common "$NAT_STMT (oifname $ROUTER_WAN_IF)" on
        case_properties_outage
        cat <<EOP
# the lab's record: LAN frames from the phone during the outage (no WAN copy, no entry) and the router's ICMP
lab.outage.lan.frames=$(echo $OUTAGE_FR | tr ' ' ',')
lab.icmp.unreachable.lan.frames=$(echo $ICMP_FR | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

$(outage_purpose)

EOR
        readme_setup "- router: the lab's default ruleset with \`oifname \"$ROUTER_WAN_IF\" $NAT_STMT\` ( SIP helper on udp/5060; \`router.nft\`);
  \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`; no default route (the provider is on the WAN's subnet).
  The router's routes at each step: \`router-routes.txt\`.
- schedule (seconds after t0 ≈ the first frame): t=$T_DOWN WAN down (\`ip addr del $ROUTER_WAN_IP/$WAN_PREFIX dev $ROUTER_WAN_IF\`;
  the connected route goes with it, the link stays up so tcpdump keeps capturing); t=$T_UP WAN back (\`ip addr add\`,
  and the static neighbour entry for $PROVIDER_IP that the removal flushed is re-added: no ARP in the capture).
- phone: \`sipagent.py phone\` $PHONE_IP:5060, steps \`$PHONE_STEPS\` (each request retransmitted after 0.5, 1, 2 s
  without an answer). provider: \`sipagent.py registrar\` $PROVIDER_IP:5060. Logs: \`agents.log\`.
- snapshots: \`conntrack-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s (before the outage), \`conntrack-L-outage.txt\` at
  t ≈ $(rel_time "$SNAP_MID_TS") s (during it), \`conntrack-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s (after the traffic)."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

$(outage_what)

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
