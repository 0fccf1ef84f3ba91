# Scenario "stale-mapping-expiry": stale-mapping without the SIP helper and with
# a short UDP timeout (nf_conntrack_udp_timeout=5, _stream=10). The fallback
# route still gives the phone's REGISTER an un-NATed (null binding) entry
# during the outage, and after the WAN's return it still leaks the private
# source; but without the helper's 3600 s the entry ends 5 s after its last
# packet: the phone pauses longer than that, the entry expires, and its next
# REGISTER gets a fresh masqueraded entry. The kernel's own timeout heals it.

# the run is stale-mapping's (route steps, snapshot at t=16.5) with this schedule
# shellcheck source=/dev/null
source "$SCENARIO_DIR/stale-mapping.sh"
SCENARIO_TITLE="WAN outage with a fallback route, no helper, short UDP timeout: the un-NATed entry leaks until a pause lets it expire, then a fresh masqueraded entry"
PHONE_STEPS="0:REGISTER 3:REGISTER 9:REGISTER 19:REGISTER 22:OPTIONS"
T_DOWN=2; T_FALLBACK=4; T_UP=7; END_T=24
UDP_TIMEOUT=5 UDP_TIMEOUT_STREAM=10

scenario_nft_ruleset() {
    nft_nat_table "oifname \"$ROUTER_WAN_IF\" masquerade"
}

eval "$(declare -f scenario_configure | sed '1s/scenario_configure/stale_mapping_configure/')"
scenario_configure() {
    stale_mapping_configure
    in_router sysctl -qw net.netfilter.nf_conntrack_udp_timeout=$UDP_TIMEOUT \
        net.netfilter.nf_conntrack_udp_timeout_stream=$UDP_TIMEOUT_STREAM
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER)" --require-only-ipv4 --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt" pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060" t_exp t_new
    [[ $(grep -c "\[NEW\] .* $pat " "$ct") == 3 ]] || die "expected 3 NEW entries (masqueraded, un-NATed, masqueraded again)"
    ! grep -q "helper=" "$ct" || die "an entry with a helper"
    grep -q "\[DESTROY\] .* $pat .*dst=$ROUTER_WAN_IP " "$ct" || die "the first masqueraded entry was not flushed"
    grep -q "\[NEW\] .* $pat \[UNREPLIED\] src=$PROVIDER_IP dst=$PHONE_IP sport=5060 dport=5060" "$ct" || die "no un-NATed entry"
    grep -q "\[DESTROY\] .* $pat .*\[UNREPLIED\] src=$PROVIDER_IP dst=$PHONE_IP " "$ct" || die "the un-NATed entry did not expire"
    [[ $(grep "\[NEW\] .* $pat " "$ct" | tail -n1 | grep -c "dst=$ROUTER_WAN_IP ") == 1 ]] || die "the last entry is not masqueraded"
    LEAK_FR=$(frames "$OUT/wan.pcap" "src == '$PHONE_IP'")
    [[ -n "$LEAK_FR" ]] || die "no WAN packet with the private source after the WAN returned"
    t_exp=$(event_times "$ct" "DESTROY.* $pat .*\[UNREPLIED\] src=$PROVIDER_IP dst=$PHONE_IP ")
    t_new=$(event_times "$ct" "NEW.* $pat " | awk '{print $3}')
    awk -v e="$t_exp" -v n="$t_new" 'BEGIN{exit !(e <= n)}' || die "the fresh entry came before the un-NATed one ended"
    [[ -n "$(frames "$OUT/wan.pcap" "src == '$ROUTER_WAN_IP' and sip.startswith('REGISTER') and ts > $T0 + 18")" ]] || die "no masqueraded REGISTER after the pause"
    grep -q "phone: t=19.* recv 200 OK (REGISTER" "$OUT/agents.log" || die "the REGISTER after the pause was not answered"
    grep -q "dst=$PHONE_IP sport=5060 dport=5060" "$OUT/conntrack-L.txt" || die "the snapshot at t=16.5 lacks the stale entry"
}

scenario_document() {
    local pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    {
        case_properties_common "masquerade (oifname $ROUTER_WAN_IF)" off
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt

EOP
        case_properties_agents
        cat <<EOP
# events of the run (seconds after the first LAN frame)
event.wan.down.t=$(event_rel_time "$T_DOWN_TS")
event.fallback.route.t=$(event_rel_time "$T_FALLBACK_TS")
event.wan.up.t=$(event_rel_time "$T_UP_TS")
router.fallback.gateway=$FALLBACK_GW
# expected findings: WAN frames with the private source after the WAN returned (until the entry expired)
expect.leaked.wan.frames=$(echo $LEAK_FR | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

\`stale-mapping\` without the SIP helper and with a short UDP timeout. The outage and the fallback route leave the
same un-NATed entry behind, and after the WAN's return it leaks the private source just the same, but without
the helper's 3600 s it lives only $UDP_TIMEOUT s after its last packet. A pause in the phone's traffic longer than that
ends it, and the next REGISTER is masqueraded again. natrecon must report the leak with how long it lasted and
that the kernel's own timeout healed it (no flush needed), and must not report the stale entry as still alive
at the end.

EOR
        readme_setup "- router: masquerade on $ROUTER_WAN_IF, **no SIP helper** (\`router.nft\`); \`nf_conntrack_udp_timeout=$UDP_TIMEOUT\`,
  \`nf_conntrack_udp_timeout_stream=$UDP_TIMEOUT_STREAM\`; a static neighbour entry for a fallback gateway $FALLBACK_GW on the LAN;
  \`send_redirects=0\` (\`sysctl-ipv4-changed.txt\`); \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`. Routes at each step:
  \`router-routes.txt\`.
- schedule (seconds after t0 ≈ the first frame): t=$T_DOWN WAN address removed; t=$T_FALLBACK fallback route
  \`default via $FALLBACK_GW dev $ROUTER_LAN_IF metric 1000\`; t=$T_UP WAN address back (the fallback route stays).
- phone: \`sipagent.py phone\` $PHONE_IP:5060, steps \`$PHONE_STEPS\` (retransmission after 0.5, 1, 2 s). provider:
  \`sipagent.py registrar\` $PROVIDER_IP:5060. Logs: \`agents.log\`.
- snapshot \`conntrack-L.txt\`/\`expect-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s (the stale entry near its end)."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=0: REGISTER → NEW masqueraded to $ROUTER_WAN_IP:5060 (no helper: UDP timeouts); answered.
- t≈$(rel_time "$T_DOWN_TS"): address removed → DESTROY of that entry at t=$(event_times "$OUT/kernel-events.txt" "DESTROY.* $pat .*dst=$ROUTER_WAN_IP ").
- no route until t≈$(rel_time "$T_FALLBACK_TS"): REGISTERs answered by ICMP from the router, no entry. With the fallback route the next
  retransmission went back out of $ROUTER_LAN_IF: NEW **un-NATed** entry (reply to $PHONE_IP) at
  t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat \[UNREPLIED\] src=$PROVIDER_IP dst=$PHONE_IP ").
- t≈$(rel_time "$T_UP_TS") WAN back: the REGISTER at t=9 and its retransmissions matched the un-NATed entry and left the WAN with the
  private source (WAN frames $LEAK_FR), unanswered.
- the phone then paused; the entry expired $UDP_TIMEOUT s after its last packet (DESTROY logged at
  t=$(event_times "$OUT/kernel-events.txt" "DESTROY.* $pat .*\[UNREPLIED\] src=$PROVIDER_IP dst=$PHONE_IP "), when the garbage collector or the next packet of the tuple reaped it), and the REGISTER at
  t=19 made a fresh entry masqueraded to $ROUTER_WAN_IP:5060 (t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat " | awk '{print $3}')), answered; the OPTIONS at
  t=22 too.

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
