# Scenario "tcp-reconnect": SIP over TCP, the phone closes its connection to
# the registrar (FIN both ways: the conntrack entry goes to TIME_WAIT, 120 s)
# and a few seconds later connects again from the same local address and port
# (tcp_tw_reuse=1 in the phone's namespace lets its own stack reuse the
# 4-tuple). The router's entry for that tuple is still in TIME_WAIT: the new
# SYN kills it (nf_conntrack_proto_tcp.c, "reopen a closed/aborted
# connection": nf_ct_kill, -NF_REPEAT) and a new entry is created. The same
# TCP tuple shows two lifetimes, each with its own REGISTER.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="${SCENARIO_TITLE:-SIP over TCP closed and reopened from the same port within TIME_WAIT: the SYN kills the old entry, a new one is made (two lifetimes)}"
CLOSE_HOW=${CLOSE_HOW:-CLOSE}   # CLOSE: FIN both ways, TIME_WAIT | ABORT: RST, conntrack CLOSE (tcp-reconnect-rst)
PHONE_STEPS="0:REGISTER 2:OPTIONS 4:$CLOSE_HOW 7.5:CONNECT 8:REGISTER 10:OPTIONS"
END_STATE=$([[ $CLOSE_HOW == ABORT ]] && echo CLOSE || echo TIME_WAIT)
T_CLOSE=4; T_CONNECT=7.5; END_T=12.5

scenario_nft_ruleset() {
    nft_nat_table "oifname \"$ROUTER_WAN_IF\" masquerade"
    nft_sip_helper_table tcp
}

scenario_configure() {
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
    # the phone's own stack: reuse a TIME_WAIT 4-tuple for an outgoing connection (needs TCP timestamps, on by default)
    in_phone sysctl -qw net.ipv4.tcp_tw_reuse=1
    in_phone sysctl net.ipv4.tcp_tw_reuse net.ipv4.tcp_timestamps | sed 's/^/phone: /' >"$OUT/sysctl-ipv4-changed.txt"
}

scenario_run() {
    schedule_t0
    # the registrar outlives the phone by 1.5 s: the phone's exit always closes the last connection first
    start_registrar registrar 5060 "$(awk -v e="$END_T" 'BEGIN{print e + 1.5}')" --tcp
    wait_for 10 "registrar on tcp/5060" sh -c "ip netns exec $NS_PROVIDER ss -Hltn 'sport = :5060' | grep -q ."
    start_phone phone "$PHONE_IP:5060" 1001 "$PHONE_STEPS" --transport tcp
    sleep_until 3
    timed_snapshot SNAP_TS conntrack-L
    sleep_until 6
    timed_snapshot SNAP_TW_TS conntrack-L-closed
    wait_phone_and_registrar
    timed_snapshot SNAP_END_TS conntrack-L-end
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS,200 OK (OPTIONS)" --require-only-ipv4 \
        --require-no-private-on-wan --require-all-forwarded --require-ct-new "tcp:5060"
    local ct="$OUT/kernel-events.txt" pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060" t_d t_n
    [[ $(grep -c "\[NEW\] .* $pat " "$ct") == 2 ]] || die "expected two NEW entries for the phone's TCP tuple"
    [[ $(grep "\[NEW\] .* $pat " "$ct" | grep -c "SYN_SENT .*dst=$ROUTER_WAN_IP sport=5060 dport=5060 .*helper=sip") == 2 ]] \
        || die "both entries must start in SYN_SENT, masqueraded with port 5060 and the helper"
    grep -q "$END_STATE $pat " "$ct" || die "the first entry never reached $END_STATE"
    grep -q "$END_STATE $pat " "$OUT/conntrack-L-closed.txt" || die "no $END_STATE entry between the close and the reconnect"
    grep "\[DESTROY\] .* $pat " "$ct" | grep -q " $END_STATE " || die "the DESTROY is not of the $END_STATE entry"
    [[ $(grep -c "\[DESTROY\] .* $pat " "$ct") == 1 ]] || die "expected one DESTROY (the first lifetime)"
    t_d=$(event_times "$ct" "DESTROY.* $pat ")
    t_n=$(event_times "$ct" "NEW.* $pat " | awk '{print $2}')
    # killed by the new SYN, not by the 120 s TIME_WAIT timeout
    awk -v d="$t_d" -v n="$t_n" -v c="$(rel_time "$T0")" -v r="$T_CONNECT" 'BEGIN{exit !(d <= n && d >= c + r - 0.5 && n - d < 0.5)}' \
        || die "the DESTROY ($t_d) is not at the reconnect's SYN ($t_n)"
    SYN_FR=$(frames "$OUT/lan.pcap" "src == '$PHONE_IP' and proto == 6 and tcpflags is not None and tcpflags & 0x12 == 0x02")
    [[ $(wc -w <<<"$SYN_FR") == 2 ]] || die "expected two SYNs from the phone: $SYN_FR"
    FIN_FR=$(frames "$OUT/lan.pcap" "proto == 6 and tcpflags is not None and tcpflags & 0x01")
    RST_FR=$(frames "$OUT/lan.pcap" "proto == 6 and tcpflags is not None and tcpflags & 0x04")
    if [[ $CLOSE_HOW == ABORT ]]; then
        [[ -n "$RST_FR" ]] || die "no RST from the phone"
        [[ $(frames "$OUT/lan.pcap" "proto == 6 and tcpflags is not None and tcpflags & 0x01 and ts < $T0 + $T_CONNECT") == "" ]] \
            || die "a FIN before the reconnect"
    else
        [[ $(wc -w <<<"$FIN_FR") -ge 2 ]] || die "no FIN both ways: $FIN_FR"
    fi
    [[ $(grep -c "phone: .*recv 200 OK (REGISTER" "$OUT/agents.log") == 2 ]] || die "expected a registration on each connection"
    [[ $(grep -c "registrar: .*tcp accepted from $ROUTER_WAN_IP:5060" "$OUT/agents.log") == 2 ]] || die "the registrar did not see two connections from port 5060"
}

close_what() {
    if [[ $CLOSE_HOW == ABORT ]]; then
        cat <<EOR
- t≈$T_CLOSE: the phone aborted the connection (\`SO_LINGER\` 0: a RST, LAN frames with RST: $RST_FR); the entry went
  to **CLOSE** (\`kernel-events.txt\`; \`conntrack-L-closed.txt\` shows it in CLOSE with its 10 s timeout running).
EOR
    else
        cat <<EOR
- t≈$T_CLOSE: the phone closed the connection; FIN both ways (LAN frames with FIN: $FIN_FR); the entry went through
  FIN_WAIT/LAST_ACK to **TIME_WAIT** (\`kernel-events.txt\` UPDATEs; \`conntrack-L-closed.txt\` shows it in TIME_WAIT with
  its 120 s timeout running).
EOR
    fi
}

scenario_document() {
    local pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060"
    {
        case_properties_common "masquerade (oifname $ROUTER_WAN_IF)" on/tcp
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.closed.file=conntrack-L-closed.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

phone.address=$PHONE_IP
phone.sip.port=5060
phone.sip.transport=tcp
provider.address=$PROVIDER_IP
provider.sip.port=5060
agents.log.file=agents.log
# the lab's record: the phone's SYNs and the FINs (LAN frames)
lab.syn.lan.frames=$(echo $SYN_FR | tr ' ' ',')
lab.fin.lan.frames=$(echo $FIN_FR | tr ' ' ',')
lab.rst.lan.frames=$(echo $RST_FR | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

TCP reopening on the same ports. A SIP phone over TCP $([[ $CLOSE_HOW == ABORT ]] && echo 'aborts its connection (RST)' || echo 'closes its connection (FIN)') and reconnects from the same
local port while the router's entry for that tuple is still in $END_STATE ($([[ $END_STATE == CLOSE ]] && echo 10 || echo 120) s). The kernel does not
reuse the entry: a SYN that matches an entry in TIME_WAIT (or CLOSE) kills it and the packet is processed
again as a new connection. natrecon must show two lifetimes of the same tuple, each with its own NEW and
the first ended by the SYN, not by a timeout.

EOR
        readme_setup "- router: masquerade on $ROUTER_WAN_IF and a \`ct helper\` \"sip\" of protocol **tcp** on tcp/5060 (\`router.nft\`);
  \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`.
- phone namespace: \`net.ipv4.tcp_tw_reuse=1\` (\`sysctl-ipv4-changed.txt\`), so that its own stack may connect again
  from a 4-tuple it holds in TIME_WAIT.
- phone: \`sipagent.py phone --transport tcp\` $PHONE_IP:5060, steps \`$PHONE_STEPS\` (CLOSE: the phone closes the
  connection, FIN; the registrar closes its side on end of file; CONNECT: a new connection from $PHONE_IP:5060).
  provider: \`sipagent.py registrar --tcp\` $PROVIDER_IP:5060. Logs: \`agents.log\`.
- snapshots: \`conntrack-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s (first connection), \`conntrack-L-closed.txt\` at
  t ≈ $(rel_time "$SNAP_TW_TS") s (closed, $END_STATE), \`conntrack-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat " | awk '{print $1}'): SYN (LAN frame $(awk '{print $1}' <<<"$SYN_FR")) → NEW \`tcp SYN_SENT $PHONE_IP:5060 → $PROVIDER_IP:5060\` masqueraded to
  $ROUTER_WAN_IP:5060, \`helper=sip\`; ESTABLISHED/ASSURED; REGISTER and OPTIONS answered over it.
$(close_what)
- t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat " | awk '{print $2}'): the phone's new SYN from the same port (LAN frame $(awk '{print $2}' <<<"$SYN_FR")) matched the $END_STATE
  entry: DESTROY of the old $END_STATE entry at t=$(event_times "$OUT/kernel-events.txt" "DESTROY.* $pat ") (long before its timeout), then NEW
  \`SYN_SENT\` again, masqueraded to $ROUTER_WAN_IP:5060 with \`helper=sip\` (nf_conntrack_proto_tcp.c: a SYN on a
  TIME_WAIT/CLOSE entry kills it and the packet is looked up again). The second REGISTER and OPTIONS were
  answered over the new connection; the registrar accepted two connections from $ROUTER_WAN_IP:5060 (\`agents.log\`).
- t≈$END_T: the phone's agent ended and its exit closed the second connection (FIN both ways again): the second
  entry went to TIME_WAIT ($(grep -c "TIME_WAIT $pat " "$OUT/kernel-events.txt") TIME_WAIT update(s) in the log); it is not destroyed within the run
  (\`conntrack-L-end.txt\`).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
