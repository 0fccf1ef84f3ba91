# Scenario "carrier-loss": the WAN's carrier drops for a few seconds (the
# provider's end of the veth goes down: the router's wan0 stays
# administratively up with its address, NO-CARRIER) and comes back.
# Masquerade flushes only when the interface goes down or loses its address,
# not on a carrier change, so phone A's entry survives. Its packets still
# route out of wan0 (the connected route stays), pass conntrack and NAT, and
# are dropped at the interface's queue: no WAN copy, no ICMP. Phone B's first
# REGISTER, sent during the loss, even creates a masqueraded entry (confirmed
# in POSTROUTING before the drop) that has no WAN copy; its retransmission
# after the carrier's return goes out through it.
# carrier-loss-linkdown reuses this file with
# net.ipv4.conf.wan0.ignore_routes_with_linkdown=1: the route is ignored
# while the carrier is down, so the packets die in routing (ICMP net
# unreachable, no entry for phone B until the carrier returns) and phone A's
# entry, not flushed, carries on afterwards.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="${SCENARIO_TITLE:-WAN carrier lost for 5 s: no masquerade flush, packets dropped at the interface, an entry made during the loss with no WAN copy}"
IGNORE_LINKDOWN=${IGNORE_LINKDOWN:-0}
PHONE_B_IP=192.168.1.11 PHONE_B_PORT=5062
A_STEPS="0:REGISTER 2.5:OPTIONS 4:OPTIONS 10:REGISTER 13:OPTIONS"
B_STEPS="${B_STEPS:-6:REGISTER 12:OPTIONS}"
T_DOWN=3; T_UP=8.5; END_T=15

scenario_configure() {
    add_phone_address "$PHONE_B_IP"
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1 \
        net.ipv4.conf.$ROUTER_WAN_IF.ignore_routes_with_linkdown="$IGNORE_LINKDOWN"
    in_router sysctl net.ipv4.conf.$ROUTER_WAN_IF.ignore_routes_with_linkdown >"$OUT/sysctl-ipv4-changed.txt"
}

link_snapshot() {
    { echo "# t=$1 ($2)"; in_router ip -4 route; in_router ip -br link show dev "$ROUTER_WAN_IF"
      in_router ip -4 -br addr show dev "$ROUTER_WAN_IF"; echo; } >>"$OUT/router-routes.txt"
}

scenario_run() {
    schedule_t0
    : >"$OUT/router-routes.txt"
    link_snapshot 0 "before the traffic"
    start_registrar registrar 5060 "$END_T"
    start_phone phone-a "$PHONE_IP:5060" 1001 "$A_STEPS"
    start_phone phone-b "$PHONE_B_IP:$PHONE_B_PORT" 1002 "$B_STEPS"
    sleep_until "$T_DOWN"
    log "t=$T_DOWN carrier lost: the provider's $PROVIDER_IF goes down"
    T_DOWN_TS=$(date +%s.%N)
    in_provider ip link set "$PROVIDER_IF" down
    sleep 0.3
    link_snapshot "$T_DOWN" "provider's end down: $ROUTER_WAN_IF without carrier"
    sleep_until 7.5
    timed_snapshot SNAP_MID_TS conntrack-L-nocarrier
    sleep_until "$T_UP"
    log "t=$T_UP carrier back"
    T_UP_TS=$(date +%s.%N)
    in_provider ip link set "$PROVIDER_IF" up
    # the provider's routes and neighbour entries on its own interface went with the link; restore the static one
    in_provider ip neigh replace "$ROUTER_WAN_IP" lladdr "$ROUTER_WAN_MAC" dev "$PROVIDER_IF" nud permanent
    sleep 0.3
    link_snapshot "$T_UP" "carrier back"
    wait_agent phone-a 30 "phone A"
    wait_agent phone-b 10 "phone B"
    wait_agent registrar 10
    timed_snapshot SNAP_END_TS conntrack-L-end
    write_agents_log registrar "phone-a=phone A" "phone-b=phone B"
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS,200 OK (OPTIONS)" --require-only-ipv4 \
        --require-no-private-on-wan --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt" a="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    local b="src=$PHONE_B_IP dst=$PROVIDER_IP sport=$PHONE_B_PORT dport=5060" t_b
    grep -q "NO-CARRIER" "$OUT/router-routes.txt" || die "$ROUTER_WAN_IF never lost its carrier"
    [[ $(grep -c "\[NEW\] .* $a " "$ct") == 1 ]] || die "phone A's entry must survive the carrier loss (one NEW)"
    ! grep -q "\[DESTROY\] .* $a " "$ct" || die "phone A's entry was destroyed"
    grep -q "$a" "$OUT/conntrack-L-nocarrier.txt" || die "phone A's entry is not listed during the carrier loss"
    [[ $(grep -c "\[NEW\] .* $b " "$ct") == 1 ]] || die "phone B must have exactly one entry"
    grep -q "\[NEW\] .* $b \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=$PHONE_B_PORT helper=sip" "$ct" \
        || die "phone B's entry is not masqueraded"
    t_b=$(event_times "$ct" "NEW.* $b ")
    [[ -z "$(frames "$OUT/wan.pcap" "$T_DOWN_TS + 0.3 < ts < $T_UP_TS - 0.2")" ]] || die "WAN frames while the carrier was down"
    LOSS_FR=$(frames "$OUT/lan.pcap" "src in ('$PHONE_IP', '$PHONE_B_IP') and dst == '$PROVIDER_IP' and $T_DOWN_TS + 0.3 < ts < $T_UP_TS - 0.2")
    [[ $(wc -w <<<"$LOSS_FR") -ge 5 ]] || die "too few phone packets while the carrier was down: $LOSS_FR"
    ICMP_FR=$(frames "$OUT/lan.pcap" "icmp is not None and src == '$ROUTER_LAN_IP'")
    if ((IGNORE_LINKDOWN)); then
        grep -q "linkdown" "$OUT/router-routes.txt" || die "the route was not marked linkdown"
        [[ -n "$ICMP_FR" ]] || die "no ICMP unreachable although the linkdown route is ignored"
        awk -v t="$t_b" -v u="$(rel_time "$T_UP_TS")" 'BEGIN{exit !(t > u)}' || die "phone B got an entry while there was no route"
        ! grep -q "$b" "$OUT/conntrack-L-nocarrier.txt" || die "phone B has an entry while there was no route"
    else
        [[ -z "$ICMP_FR" ]] || die "ICMP from the router while the carrier was down: $ICMP_FR"
        awk -v t="$t_b" -v d="$(rel_time "$T_DOWN_TS")" -v u="$(rel_time "$T_UP_TS")" 'BEGIN{exit !(t > d && t < u)}' \
            || die "phone B's entry was not made while the carrier was down ($t_b)"
        grep -q "$b" "$OUT/conntrack-L-nocarrier.txt" || die "phone B's entry is not listed during the carrier loss"
    fi
    grep -q "phone B: .*recv 200 OK (REGISTER" "$OUT/agents.log" || die "phone B was not registered after the carrier returned"
    [[ $(grep -c "phone A: .*recv 200 OK (REGISTER" "$OUT/agents.log") == 2 ]] || die "phone A did not register again after the carrier returned"
}

scenario_document() {
    local a="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060" b="src=$PHONE_B_IP dst=$PROVIDER_IP sport=$PHONE_B_PORT dport=5060"
    {
        case_properties_common "masquerade (oifname $ROUTER_WAN_IF)" on
        cat <<EOP
conntrack.snapshot.nocarrier.file=conntrack-L-nocarrier.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

phone.address=$PHONE_IP
phone.sip.port=5060
phone.b.address=$PHONE_B_IP
phone.b.sip.port=$PHONE_B_PORT
provider.address=$PROVIDER_IP
provider.sip.port=5060
agents.log.file=agents.log
router.routes.file=router-routes.txt
# events of the run (seconds after the first LAN frame): the WAN's carrier lost and back (no address change)
event.wan.carrier.down.t=$(event_rel_time "$T_DOWN_TS")
event.wan.carrier.up.t=$(event_rel_time "$T_UP_TS")
# the lab's record: LAN frames from the phones while the carrier was down (no WAN copy)
lab.nocarrier.lan.frames=$(echo $LOSS_FR | tr ' ' ',')
lab.icmp.lan.frames=$(echo $ICMP_FR | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

A short loss of the WAN's carrier (a cable pulled, the modem rebooting) is not an address change:
masquerade's clean-ups do not run, the entries survive, and the gap in the WAN capture has another
signature than an address removal. natrecon must not infer a flush from the WAN's silence here (the same
entries and ports carry on after the gap); with \`ignore_routes_with_linkdown=$IGNORE_LINKDOWN\` the packets sent meanwhile
$( ((IGNORE_LINKDOWN)) && echo "die in routing (ICMP net unreachable from the router, no new entry)" || echo "pass conntrack and NAT and are dropped at the interface (no ICMP; a new flow gets its entry all the same)").

EOR
        readme_setup "- router: the lab's default ruleset (\`oifname \"$ROUTER_WAN_IF\" masquerade\`, SIP helper on udp/5060; \`router.nft\`);
  \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`; \`net.ipv4.conf.$ROUTER_WAN_IF.ignore_routes_with_linkdown=$IGNORE_LINKDOWN\`
  (\`sysctl-ipv4-changed.txt\`).
- schedule (seconds after t0 ≈ the first frame): t=$T_DOWN \`ip link set $PROVIDER_IF down\` in the provider namespace:
  the router's $ROUTER_WAN_IF stays up with its address but has no carrier (\`NO-CARRIER\`, \`router-routes.txt\`);
  t=$T_UP \`ip link set $PROVIDER_IF up\` (and the provider's static neighbour entry for $ROUTER_WAN_IP again).
- phones (\`sipagent.py phone\`, retransmission after 0.5, 1, 2 s): A $PHONE_IP:5060 \`$A_STEPS\`; B $PHONE_B_IP:$PHONE_B_PORT
  \`$B_STEPS\`. provider: \`sipagent.py registrar\` $PROVIDER_IP:5060. Logs: \`agents.log\`.
- snapshots: \`conntrack-L-nocarrier.txt\` at t ≈ $(rel_time "$SNAP_MID_TS") s (carrier down), \`conntrack-L-end.txt\` at
  t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=0: phone A's REGISTER → NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\` masqueraded to $ROUTER_WAN_IP:5060 (\`helper=sip\`); answered.
- t≈$(rel_time "$T_DOWN_TS") to $(rel_time "$T_UP_TS"): no carrier on $ROUTER_WAN_IF. **No DESTROY**: phone A's entry is the same one
  before and after (one NEW in the whole run; \`conntrack-L-nocarrier.txt\` lists it). The phones' packets in that
  time (LAN frames $LOSS_FR) have no WAN copy.
$(carrier_middle)
- after the carrier's return phone A's REGISTER went out through its old entry and was answered; phone B
  registered (\`agents.log\`).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}

carrier_middle() {
    local b="src=$PHONE_B_IP dst=$PROVIDER_IP sport=$PHONE_B_PORT dport=5060"
    if ((IGNORE_LINKDOWN)); then
        cat <<EOR
- the connected route was marked \`linkdown\` and ignored: the packets died in routing, the router answered with
  ICMP destination unreachable (LAN frames $ICMP_FR), and phone B's REGISTER made **no entry** until the carrier
  returned: its NEW is at t=$(event_times "$OUT/kernel-events.txt" "NEW.* $b "), with the first retransmission after the return. Phone A's
  entry (its packets still pass conntrack in PREROUTING before routing drops them) was not deleted either.
EOR
    else
        cat <<EOR
- the connected route stayed usable (\`linkdown\` flag, \`ignore_routes_with_linkdown=0\`): the packets went through
  conntrack and NAT and were dropped at $ROUTER_WAN_IF's queue, **without ICMP**. Phone B's first REGISTER made a NEW
  entry masqueraded to $ROUTER_WAN_IP:$PHONE_B_PORT at t=$(event_times "$OUT/kernel-events.txt" "NEW.* $b ") (confirmed before the drop) although no copy of it
  reached the WAN; its retransmission after the carrier's return went out through that entry and was answered.
EOR
    fi
}
