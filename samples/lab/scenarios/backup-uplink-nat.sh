# Scenario "backup-uplink-nat": a second uplink with its own masquerade takes
# over during a WAN outage, on an interface neither capture shows.
# The router has a backup uplink wan1 (198.51.100.2/24) to a fourth namespace
# "backup" (198.51.100.1), which forwards to the provider over its own link;
# the router's default route points there (the provider itself is on wan0's
# connected subnet, which wins while it exists). Both uplinks NAT.
# The phone registers through wan0; wan0 loses its address: masquerade deletes
# the entry, and the next packet is routed out wan1 and gets a new entry
# translated to 198.51.100.2 (the provider's answers come back over the backup
# and reach the phone). When wan0's address returns, the connected route sends
# the phone's packets out wan0 again:
# - here (wan1 masquerade) the entry remembers its masquerade interface, so the
#   first packet that leaves through wan0 kills it and is dropped
#   (nf_nat_oif_changed); the next packet makes an entry masqueraded to wan0's
#   address again: the kernel heals itself;
# - in backup-uplink-snat (wan1 `snat to 198.51.100.2`, which records no
#   interface) the entry keeps the backup's NAT: its copies on wan0 carry the
#   source 198.51.100.2 (wrongly NATed) and the answers keep coming back over
#   the backup.
# Only lan0 and wan0 are captured.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="${SCENARIO_TITLE:-WAN outage with a masqueraded backup uplink: the entry made on the backup dies with its first packet out of the returned main WAN (oif changed), the next one is masqueraded to the main address}"
BACKUP_NAT="${BACKUP_NAT:-masquerade}"   # masquerade | snat
NS_BACKUP="$NS_PREFIX-backup"
ROUTER_WAN1_IF=wan1   ROUTER_WAN1_IP=198.51.100.2  ROUTER_WAN1_MAC=02:4e:52:03:00:02
BACKUP_IF=eth0        BACKUP_IP=198.51.100.1       BACKUP_MAC=02:4e:52:03:00:01
BACKUP_UP_IF=eth1     BACKUP_UP_IP=192.0.2.1       BACKUP_UP_MAC=02:4e:52:04:00:01
PROVIDER_B_IF=eth1    PROVIDER_B_IP=192.0.2.2      PROVIDER_B_MAC=02:4e:52:04:00:02
BACKUP_NET=198.51.100.0/24
# no two answered requests of a new entry 2 s apart: a replied UDP entry becomes ASSURED by a packet more than
# 2 s after its first one, and a request right at that edge makes the ASSURED update a matter of milliseconds
PHONE_STEPS="0:REGISTER 1.5:OPTIONS 5:OPTIONS 7.5:REGISTER 11:REGISTER 13:OPTIONS 15:REGISTER"
T_DOWN=3.5; T_UP=9; END_T=18

backup_nat_stmt() { [[ $BACKUP_NAT == snat ]] && echo "snat to $ROUTER_WAN1_IP" || echo masquerade; }

scenario_nft_ruleset() {
    nft_nat_table "oifname \"$ROUTER_WAN_IF\" masquerade" "oifname \"$ROUTER_WAN1_IF\" $(backup_nat_stmt)"
    nft_sip_helper_table
}

scenario_configure() {
    ns_add "$NS_BACKUP"
    ip -n "$NS_ROUTER" link add "$ROUTER_WAN1_IF" address "$ROUTER_WAN1_MAC" type veth \
        peer name "$BACKUP_IF" address "$BACKUP_MAC" netns "$NS_BACKUP"
    ip -n "$NS_BACKUP" link add "$BACKUP_UP_IF" address "$BACKUP_UP_MAC" type veth \
        peer name "$PROVIDER_B_IF" address "$PROVIDER_B_MAC" netns "$NS_PROVIDER"
    ip -n "$NS_ROUTER" addr add "$ROUTER_WAN1_IP/24" dev "$ROUTER_WAN1_IF"
    ip -n "$NS_BACKUP" addr add "$BACKUP_IP/24" dev "$BACKUP_IF"
    ip -n "$NS_BACKUP" addr add "$BACKUP_UP_IP/30" dev "$BACKUP_UP_IF"
    ip -n "$NS_PROVIDER" addr add "$PROVIDER_B_IP/30" dev "$PROVIDER_B_IF"
    ip -n "$NS_ROUTER" neigh replace "$BACKUP_IP" lladdr "$BACKUP_MAC" dev "$ROUTER_WAN1_IF" nud permanent
    ip -n "$NS_BACKUP" neigh replace "$ROUTER_WAN1_IP" lladdr "$ROUTER_WAN1_MAC" dev "$BACKUP_IF" nud permanent
    ip -n "$NS_BACKUP" neigh replace "$PROVIDER_B_IP" lladdr "$PROVIDER_B_MAC" dev "$BACKUP_UP_IF" nud permanent
    ip -n "$NS_PROVIDER" neigh replace "$BACKUP_UP_IP" lladdr "$BACKUP_UP_MAC" dev "$PROVIDER_B_IF" nud permanent
    ip -n "$NS_ROUTER" link set "$ROUTER_WAN1_IF" up
    ip -n "$NS_BACKUP" link set "$BACKUP_IF" up
    ip -n "$NS_BACKUP" link set "$BACKUP_UP_IF" up
    ip -n "$NS_PROVIDER" link set "$PROVIDER_B_IF" up
    # the backup namespace is a plain router (no NAT); the provider reaches the
    # backup uplink's addresses through it
    in_ns "$NS_BACKUP" sysctl -qw net.ipv4.ip_forward=1
    ip -n "$NS_BACKUP" route add "$WAN_NET" via "$PROVIDER_B_IP" dev "$BACKUP_UP_IF"
    ip -n "$NS_PROVIDER" route add "$BACKUP_NET" via "$BACKUP_UP_IP" dev "$PROVIDER_B_IF"
    # the router's default route is the backup uplink; the provider is on wan0's connected subnet
    ip -n "$NS_ROUTER" route add default via "$BACKUP_IP" dev "$ROUTER_WAN1_IF"
    # no reverse-path filtering anywhere: the answers to the backup's address come back over wan1 while the
    # requests leave through wan0, and the provider accepts 198.51.100.2 arriving on its wan0 link
    local ns
    for ns in "$NS_ROUTER" "$NS_PROVIDER" "$NS_BACKUP"; do
        in_ns "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
    done
    in_router sysctl -qw net.ipv4.conf.$ROUTER_WAN_IF.rp_filter=0 net.ipv4.conf.$ROUTER_WAN1_IF.rp_filter=0 \
        net.ipv4.conf.$ROUTER_LAN_IF.rp_filter=0 \
        net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
    in_provider sysctl -qw net.ipv4.conf.$PROVIDER_IF.rp_filter=0 net.ipv4.conf.$PROVIDER_B_IF.rp_filter=0
    in_router sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.$ROUTER_WAN_IF.rp_filter \
        net.ipv4.conf.$ROUTER_WAN1_IF.rp_filter >"$OUT/sysctl-ipv4-changed.txt"
}

scenario_run() {
    schedule_t0
    : >"$OUT/router-routes.txt"
    route_snapshot 0 "before the traffic" all
    start_phone_and_registrar
    sleep_until 1
    timed_snapshot SNAP_TS conntrack-L
    sleep_until "$T_DOWN"
    log "t=$T_DOWN main WAN down: $ROUTER_WAN_IP removed from $ROUTER_WAN_IF (default route via $ROUTER_WAN1_IF remains)"
    T_DOWN_TS=$(date +%s.%N)
    wan_address_del
    route_snapshot "$T_DOWN" "main WAN address removed" all
    sleep_until 8
    timed_snapshot SNAP_MID_TS conntrack-L-backup
    sleep_until "$T_UP"
    log "t=$T_UP main WAN back: $ROUTER_WAN_IP restored"
    T_UP_TS=$(date +%s.%N)
    wan_address_add
    route_snapshot "$T_UP" "main WAN address restored" all
    wait_phone_and_registrar
    timed_snapshot SNAP_END_TS conntrack-L-end
}

# unforwarded_after TS: LAN frames from the phone to the provider after TS whose IP ID never shows on wan0
unforwarded_after() {
    python3 - "$TOOLS_DIR" "$OUT/lan.pcap" "$OUT/wan.pcap" "$PHONE_IP" "$PROVIDER_IP" "$1" <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import casecheck
wan = {(f.ipid, f.dst) for f in casecheck.read_pcap(sys.argv[3]) if f.ipid is not None}
out = [str(f.no) for f in casecheck.read_pcap(sys.argv[2])
       if f.src == sys.argv[4] and f.dst == sys.argv[5] and f.ts > float(sys.argv[6]) and (f.ipid, f.dst) not in wan]
print(" ".join(out))
PY
}

scenario_check() {
    CASECHECK_ROUTER_WAN="$ROUTER_WAN_IP,$ROUTER_WAN1_IP"
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS" --require-only-ipv4 \
        --require-no-private-on-wan --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt" pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060" n
    n=$(grep -c "\[NEW\] .* $pat " "$ct" || true)
    grep -q "\[NEW\] .* $pat \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "no entry masqueraded to the main WAN at the start"
    grep -q "\[DESTROY\] .* $pat .*dst=$ROUTER_WAN_IP " "$ct" || die "the main WAN's entry was not deleted"
    awk -v a="$(event_times "$ct" "DESTROY.* $pat .*dst=$ROUTER_WAN_IP " | awk '{print $1}')" -v d="$(rel_time "$T_DOWN_TS")" \
        -v u="$(rel_time "$T_UP_TS")" 'BEGIN{exit !(a >= d - 0.1 && a < u)}' || die "the main entry's DESTROY is not in the outage"
    grep -q "\[NEW\] .* $pat \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN1_IP sport=5060 dport=5060 helper=sip" "$ct" \
        || die "no entry translated to the backup uplink's address"
    # during the outage nothing leaves wan0, and the answers over the backup reach the phone
    [[ -z "$(frames "$OUT/wan.pcap" "$T_DOWN_TS + 0.2 < ts < $T_UP_TS - 0.2")" ]] || die "wan0 frames during the outage"
    BACKUP_ANS_FR=$(frames "$OUT/lan.pcap" "src == '$PROVIDER_IP' and dst == '$PHONE_IP' and $T_DOWN_TS < ts < $T_UP_TS")
    [[ $(wc -w <<<"$BACKUP_ANS_FR") -ge 2 ]] || die "too few answers over the backup uplink: $BACKUP_ANS_FR"
    grep -q "binding 1001: $ROUTER_WAN_IP:5060 -> $ROUTER_WAN1_IP:5060" "$OUT/agents.log" || die "the registrar did not see the backup's address"
    [[ -z "$(frames "$OUT/wan.pcap" "dst == '$ROUTER_WAN1_IP'")" ]] || die "an answer to the backup's address on wan0"
    WRONG_FR=$(frames "$OUT/wan.pcap" "src == '$ROUTER_WAN1_IP' and ts > $T_UP_TS")
    DROP_FR=$(unforwarded_after "$T_UP_TS")
    if [[ $BACKUP_NAT == masquerade ]]; then
        [[ $n == 3 ]] || die "expected 3 NEW entries (main, backup, main again), got $n"
        grep -q "\[DESTROY\] .* $pat .*dst=$ROUTER_WAN1_IP " "$ct" || die "the backup's entry was not killed"
        awk -v a="$(event_times "$ct" "DESTROY.* $pat .*dst=$ROUTER_WAN1_IP ")" -v u="$(rel_time "$T_UP_TS")" \
            'BEGIN{exit !(a > u)}' || die "the backup's entry died before the main WAN returned"
        [[ $(grep "\[NEW\] .* $pat " "$ct" | tail -n1 | grep -c "dst=$ROUTER_WAN_IP ") == 1 ]] || die "the last entry is not masqueraded to the main address"
        [[ -z "$WRONG_FR" ]] || die "wan0 copies with the backup's address: $WRONG_FR"
        [[ $(wc -w <<<"$DROP_FR") == 1 ]] || die "expected exactly one phone packet dropped on the main WAN's return (oif changed), got: $DROP_FR"
        grep -q "binding 1001: $ROUTER_WAN1_IP:5060 -> $ROUTER_WAN_IP:5060" "$OUT/agents.log" || die "the binding did not move back"
        grep -q "dst=$ROUTER_WAN_IP sport=5060 dport=5060" "$OUT/conntrack-L-end.txt" || die "the end snapshot does not hold the main entry"
    else
        [[ $n == 2 ]] || die "expected 2 NEW entries (main, backup), got $n"
        ! grep -q "\[DESTROY\] .* $pat .*dst=$ROUTER_WAN1_IP " "$ct" || die "the backup's entry was destroyed"
        [[ $(wc -w <<<"$WRONG_FR") -ge 2 ]] || die "no wrongly NATed copies on wan0 after the main WAN returned: $WRONG_FR"
        [[ -z "$(frames "$OUT/wan.pcap" "src == '$ROUTER_WAN_IP' and ts > $T_UP_TS")" ]] || die "a packet NATed to the main address after its return"
        [[ -z "$DROP_FR" ]] || die "phone packets without a wan0 copy after the main WAN returned: $DROP_FR"
        [[ -n "$(frames "$OUT/lan.pcap" "src == '$PROVIDER_IP' and dst == '$PHONE_IP' and ts > $T_UP_TS")" ]] || die "no answers after the return"
        ! grep -q "binding 1001: $ROUTER_WAN1_IP:5060 -> " "$OUT/agents.log" || die "the binding moved back"
        grep -q "dst=$ROUTER_WAN1_IP sport=5060 dport=5060" "$OUT/conntrack-L-end.txt" || die "the end snapshot does not hold the backup's entry"
    fi
}

backup_after_return() {
    local pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    if [[ $BACKUP_NAT == masquerade ]]; then
        cat <<EOR
- t≈$(rel_time "$T_UP_TS") main WAN back. The phone's next packet (LAN frame $DROP_FR) was routed out of wan0, but its
  entry was masqueraded on $ROUTER_WAN1_IF (the entry records the interface, \`masq_index\`): the kernel **killed the
  entry and dropped the packet** (nf_nat.h:nf_nat_oif_changed via nf_nat_inet_fn; DESTROY at
  t=$(event_times "$OUT/kernel-events.txt" "DESTROY.* $pat .*dst=$ROUTER_WAN1_IP "), \`[ASSURED]\`, no wan0 copy of that frame). The next
  packet (a retransmission) made a NEW entry masqueraded to **$ROUTER_WAN_IP**:5060 again
  (t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat .*dst=$ROUTER_WAN_IP " | awk '{print $2}')); no wan0 frame carries $ROUTER_WAN1_IP, and the
  registrar's binding moved back to $ROUTER_WAN_IP:5060. Masquerade healed itself at the cost of one packet;
  compare \`backup-uplink-snat\`, where the backup's \`snat\` records no interface and the entry keeps leaking.
EOR
    else
        cat <<EOR
- t≈$(rel_time "$T_UP_TS") main WAN back. That entry was not touched: only masqueraded entries of the removed address are
  flushed, an \`snat\` entry records no out-interface (so no oif-changed kill), and the kernel does not re-NAT a
  confirmed entry. The phone's next requests were routed out of wan0 with the backup's source **$ROUTER_WAN1_IP**
  (wan0 frames $WRONG_FR: wrongly NATed); none carries $ROUTER_WAN_IP. The provider's answers went to $ROUTER_WAN1_IP
  over the backup uplink and reached the phone, so the phone stays registered, through the main WAN one way and
  the backup the other. No DESTROY of that entry in the run; \`conntrack-L-end.txt\` still holds it (helper
  timeout 3600 s, refreshed by every request).
EOR
    fi
}

scenario_document() {
    local pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    {
        case_properties_common "masquerade (oifname $ROUTER_WAN_IF); $(backup_nat_stmt) (oifname $ROUTER_WAN1_IF, not captured)" on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.backup.file=conntrack-L-backup.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

EOP
        case_properties_agents
        cat <<EOP
# the backup uplink (not captured): its interface, address and gateway
router.backup.interface=$ROUTER_WAN1_IF
router.backup.address=$ROUTER_WAN1_IP
router.backup.gateway=$BACKUP_IP
# events of the run (seconds after the first LAN frame)
event.wan.down.t=$(event_rel_time "$T_DOWN_TS")
event.wan.up.t=$(event_rel_time "$T_UP_TS")
# the lab's record: LAN answers that came back over the backup uplink during the outage; after the main WAN's
# return: wan0 frames NATed to the backup's address, and phone packets the router dropped (no wan0 copy)
lab.backup.answers.lan.frames=$(echo $BACKUP_ANS_FR | tr ' ' ',')
lab.wrong.nat.wan.frames=$(echo $WRONG_FR | tr ' ' ',')
lab.dropped.lan.frames=$(echo $DROP_FR | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

An entry created on a path that neither capture shows. During a main-WAN outage the router's default route
sends the phone's packets out of a backup uplink with its own masquerade; the entry made then is
translated to the backup's address, and the kernel never re-NATs a confirmed entry: when the main WAN
returns, the phone's packets leave wan0 again **with the backup's source address** (wrongly NATed), while
the provider's answers to that address return over the backup uplink and reach the phone. From
\`lan.pcap\` + \`wan.pcap\` alone natrecon must infer the flush (main address gone), an entry made
elsewhere (LAN packets with no wan0 copy, answered all the same), and that entry's NAT showing up on
wan0 afterwards. Compare \`stale-mapping\` (a fallback route without NAT: a null binding) and
\`outage-no-route\` (no route: no entry).

EOR
        readme_setup "- a fourth namespace \`backup\` (a plain router, no NAT): $ROUTER_WAN1_IF $ROUTER_WAN1_IP/24 on the router ↔ $BACKUP_IF $BACKUP_IP,
  and $BACKUP_UP_IF $BACKUP_UP_IP/30 ↔ the provider's $PROVIDER_B_IF $PROVIDER_B_IP/30; the provider routes $BACKUP_NET via
  $BACKUP_UP_IP, the backup routes $WAN_NET via $PROVIDER_B_IP. Neither $ROUTER_WAN1_IF nor the backup's links are captured.
- router: \`default via $BACKUP_IP dev $ROUTER_WAN1_IF\` (the provider is on $ROUTER_WAN_IF's connected /24, which wins while
  it exists); ruleset \`oifname \"$ROUTER_WAN_IF\" masquerade\` and \`oifname \"$ROUTER_WAN1_IF\" $(backup_nat_stmt)\`, SIP helper on udp/5060
  (\`router.nft\`); \`rp_filter=0\` in all three namespaces (\`sysctl-ipv4-changed.txt\`: answers to the backup's
  address arrive on $ROUTER_WAN1_IF while the requests leave through $ROUTER_WAN_IF); \`nf_conntrack_acct=1\`,
  \`nf_conntrack_timestamp=1\`. Routes and addresses at each step: \`router-routes.txt\`.
- schedule (seconds after t0 ≈ the first frame): t=$T_DOWN \`ip addr del $ROUTER_WAN_IP/$WAN_PREFIX dev $ROUTER_WAN_IF\` (the link
  stays up); t=$T_UP \`ip addr add\` again (and the static neighbour entry for $PROVIDER_IP that the removal flushed).
- phone: \`sipagent.py phone\` $PHONE_IP:5060, steps \`$PHONE_STEPS\`. provider: \`sipagent.py registrar\`
  $PROVIDER_IP:5060 (answers each request's source). Logs: \`agents.log\`.
- snapshots: \`conntrack-L.txt\` t ≈ $(rel_time "$SNAP_TS") s, \`conntrack-L-backup.txt\` t ≈ $(rel_time "$SNAP_MID_TS") s (on the
  backup), \`conntrack-L-end.txt\` t ≈ $(rel_time "$SNAP_END_TS") s (main WAN back)."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=0: REGISTER → NEW \`udp $PHONE_IP:5060 → $PROVIDER_IP:5060\` masqueraded to $ROUTER_WAN_IP:5060 (\`helper=sip\`); answered.
- t≈$(rel_time "$T_DOWN_TS") main WAN address removed → DESTROY of that entry at t=$(event_times "$OUT/kernel-events.txt" "DESTROY.* $pat .*dst=$ROUTER_WAN_IP ").
- the next request (t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat .*dst=$ROUTER_WAN1_IP ")) was routed out of $ROUTER_WAN1_IF and made a NEW
  entry translated (\`$(backup_nat_stmt)\`) to **$ROUTER_WAN1_IP**:5060 (\`conntrack-L-backup.txt\`); it has no copy on wan0, and its answer
  reached the phone over the backup. The registrar's binding moved to $ROUTER_WAN1_IP:5060 (\`agents.log\`).
$(backup_after_return)

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
