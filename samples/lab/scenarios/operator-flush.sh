# Scenario "operator-flush": an operator deletes the phone's conntrack entry
# in the middle of a healthy registration (`conntrack -D` of that entry). The
# kernel logs the DESTROY (and the helper's expectation goes with it); the
# phone's next packet is a new flow as far as the kernel is concerned: a NEW
# entry, masqueraded again, here with the same external port (nothing else
# holds it). operator-flush-renumbered reuses this file with other addresses,
# `conntrack -F` and a registrar ping that arrives between the flush and the
# phone's next packet (a stray inbound entry takes the port: the new entry
# gets another external port).

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="${SCENARIO_TITLE:-Operator conntrack -D of the SIP entry mid-registration: the next packet makes a new masqueraded entry with the same port}"
FLUSH="${FLUSH:-delete}"              # delete: conntrack -D of the phone's entry | flush: conntrack -F
PING_AFTER_FLUSH="${PING_AFTER_FLUSH:-0}"
PHONE_PORT="${PHONE_PORT:-5060}"
PHONE_STEPS="${PHONE_STEPS:-0:REGISTER 2.5:OPTIONS 7:OPTIONS 9.5:REGISTER 12.5:OPTIONS}"
PINGS="${PINGS:-}"
T_FLUSH=${T_FLUSH:-4}; END_T=${END_T:-15}

scenario_configure() {
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
}

flush_cmd() {
    if [[ $FLUSH == flush ]]; then
        echo "conntrack -F"
    else
        echo "conntrack -D -p udp --orig-src $PHONE_IP --orig-port-src $PHONE_PORT --orig-dst $PROVIDER_IP --orig-port-dst 5060"
    fi
}

scenario_run() {
    schedule_t0
    local ping=()
    [[ -n "$PINGS" ]] && ping=(--ping "$PINGS")
    start_registrar registrar 5060 "$END_T" "${ping[@]}"
    start_phone phone "$PHONE_IP:$PHONE_PORT" 1001 "$PHONE_STEPS"
    sleep_until 2.8
    timed_snapshot SNAP_TS conntrack-L
    sleep_until "$T_FLUSH"
    log "t=$T_FLUSH operator: $(flush_cmd)"
    T_FLUSH_TS=$(date +%s.%N)
    # shellcheck disable=SC2046
    in_router $(flush_cmd) >"$WORK/flush.out" 2>&1 || die "$(flush_cmd) failed: $(cat "$WORK/flush.out")"
    { echo "# t=$(rel_time "$T_FLUSH_TS") $(flush_cmd)"; cat "$WORK/flush.out"; } >"$OUT/operator.txt"
    wait_phone_and_registrar
    timed_snapshot SNAP_END_TS conntrack-L-end
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS,200 OK (OPTIONS)" --require-only-ipv4 \
        --require-no-private-on-wan --require-ct-new "udp:5060"
    local ct="$OUT/kernel-events.txt" pat="src=$PHONE_IP dst=$PROVIDER_IP sport=$PHONE_PORT dport=5060" n t_d t_n
    n=$(grep -c "\[NEW\] .* $pat " "$ct" || true)
    [[ $n == 2 ]] || die "expected 2 NEW entries for the phone's flow (before and after the flush), got $n"
    [[ $(grep -c "\[DESTROY\] .* $pat " "$ct") == 1 ]] || die "expected one DESTROY of the phone's entry"
    t_d=$(event_times "$ct" "DESTROY.* $pat ")
    t_n=$(event_times "$ct" "NEW.* $pat " | awk '{print $2}')
    awk -v d="$t_d" -v f="$(rel_time "$T_FLUSH_TS")" -v n="$t_n" 'BEGIN{exit !(d >= f - 0.1 && d < f + 1 && n > d)}' \
        || die "the DESTROY is not at the flush, or the new entry is not after it"
    grep "\[NEW\] .* $pat " "$ct" | head -n1 | grep -q "src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=$PHONE_PORT helper=sip" \
        || die "the first entry is not masqueraded with the phone's port"
    grep "\[DESTROY\] .* $pat " "$ct" | grep -q "\[ASSURED\]" || die "the deleted entry was not a healthy (assured) one"
    NEW_PORT=$(grep "\[NEW\] .* $pat " "$ct" | tail -n1 | sed -n "s/.*\[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=\([0-9]*\) .*/\1/p")
    [[ -n "$NEW_PORT" ]] || die "the second entry is not masqueraded to $ROUTER_WAN_IP"
    if ((PING_AFTER_FLUSH)); then
        grep -q "\[NEW\] .* src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=$PHONE_PORT \[UNREPLIED\] src=$ROUTER_WAN_IP dst=$PROVIDER_IP" "$ct" \
            || die "the registrar's ping made no inbound entry"
        PORT_UNREACH_FR=$(frames "$OUT/wan.pcap" "icmp is not None and src == '$ROUTER_WAN_IP' and icmp[0] == 3 and icmp[1] == 3")
        [[ -n "$PORT_UNREACH_FR" ]] || die "no ICMP port unreachable for the ping"
        [[ $NEW_PORT != "$PHONE_PORT" ]] || die "the new entry kept the port although the inbound entry held it"
        grep -q "binding 1001: $ROUTER_WAN_IP:$PHONE_PORT -> $ROUTER_WAN_IP:$NEW_PORT" "$OUT/agents.log" || die "the registrar's binding did not move to the new port"
        grep -q "phone: .*recv OPTIONS from $PROVIDER_IP" "$OUT/agents.log" || die "the last ping did not reach the phone"
    else
        [[ $NEW_PORT == "$PHONE_PORT" ]] || die "the new entry did not keep the port ($NEW_PORT)"
        ! grep -q "binding 1001: $ROUTER_WAN_IP:$PHONE_PORT -> " "$OUT/agents.log" || die "the binding moved"
    fi
    ! grep -q "phone: .*gave up" "$OUT/agents.log" || die "a phone request went unanswered"
    grep -q "dport=$NEW_PORT " "$OUT/conntrack-L-end.txt" || die "the end snapshot does not hold the new entry"
}

scenario_document() {
    local pat="src=$PHONE_IP dst=$PROVIDER_IP sport=$PHONE_PORT dport=5060"
    {
        case_properties_common "masquerade (oifname $ROUTER_WAN_IF)" on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

phone.address=$PHONE_IP
phone.sip.port=$PHONE_PORT
provider.address=$PROVIDER_IP
provider.sip.port=5060
agents.log.file=agents.log
operator.log.file=operator.txt
# events of the run (seconds after the first LAN frame): the operator's command
event.conntrack.flush.t=$(event_rel_time "$T_FLUSH_TS")
event.conntrack.flush.command=$(flush_cmd)
EOP
    } >"$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

An operator's \`$(flush_cmd)\` on the router while the phone is registered. Nothing in the captures
announces it: the only traces are that the phone's next packet is treated as a new flow (the SIP helper's
state and expectations start again$([[ $PING_AFTER_FLUSH == 1 ]] && echo ", an inbound packet is no longer forwarded and the external port changes")).
natrecon must infer the deletion (DESTROY within the window between the last packet of the old entry and the
first one that proves the new one) from the captures alone, and must not mistake it for an expiry (the
entry's timeout was far from over).

EOR
        readme_setup "- router: the lab's default ruleset (\`oifname \"$ROUTER_WAN_IF\" masquerade\`, SIP helper on udp/5060; \`router.nft\`);
  \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`.
- t=$T_FLUSH (seconds after t0 ≈ the first frame), in the router namespace: \`$(flush_cmd)\` (its output: \`operator.txt\`).
- phone: \`sipagent.py phone\` $PHONE_IP:$PHONE_PORT, steps \`$PHONE_STEPS\`. provider: \`sipagent.py registrar\` $PROVIDER_IP:5060
  (answers each request's source$([[ -n "$PINGS" ]] && echo "; pings (OPTIONS) user 1001's binding at \`$PINGS\`")). Logs: \`agents.log\`.
- snapshots: \`conntrack-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s (before the flush), \`conntrack-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=0: REGISTER → NEW \`udp $PHONE_IP:$PHONE_PORT → $PROVIDER_IP:5060\` masqueraded to $ROUTER_WAN_IP:$PHONE_PORT (\`helper=sip\`); answered; the
  OPTIONS at t=2.5 answered too (the entry became \`[ASSURED]\`).
- t≈$(rel_time "$T_FLUSH_TS"): \`$(flush_cmd)\` → DESTROY of the entry at t=$(event_times "$OUT/kernel-events.txt" "DESTROY.* $pat ") (\`[ASSURED]\`, with its
  counters), and its signalling expectation with it (\`kernel-expect-events.txt\`).
$(flush_middle)
- the phone's next request made a NEW entry at t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat " | awk '{print $2}'), masqueraded to $ROUTER_WAN_IP:**$NEW_PORT**; every
  later request was answered (\`agents.log\`).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}

flush_middle() {
    if ((PING_AFTER_FLUSH)); then
        cat <<EOR
- the registrar's ping (OPTIONS to the binding $ROUTER_WAN_IP:$PHONE_PORT) arrived with no entry to match: it made an
  inbound entry \`udp $PROVIDER_IP:5060 → $ROUTER_WAN_IP:$PHONE_PORT\` (NEW at t=$(event_times "$OUT/kernel-events.txt" "NEW.* src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=$PHONE_PORT \[UNREPLIED\]")), was delivered to the router
  itself (no listener) and answered with ICMP port unreachable (WAN frames $PORT_UNREACH_FR). That entry's reply
  tuple holds $ROUTER_WAN_IP:$PHONE_PORT ↔ $PROVIDER_IP:5060, so the phone's new entry could not keep the port.
EOR
    else
        echo "- nothing arrived in between: no packet of the flow until the phone's next request."
    fi
}
