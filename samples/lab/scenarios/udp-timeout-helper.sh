# Scenario "udp-timeout-helper": a short UDP timeout (nf_conntrack_udp_timeout=4,
# _stream=8) with the SIP helper on for one flow and off for the other, in the
# same run. Phone A registers with the registrar on udp/5060 (the helper is
# attached there: every SIP packet sets the entry's timeout to sip_timeout,
# 3600 s); phone B with a second registrar on udp/5080 (no helper rule there:
# the UDP timeouts apply). Both REGISTER every 7 s. Phone A's entry lives on;
# phone B's expires between REGISTERs, a registrar ping to B's old binding is
# refused by the router (ICMP port unreachable; the ping makes an inbound
# entry that holds B's external port), and B's next REGISTER gets another
# external port. The registrar pings A at the same moment: it gets through.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="Short UDP timeout, SIP helper on one flow and not the other: the helper's flow lives on, the other expires and changes port"
UDP_TIMEOUT=4          # nf_conntrack_udp_timeout
UDP_TIMEOUT_STREAM=8   # nf_conntrack_udp_timeout_stream
PHONE_B_IP=192.168.1.11 PHONE_B_PORT=5062 REG_B_PORT=5080
A_STEPS="0:REGISTER 7:REGISTER 14:REGISTER 21:REGISTER"
B_STEPS="0.5:REGISTER 7.5:REGISTER 15:REGISTER 21.5:REGISTER"
PING_A="12.5:1001"; PING_B="12.5:1002"
END_T=24

scenario_configure() {
    add_phone_address "$PHONE_B_IP"
    in_router sysctl -qw net.netfilter.nf_conntrack_udp_timeout=$UDP_TIMEOUT \
        net.netfilter.nf_conntrack_udp_timeout_stream=$UDP_TIMEOUT_STREAM \
        net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
}

scenario_run() {
    schedule_t0
    start_registrar registrar-a 5060 "$END_T" --ping "$PING_A"
    start_registrar registrar-b "$REG_B_PORT" "$END_T" --ping "$PING_B"
    start_phone phone-a "$PHONE_IP:5060" 1001 "$A_STEPS"
    PHONE_SERVER="$PROVIDER_IP:$REG_B_PORT" start_phone phone-b "$PHONE_B_IP:$PHONE_B_PORT" 1002 "$B_STEPS"
    sleep_until 5
    timed_snapshot SNAP_TS conntrack-L
    wait_agent phone-a 40 "phone A"
    wait_agent phone-b 10 "phone B"
    wait_agent registrar-a 10 "registrar A"
    wait_agent registrar-b 10 "registrar B"
    timed_snapshot SNAP_END_TS conntrack-L-end
    write_agents_log "registrar-a=registrar 5060" "registrar-b=registrar $REG_B_PORT" "phone-a=phone A" "phone-b=phone B"
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER)" --require-only-ipv4 \
        --require-ct-new "udp:5060,udp:$REG_B_PORT"
    local ct="$OUT/kernel-events.txt" a="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    local b="src=$PHONE_B_IP dst=$PROVIDER_IP sport=$PHONE_B_PORT dport=$REG_B_PORT" nb
    [[ $(grep -c "\[NEW\] .* $a " "$ct") == 1 ]] || die "phone A (helper) must keep one entry"
    ! grep -q "\[DESTROY\] .* $a " "$ct" || die "phone A's entry was destroyed"
    ! grep "\[NEW\] .* $b " "$ct" | grep -q "helper=" || die "phone B's flow got a helper"
    nb=$(grep -c "\[NEW\] .* $b " "$ct")
    [[ $nb -ge 3 ]] || die "phone B's entry should expire between REGISTERs (NEW $nb times)"
    [[ $(grep -c "\[DESTROY\] .* $b " "$ct") -ge 2 ]] || die "phone B's entries were not destroyed"
    grep -q "\[NEW\] .* src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=$REG_B_PORT dport=$PHONE_B_PORT \[UNREPLIED\]" "$ct" \
        || die "the ping to B's old binding made no inbound entry"
    REFUSED_FR=$(frames "$OUT/wan.pcap" "icmp is not None and src == '$ROUTER_WAN_IP' and icmp[0] == 3 and icmp[1] == 3")
    [[ -n "$REFUSED_FR" ]] || die "no ICMP port unreachable for the ping to B's old binding"
    B_NEW_PORT=$(grep "\[NEW\] .* $b " "$ct" | sed -n "s/.*\[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=$REG_B_PORT dport=\([0-9]*\).*/\1/p" | grep -v "^$PHONE_B_PORT\$" | head -n1)
    [[ -n "$B_NEW_PORT" ]] || die "phone B never got another external port"
    grep -q "binding 1002: $ROUTER_WAN_IP:$PHONE_B_PORT -> $ROUTER_WAN_IP:$B_NEW_PORT" "$OUT/agents.log" || die "B's binding did not move"
    grep -q "phone A: .*recv OPTIONS from $PROVIDER_IP:5060" "$OUT/agents.log" || die "the ping did not reach phone A"
    ! grep -q "phone B: .*recv OPTIONS" "$OUT/agents.log" || die "the ping reached phone B"
    grep -q "$a" "$OUT/conntrack-L-end.txt" || die "phone A's entry is not listed at the end"
}

scenario_document() {
    local a="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060" b="src=$PHONE_B_IP dst=$PROVIDER_IP sport=$PHONE_B_PORT dport=$REG_B_PORT"
    {
        case_properties_common "masquerade (oifname $ROUTER_WAN_IF)" on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

phone.address=$PHONE_IP
phone.sip.port=5060
phone.b.address=$PHONE_B_IP
phone.b.sip.port=$PHONE_B_PORT
provider.address=$PROVIDER_IP
provider.sip.port=5060
provider.b.sip.port=$REG_B_PORT
agents.log.file=agents.log
# the lab's record: ICMP port unreachable from the router for the ping to B's expired binding (WAN frames)
lab.refused.wan.frames=$(echo $REFUSED_FR | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

The same short UDP timeouts act differently on a flow with the SIP helper and one without. With the helper
every SIP packet sets the entry's timeout to \`sip_timeout\` (3600 s, a module parameter), so a 7 s
re-registration interval is harmless; without it the 4 s timeout ends the entry between REGISTERs and the
registrar's ping to the old binding is refused. natrecon must decide from the captures which flows the
helper handles (here only udp/5060; the other registrar is on $REG_B_PORT), and must bound the timeout from what
it sees: B's external port changes, the ping is answered with ICMP by the router, A's ping gets through.

EOR
        readme_setup "- router: the lab's default ruleset (\`oifname \"$ROUTER_WAN_IF\" masquerade\`, SIP helper on **udp/5060 only**; \`router.nft\`);
  \`nf_conntrack_udp_timeout=$UDP_TIMEOUT\`, \`nf_conntrack_udp_timeout_stream=$UDP_TIMEOUT_STREAM\` (\`router.sysctl\`);
  \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`.
- phones (\`sipagent.py phone\`): A $PHONE_IP:5060 → registrar $PROVIDER_IP:5060, \`$A_STEPS\`; B $PHONE_B_IP:$PHONE_B_PORT →
  registrar $PROVIDER_IP:$REG_B_PORT, \`$B_STEPS\`. Each registrar pings (OPTIONS) its phone's binding: \`$PING_A\`, \`$PING_B\`.
  Logs: \`agents.log\`.
- snapshots: \`conntrack-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s, \`conntrack-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- phone A (helper): one entry for the whole run, \`helper=sip\`, timeout 3600 s at every REGISTER; no DESTROY; the
  registrar's ping at t≈12.5 reached the phone through it.
- SIP text: the helper rewrote phone A's Via/Contact to $ROUTER_WAN_IP; phone B's REGISTERs left the WAN with its private
  address $PHONE_B_IP in Via and Contact (no helper on udp/$REG_B_PORT; the registrar answered the source all the same).
- phone B (no helper): NEW at t=$(event_times "$OUT/kernel-events.txt" "NEW.* $b "); DESTROY at t=$(event_times "$OUT/kernel-events.txt" "DESTROY.* $b ")
  (the entry expired $UDP_TIMEOUT s after its last packet; the DESTROY is logged when the garbage collector or the next
  packet of the tuple reaps it, so later than the expiry).
- t≈12.5: the ping to B's binding $ROUTER_WAN_IP:$PHONE_B_PORT found no entry: NEW inbound entry
  \`udp $PROVIDER_IP:$REG_B_PORT → $ROUTER_WAN_IP:$PHONE_B_PORT\` (t=$(event_times "$OUT/kernel-events.txt" "NEW.* src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=$REG_B_PORT dport=$PHONE_B_PORT \[UNREPLIED\]")), delivered to the router itself and
  refused with ICMP port unreachable (WAN frames $REFUSED_FR); its retransmissions kept that entry alive.
- B's next REGISTER could not use $ROUTER_WAN_IP:$PHONE_B_PORT (the inbound entry's reply tuple holds it) and was
  masqueraded to port **$B_NEW_PORT**; registrar $REG_B_PORT's binding moved to it (\`agents.log\`).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
