# Scenario "nat-late": the NAT rules are loaded after the traffic started.
# At the start the router has conntrack and the SIP helper (filter table) but
# no nat table at all, as when a firewall script runs after the interfaces
# came up. Phone A's REGISTERs create an entry without NAT: they leave the WAN
# with the private source and the registrar's answers have no route back.
# Then the nat table with `oifname "wan0" masquerade` is loaded. The kernel
# never sets up NAT on a confirmed entry (nf_nat_setup_info returns early for
# a confirmed conntrack), so phone A's existing flow keeps leaking its private
# source (the helper's 3600 s, refreshed by every retransmission), while new
# flows, phone B (another host) and phone A from another port, are
# masqueraded and registered.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="NAT loaded after the traffic started: the existing entry keeps leaking the private source, new flows are masqueraded"
PHONE_B_IP=192.168.1.11
PHONE_A_PORT2=5070
A_STEPS="0:REGISTER 5:REGISTER 9:REGISTER 13:REGISTER"
B_STEPS="7:REGISTER 11:OPTIONS"
A2_STEPS="8:REGISTER 12:OPTIONS"
T_NAT=3.5; END_T=16

scenario_nft_ruleset() {
    nft_sip_helper_table
}

nat_table() {
    nft_nat_table "oifname \"$ROUTER_WAN_IF\" masquerade"
}

scenario_configure() {
    add_phone_address "$PHONE_B_IP"
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
}

scenario_run() {
    schedule_t0
    start_registrar registrar 5060 "$END_T"
    start_phone phone-a "$PHONE_IP:5060" 1001 "$A_STEPS"
    start_phone phone-b "$PHONE_B_IP:5060" 1002 "$B_STEPS"
    start_phone phone-a2 "$PHONE_IP:$PHONE_A_PORT2" 1003 "$A2_STEPS"
    sleep_until 2
    timed_snapshot SNAP_TS conntrack-L
    sleep_until "$T_NAT"
    log "t=$T_NAT loading the nat table (oifname $ROUTER_WAN_IF masquerade)"
    nat_table >"$WORK/nat.nft"
    T_NAT_TS=$(date +%s.%N)
    in_router nft -f "$WORK/nat.nft"
    in_router nft list ruleset >"$OUT/router-final.nft"
    wait_agent phone-a 30 "phone A"
    wait_agent phone-b 10 "phone B"
    wait_agent phone-a2 10 "phone A (port $PHONE_A_PORT2)"
    wait_agent registrar 10
    timed_snapshot SNAP_END_TS conntrack-L-end
    write_agents_log registrar "phone-a=phone A" "phone-b=phone B" "phone-a2=phone A:$PHONE_A_PORT2"
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER)" --require-only-ipv4 --require-private-on-wan \
        --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt" a="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    local b="src=$PHONE_B_IP dst=$PROVIDER_IP sport=5060 dport=5060" a2="src=$PHONE_IP dst=$PROVIDER_IP sport=$PHONE_A_PORT2 dport=5060"
    [[ $(grep -c "\[NEW\] .* $a " "$ct") == 1 ]] || die "phone A's flow must have exactly one entry"
    grep -q "\[NEW\] .* $a \[UNREPLIED\] src=$PROVIDER_IP dst=$PHONE_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "phone A's entry is not un-NATed"
    ! grep -q "\[DESTROY\] .* $a " "$ct" || die "phone A's entry was destroyed"
    grep -q "\[NEW\] .* $b \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "phone B's entry is not masqueraded"
    grep -q "\[NEW\] .* $a2 \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=$PHONE_A_PORT2 helper=sip" "$ct" \
        || die "phone A's new flow (port $PHONE_A_PORT2) is not masqueraded"
    awk -v a="$(event_times "$ct" "NEW.* $b ")" -v n="$(rel_time "$T_NAT_TS")" 'BEGIN{exit !(a > n)}' || die "phone B started before the NAT"
    LEAK_BEFORE_FR=$(frames "$OUT/wan.pcap" "src == '$PHONE_IP' and ts < $T_NAT_TS")
    LEAK_AFTER_FR=$(frames "$OUT/wan.pcap" "src == '$PHONE_IP' and ts > $T_NAT_TS")
    [[ -n "$LEAK_BEFORE_FR" ]] || die "no private source on the WAN before the NAT was loaded"
    [[ $(wc -w <<<"$LEAK_AFTER_FR") -ge 4 ]] || die "phone A's flow did not keep leaking after the NAT was loaded: $LEAK_AFTER_FR"
    NATED_FR=$(frames "$OUT/wan.pcap" "src == '$ROUTER_WAN_IP'")
    [[ -n "$(frames "$OUT/wan.pcap" "src == '$ROUTER_WAN_IP' and ts < $T_NAT_TS")" ]] && die "a masqueraded packet before the NAT was loaded"
    [[ -n "$NATED_FR" ]] || die "no masqueraded packet after the NAT was loaded"
    grep -q "phone B: .*recv 200 OK (REGISTER" "$OUT/agents.log" || die "phone B was not registered"
    grep -q "phone A:$PHONE_A_PORT2: .*recv 200 OK (REGISTER" "$OUT/agents.log" || die "phone A on port $PHONE_A_PORT2 was not registered"
    ! grep -q "phone A: .*recv 200 OK" "$OUT/agents.log" || die "phone A's first flow got an answer"
    grep -q "dst=$PHONE_IP sport=5060 dport=5060" "$OUT/conntrack-L-end.txt" || die "the end snapshot lacks phone A's un-NATed entry"
    grep -q "masquerade" "$OUT/router-final.nft" && ! grep -q "table ip nat" "$OUT/router.nft" || die "rulesets not as expected"
}

scenario_document() {
    local a="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    {
        case_properties_common "masquerade (oifname $ROUTER_WAN_IF), loaded at event.nat.loaded.t; none before" on
        cat <<EOP
# router.nft is the ruleset before the traffic (no nat table); router-final.nft the one after the NAT was loaded
nat.ruleset.initial.file=router.nft
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

phone.address=$PHONE_IP
phone.sip.port=5060
phone.b.address=$PHONE_B_IP
provider.address=$PROVIDER_IP
provider.sip.port=5060
agents.log.file=agents.log
# events of the run (seconds after the first LAN frame)
event.nat.loaded.t=$(event_rel_time "$T_NAT_TS")
# expected findings: WAN frames with the private source, before and after the NAT was loaded
expect.leaked.wan.frames=$(echo $LEAK_BEFORE_FR $LEAK_AFTER_FR | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    # the ruleset a customer would send is the one in force now
    sed -i 's/^nat.ruleset.file=router.nft$/nat.ruleset.file=router-final.nft/' "$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

NAT rules that arrive after the traffic: an entry confirmed without NAT can never be translated later (the
kernel does not set up NAT on a confirmed conntrack), so its flow keeps leaving the WAN with the private
source for as long as it is refreshed, while every new flow is masqueraded. From the captures alone
natrecon must tell that the leak of phone A's flow is one entry made before the NAT existed (its first
WAN copies already carry the private source), not a rule that misses it (phone A's other port and phone B
are NATed), and that only deleting the entry (\`conntrack -D\`) or a pause longer than its timeout ends it.

EOR
        readme_setup "- router: at the start only the filter table (SIP helper on udp/5060, \`router.nft\`): conntrack runs, no nat table.
  At t=$T_NAT \`nft -f\` adds \`table ip nat { chain postrouting { ... oifname \"$ROUTER_WAN_IF\" masquerade } }\`
  (the ruleset after: \`router-final.nft\`, which \`nat.ruleset.file\` names). \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`.
- phones (\`sipagent.py phone\`, retransmission after 0.5, 1, 2 s): A $PHONE_IP:5060 (user 1001) \`$A_STEPS\`;
  B $PHONE_B_IP:5060 (user 1002, a second address in the phone namespace) \`$B_STEPS\`; A again from
  $PHONE_IP:$PHONE_A_PORT2 (user 1003) \`$A2_STEPS\`. provider: \`sipagent.py registrar\` $PROVIDER_IP:5060 (answers each
  request's source; it has no route to $LAN_NET). Logs: \`agents.log\`.
- snapshots: \`conntrack-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s (before the NAT), \`conntrack-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=0: phone A's REGISTER → NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\` with reply tuple \`src=$PROVIDER_IP dst=$PHONE_IP\`
  (no NAT), \`helper=sip\`, at t=$(event_times "$OUT/kernel-events.txt" "NEW.* $a "). Its packets left the WAN with the private source
  (WAN frames $LEAK_BEFORE_FR); the registrar's answers failed (no route to $LAN_NET, \`agents.log\`).
- t≈$(rel_time "$T_NAT_TS"): the nat table was loaded. Phone A's later REGISTERs and retransmissions matched the same entry
  and kept leaking the private source (WAN frames $LEAK_AFTER_FR); the entry was never re-NATed nor destroyed
  (\`conntrack-L-end.txt\`: \`[UNREPLIED]\`, reply to $PHONE_IP), and phone A never got an answer.
- New flows after the load were masqueraded to $ROUTER_WAN_IP: phone B (NEW at t=$(event_times "$OUT/kernel-events.txt" "NEW.* src=$PHONE_B_IP ")) and phone A from
  port $PHONE_A_PORT2 (NEW at t=$(event_times "$OUT/kernel-events.txt" "NEW.* sport=$PHONE_A_PORT2 ")); both registered (WAN frames from $ROUTER_WAN_IP: $NATED_FR).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
