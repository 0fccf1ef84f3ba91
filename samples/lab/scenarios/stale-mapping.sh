# Scenario "stale-mapping": the "seed 000" story on a modern kernel.
# The phone registers; the WAN goes down (the router loses its WAN address and
# with it the route to the provider). While there is no route at all, the
# phone's REGISTERs create no conntrack entry (the router answers with ICMP
# net unreachable). Then a fallback default route appears (via another
# interface, here the LAN side, as a misconfigured backup route would do): the
# next REGISTER is routed out of lan0, the masquerade rule (oifname "wan0")
# does not match, and the kernel confirms an entry with a null binding
# (no NAT) and the SIP helper (3600 s). When the WAN comes back, that entry is
# not re-evaluated: the phone's retransmissions and re-REGISTERs keep
# refreshing it and leave the WAN with the private source address.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="WAN outage with a fallback route: an un-NATed entry outlives the outage and keeps leaking the private source"
FALLBACK_GW=192.168.1.254
FALLBACK_MAC=02:4e:52:01:00:fe
PHONE_STEPS="0:REGISTER 3:REGISTER 8:REGISTER 14:REGISTER 18:REGISTER"
T_DOWN=2; T_FALLBACK=7; T_UP=10; END_T=21

scenario_configure() {
    # the fallback gateway's MAC is static (no ARP); no ICMP redirects for
    # packets routed back out of the interface they came in on
    in_router ip neigh replace "$FALLBACK_GW" lladdr "$FALLBACK_MAC" dev "$ROUTER_LAN_IF" nud permanent
    in_router sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.$ROUTER_LAN_IF.send_redirects=0 \
        net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
    in_router sysctl net.ipv4.conf.all.send_redirects net.ipv4.conf.$ROUTER_LAN_IF.send_redirects >"$OUT/sysctl-ipv4-changed.txt"
}

scenario_run() {
    schedule_t0
    : >"$OUT/router-routes.txt"
    route_snapshot 0 "before the traffic"
    start_phone_and_registrar
    sleep_until "$T_DOWN"
    log "t=$T_DOWN WAN down: address $ROUTER_WAN_IP removed from $ROUTER_WAN_IF"
    T_DOWN_TS=$(date +%s.%N)
    wan_address_del
    route_snapshot "$T_DOWN" "WAN address removed"
    sleep_until "$T_FALLBACK"
    log "t=$T_FALLBACK fallback default route via $FALLBACK_GW dev $ROUTER_LAN_IF"
    T_FALLBACK_TS=$(date +%s.%N)
    in_router ip route add default via "$FALLBACK_GW" dev "$ROUTER_LAN_IF" metric 1000
    route_snapshot "$T_FALLBACK" "fallback route added"
    sleep_until "$T_UP"
    log "t=$T_UP WAN back: address $ROUTER_WAN_IP restored"
    T_UP_TS=$(date +%s.%N)
    wan_address_add
    route_snapshot "$T_UP" "WAN address restored (fallback route still present, metric 1000)"
    sleep_until 16.5
    timed_snapshot SNAP_TS conntrack-L
    wait_phone_and_registrar
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER)" --require-only-ipv4 --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt" pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    [[ $(grep -c "\[NEW\] .* $pat " "$ct") == 2 ]] || die "expected exactly 2 NEW entries for the phone's SIP flow"
    grep -q "\[NEW\] .* $pat \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "no masqueraded entry at the start"
    grep -q "\[DESTROY\] .* $pat .*dst=$ROUTER_WAN_IP " "$ct" || die "the masqueraded entry was not flushed"
    grep -q "\[NEW\] .* $pat \[UNREPLIED\] src=$PROVIDER_IP dst=$PHONE_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "no un-NATed (null binding) entry"
    ! grep -q "\[DESTROY\] .* $pat .*dst=$PHONE_IP " "$ct" || die "the un-NATed entry was destroyed"
    # while down without fallback: LAN REGISTERs, no entry, ICMP from the router
    [[ -n "$(frames "$OUT/lan.pcap" "kind == 'icmp' and src == '$ROUTER_LAN_IP'")" ]] || die "no ICMP unreachable on the LAN"
    # the fallback route: the REGISTER went back out of lan0
    [[ -n "$(frames "$OUT/lan.pcap" "src == '$PHONE_IP' and dst == '$PROVIDER_IP' and sip.startswith('REGISTER')")" ]] || die "?"
    LEAK_FR=$(frames "$OUT/wan.pcap" "src == '$PHONE_IP'")
    [[ -n "$LEAK_FR" ]] || die "no WAN packet with the private source after the WAN returned"
    grep -q "\[UNREPLIED\]" "$OUT/conntrack-L.txt" && grep -q "dst=$PHONE_IP sport=5060 dport=5060" "$OUT/conntrack-L.txt" \
        || die "the snapshot after the WAN's return does not show the stale entry"
}

scenario_document() {
    local t0 hair icmp reg_ok pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    t0=$(first_frame_time "$OUT/lan.pcap")
    icmp=$(frames "$OUT/lan.pcap" "kind == 'icmp' and src == '$ROUTER_LAN_IP'")
    # LAN frames of phone REGISTERs that the router sent back out of lan0 (same IP ID twice on the LAN)
    hair=$(python3 - "$TOOLS_DIR" "$OUT/lan.pcap" "$PHONE_IP" <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import casecheck
seen, out = {}, []
for f in casecheck.read_pcap(sys.argv[2]):
    if f.src == sys.argv[3] and f.proto == 17:
        if f.ipid in seen:
            out.append("%d (copy of %d)" % (f.no, seen[f.ipid]))
        else:
            seen[f.ipid] = f.no
print(", ".join(out))
PY
)
    {
        case_properties_common "masquerade (oifname $ROUTER_WAN_IF)" on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt

EOP
        case_properties_agents
        cat <<EOP
# events of the run (seconds after the first LAN frame)
event.wan.down.t=$(rel_time "$T_DOWN_TS")
event.fallback.route.t=$(rel_time "$T_FALLBACK_TS")
event.wan.up.t=$(rel_time "$T_UP_TS")
router.fallback.gateway=$FALLBACK_GW
# expected findings: WAN frames with the private source after the WAN returned
expect.leaked.wan.frames=$(echo $LEAK_FR | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

The classic "registration stuck after a WAN outage" story, reproduced on this kernel. natrecon's
model must know that (1) a packet with no route creates no conntrack entry, (2) a packet routed out
of another interface creates an entry with whatever NAT applies there (here none: a null binding),
and (3) the entry's NAT is never re-evaluated: as long as the phone keeps sending (the SIP helper
sets 3600 s on every packet), it leaves the WAN with its private source address after the WAN is
back, and no reply ever returns. A detector should flag WAN frames with a LAN source and relate them
to the entry created during the outage.

EOR
        readme_setup "- router: default lab ruleset (\`oifname \"$ROUTER_WAN_IF\" masquerade\`, SIP helper on udp/5060); a static
  neighbour entry for a fallback gateway $FALLBACK_GW ($FALLBACK_MAC, on the LAN, no host there);
  \`net.ipv4.conf.{all,$ROUTER_LAN_IF}.send_redirects=0\` (no ICMP redirects to the phone when the router routes a
  packet back out of $ROUTER_LAN_IF; \`sysctl-ipv4-changed.txt\`); \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`.
  The router's routes at each step: \`router-routes.txt\`.
- schedule (seconds after t0 ≈ the first frame): t=$T_DOWN WAN down (\`ip addr del $ROUTER_WAN_IP/$WAN_PREFIX dev $ROUTER_WAN_IF\`:
  the connected route to $WAN_NET goes with it; the link stays up so tcpdump keeps capturing);
  t=$T_FALLBACK fallback route \`default via $FALLBACK_GW dev $ROUTER_LAN_IF metric 1000\`; t=$T_UP WAN back
  (\`ip addr add $ROUTER_WAN_IP/$WAN_PREFIX dev $ROUTER_WAN_IF\`; the fallback route stays, but the connected
  route to $WAN_NET is more specific). Removing the address also flushed the router's neighbour entries on
  $ROUTER_WAN_IF (even the permanent one for $PROVIDER_IP); the lab re-adds it right after restoring the address,
  so the capture has no ARP.
- phone: \`sipagent.py phone\` $PHONE_IP:5060, REGISTER at \`$PHONE_STEPS\` (each retransmitted after 0.5, 1,
  2 s without an answer). provider: \`sipagent.py registrar\` on $PROVIDER_IP:5060 (answers each request's source).
  Logs: \`agents.log\`.
- snapshot \`conntrack-L.txt\`/\`expect-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s (WAN back)."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=0: REGISTER → NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\` masqueraded to $ROUTER_WAN_IP:5060, \`helper=sip\`, 3600 s; 200 OK.
- t≈$(rel_time "$T_DOWN_TS") WAN address removed: masquerade flushed the entry (DESTROY at t=$(event_times "$OUT/kernel-events.txt" "DESTROY.*$pat .*dst=$ROUTER_WAN_IP ")) —
  removal of the translated address deletes the masqueraded entries of that interface.
- t=3 to 6.5 (no route at all): the REGISTER and its retransmissions reached the router's LAN side and were
  dropped in routing: **no conntrack entry, no event**; the router answered with ICMP destination unreachable
  (LAN frames $icmp; ICMP errors are rate-limited, so not every REGISTER got one).
- t=8 (fallback route present, WAN still down): the REGISTER was routed back out of $ROUTER_LAN_IF towards
  $FALLBACK_GW (the LAN capture holds each such packet twice, in and out, same IP ID: $hair). The masquerade rule
  (\`oifname "$ROUTER_WAN_IF"\`) did not match, so the entry was confirmed with a **null binding**:
  NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060 [UNREPLIED]\` with reply tuple \`src=$PROVIDER_IP dst=$PHONE_IP\`, \`helper=sip\`, 3600 s.
- t≈$(rel_time "$T_UP_TS") WAN back. The entry from t=8 was not touched (only masqueraded entries are flushed on
  address/interface changes; a null binding is not re-evaluated on a route change). The phone's next
  packets (the retransmission at t≈11.5 and the REGISTERs at t=14 and 18, with retransmissions) matched it
  and left the WAN **with the private source $PHONE_IP**: WAN frames $LEAK_FR. The registrar received
  them — its binding for 1001 moved to \`$PHONE_IP:5060\` — but could not answer (no route to $LAN_NET:
  \`send … failed\` in \`agents.log\`), so the entry stays
  \`[UNREPLIED]\` and every retransmission refreshes it to 3600 s (\`conntrack-L.txt\` at t≈$(rel_time "$SNAP_TS")).
  Nothing in the kernel would end this before the phone stops sending for an hour; \`conntrack -D\` (or a
  flush) of that entry would.
- Expectations (\`kernel-expect-events.txt\`): the first REGISTER's signalling expectation ($PROVIDER_IP → $ROUTER_WAN_IP:5060,
  activated by the 200 OK with the registration's 60 s) went with its flushed master at t≈$T_DOWN. On the
  un-NATed entry the helper created a signalling expectation $PROVIDER_IP → **$PHONE_IP**:5060 for every REGISTER and
  retransmission, each replacing the previous one (DESTROY + NEW: one signalling expectation per master).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
