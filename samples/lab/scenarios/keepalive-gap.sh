# Scenario "keepalive-gap": short UDP conntrack timeouts on the router; the
# phone refreshes its NAT binding with gaps both shorter and longer than the
# timeout. While the gaps are short the entry (and the external port) lives
# on; after a long gap the entry expires, an incoming request from the
# registrar to the old binding is refused by the router, and the phone's next
# REGISTER creates a new entry. keepalive-gap-random.sh reuses this file with
# `masquerade random`.
#
# No SIP helper: with the helper every SIP packet (even a CRLF keep-alive) sets
# the entry's timeout to sip_timeout (3600 s), a global module parameter, so
# the UDP timeouts would not apply to the signalling flow. The case models a
# router with the SIP ALG off, which is what providers usually recommend.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="${SCENARIO_TITLE:-UDP binding refreshed with gaps shorter and longer than a short conntrack timeout}"
MASQ_OPTS="${MASQ_OPTS:-}"
PHONE_USER=1001
UDP_TIMEOUT=4          # nf_conntrack_udp_timeout (unreplied, or < 2 s old)
UDP_TIMEOUT_STREAM=8   # nf_conntrack_udp_timeout_stream (replied and > 2 s old)
# the phone's schedule (seconds after T0); the gaps are the test
PHONE_STEPS="0:REGISTER 3:OPTIONS 9:CRLF 15:REGISTER 25:REGISTER 36:REGISTER"
PING_STEPS="31:$PHONE_USER"   # registrar: OPTIONS to the phone's binding
END_T=39.5
SNAP_T=12

scenario_nft_ruleset() {
    nft_nat_table "oifname \"$ROUTER_WAN_IF\" masquerade${MASQ_OPTS:+ $MASQ_OPTS}"
}

scenario_configure() {
    in_router sysctl -qw net.netfilter.nf_conntrack_udp_timeout=$UDP_TIMEOUT \
        net.netfilter.nf_conntrack_udp_timeout_stream=$UDP_TIMEOUT_STREAM \
        net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
}

scenario_run() {
    schedule_t0
    log "provider: registrar on $PROVIDER_IP:5060; phone steps: $PHONE_STEPS"
    start_registrar registrar 5060 "$END_T" --ping "$PING_STEPS"
    start_phone phone "$PHONE_IP:5060" "$PHONE_USER" "$PHONE_STEPS"
    sleep_until "$SNAP_T"
    timed_snapshot SNAP_TS conntrack-L
    wait_agent phone $((${END_T%.*} + 10)) "phone agent"
    wait_agent registrar 10
    timed_snapshot SNAP_END_TS conntrack-L-end
    cp "$WORK/phone.out" "$OUT/phone.log"
    cp "$WORK/registrar.out" "$OUT/registrar.log"
}

# external (WAN) port of each NAT entry of the phone's SIP flow, in order: the
# reply tuple's dport of every NEW event (one per line)
wan_register_ports() {
    grep "\[NEW\] .* src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 " "$OUT/kernel-events.txt" \
        | sed 's/.*dport=\([0-9]*\).*/\1/'
}

keepalive_common_checks() {
    local ct="$OUT/kernel-events.txt"
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS,200 OK (OPTIONS)" --require-only-ipv4 \
        --require-ct-new "udp:5060" $1
    ! grep -q "helper=" "$ct" || die "a conntrack entry has a helper"
    local n
    n=$(grep -c "\[NEW\] .* src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 " "$ct")
    ((n == 3)) || die "expected 3 NEW entries for the phone's SIP flow, got $n"
    grep -q "\[DESTROY\] .* src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 " "$ct" \
        || die "no DESTROY of the phone's SIP flow"
    grep -q "\[UPDATE\] .* $UDP_TIMEOUT_STREAM src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 .*\[ASSURED\]" "$ct" \
        || die "the SIP flow never became ASSURED with the stream timeout"
    grep -q "\[NEW\] .* src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=5060 dport=" "$ct" \
        || die "the registrar's ping created no inbound entry"
    grep -q "gave up OPTIONS" "$OUT/registrar.log" || die "the registrar's ping was answered"
    [[ -n "$(frames "$OUT/wan.pcap" "kind == 'icmp' and src == '$ROUTER_WAN_IP'")" ]] \
        || die "the router sent no ICMP error for the ping"
    ! grep -q "gave up" "$OUT/phone.log" || die "a phone request got no response"
    mapfile -t REG_PORTS < <(wan_register_ports)
    ((${#REG_PORTS[@]} >= 3)) || die "fewer than 3 NAT entries for the phone: ${REG_PORTS[*]}"
}

scenario_check() {
    keepalive_common_checks ""
    [[ "${REG_PORTS[0]}" == 5060 && "${REG_PORTS[1]}" == 5060 ]] \
        || die "masquerade did not keep port 5060 for the first two entries: ${REG_PORTS[*]}"
    [[ "${REG_PORTS[2]}" != 5060 ]] || die "third entry kept port 5060 (expected a clash with the inbound entry)"
    grep -q "binding $PHONE_USER: $ROUTER_WAN_IP:5060 -> $ROUTER_WAN_IP:${REG_PORTS[2]}" "$OUT/registrar.log" \
        || die "registrar did not see the binding change"
}

# keepalive_timeline: the kernel's events as a Markdown list, times after the first frame
keepalive_timeline() {
    python3 - "$OUT/kernel-events.txt" "$(first_frame_time "$OUT/lan.pcap")" <<'PY'
import re, sys
t0 = float(sys.argv[2])
for line in open(sys.argv[1]):
    m = re.match(r"\[(\d+)\.(\d+)\s*\]\s+\[(\w+)\]\s+(.*)", line)
    if not m:
        continue
    t = int(m.group(1)) + int(m.group(2)) / 1e6 - t0
    toks = m.group(4).split()
    timeout = toks[4] if toks[4].isdigit() else "-"
    kv = re.findall(r"(src|dst|sport|dport)=(\S+)", m.group(4))
    o = "%s:%s -> %s:%s" % (kv[0][1], kv[2][1], kv[1][1], kv[3][1])
    r = "%s:%s -> %s:%s" % (kv[4][1], kv[6][1], kv[5][1], kv[7][1]) if len(kv) >= 8 else "?"
    flags = " ".join(x for x in toks if x.startswith("["))
    extra = " ".join(x for x in toks if x.startswith(("start=", "stop=", "delta-time=")))
    print("- t=%.3f %s %s timeout %s: %s (reply %s) %s %s" % (t, m.group(3), toks[2], timeout, o, r, flags, extra))
PY
}

keepalive_properties() {
    {
        case_properties_common "masquerade${MASQ_OPTS:+ $MASQ_OPTS}" off
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt
conntrack.udp.timeout=$UDP_TIMEOUT
conntrack.udp.timeout.stream=$UDP_TIMEOUT_STREAM

# endpoints
phone.address=$PHONE_IP
phone.sip.port=5060
provider.address=$PROVIDER_IP
provider.sip.port=5060
# agents' own logs (t = seconds after the schedule's t0, not after the first frame)
phone.log.file=phone.log
registrar.log.file=registrar.log
# the external ports of the phone's three successive NAT entries, as seen on the WAN
expect.wan.ports=$(IFS=,; echo "${REG_PORTS[*]}")
EOP
    } >"$OUT/case.properties"
}

keepalive_setup_text() {
    local snap snap_end
    snap=$(rel_time "$SNAP_TS"); snap_end=$(rel_time "$SNAP_END_TS")
    readme_setup "- router: \`net.ipv4.ip_forward=1\`; nftables ruleset as in \`router.nft\`: only
  \`oifname \"$ROUTER_WAN_IF\" masquerade${MASQ_OPTS:+ $MASQ_OPTS}\` in postrouting, **no SIP helper** (with the helper every SIP
  packet, even a CRLF keep-alive, sets the entry to \`sip_timeout\` = 3600 s, a global module
  parameter, and no gap could show). Sysctls changed in the router namespace:
  \`nf_conntrack_udp_timeout=$UDP_TIMEOUT\` (default 30), \`nf_conntrack_udp_timeout_stream=$UDP_TIMEOUT_STREAM\` (default 120),
  \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\` (start/stop times in the snapshots and DESTROY events).
- phone: \`samples/lab/tools/sipagent.py phone\` on $PHONE_IP:5060 (one Call-ID for all its requests, CSeq +1,
  retransmission after 0.5/1/2 s without a response), schedule in seconds after the common start t0
  (about 1.5 s after the captures started; the first frame is the first REGISTER): \`$PHONE_STEPS\`
  (CRLF = a 4-byte \"\\r\\n\\r\\n\" keep-alive, which the registrar does not answer). Gaps between the phone's
  packets: 3, 6, 6, 10, 11 s. The phone answers OPTIONS with 200 OK.
- provider: \`samples/lab/tools/sipagent.py registrar\` on $PROVIDER_IP:5060: answers REGISTER/OPTIONS with 200 OK to
  each request's source address and records that address as the phone's binding (as registrars
  with rport / \"nat=yes\" do); at t0+${PING_STEPS%%:*} s it sends an OPTIONS to the phone's current binding
  (retransmitted after 0.5, 1, 2 s). Logs of both agents: \`phone.log\`, \`registrar.log\` (their t is
  seconds after t0, which is the first frame's time within a few ms).
- snapshots: \`conntrack-L.txt\`/\`expect-L.txt\` at t ≈ $snap s, \`conntrack-L-end.txt\`/\`expect-L-end.txt\` at
  t ≈ $snap_end s (listing also reaps expired entries)."
}

scenario_document() {
    keepalive_properties
    local ping_fr icmp_fr d1 d2 pat="src=$PHONE_IP dst=$PROVIDER_IP sport=5060 dport=5060 "
    ping_fr=$(frames "$OUT/wan.pcap" "sip.startswith('OPTIONS') and src == '$PROVIDER_IP'")
    icmp_fr=$(frames "$OUT/wan.pcap" "kind == 'icmp' and src == '$ROUTER_WAN_IP'")
    d1=$(event_times "$OUT/kernel-events.txt" "DESTROY.*$pat" | awk '{print $1}')
    d2=$(event_times "$OUT/kernel-events.txt" "DESTROY.*$pat" | awk '{print $2}')
    {
        readme_title
        cat <<EOR

## Purpose

A NAT binding only lives as long as its conntrack entry. With short UDP timeouts
($UDP_TIMEOUT s unreplied / $UDP_TIMEOUT_STREAM s once assured), the phone refreshes its binding with gaps that are
first shorter and then longer than the timeout. natrecon's conntrack model must keep the entry
through the short gaps, expire it after the long ones, and explain what the registrar then sees: a
request to the old binding that is refused by the router, and a new entry at the next REGISTER
${KG_PURPOSE_NOTE:-(here with a different external port, because a stray inbound entry held the old one)}.

EOR
        keepalive_setup_text
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the
first frame (the phone's first REGISTER, t0 of the schedule within a few ms).

- Entry 1 (t=0): REGISTER $PHONE_IP:5060 → NEW, timeout $UDP_TIMEOUT, \`[UNREPLIED]\`, masqueraded to
  $ROUTER_WAN_IP:${REG_PORTS[0]}; the 200 OK → UPDATE (reply seen, still $UDP_TIMEOUT s: younger than 2 s). OPTIONS at t=3
  (gap 3 s < $UDP_TIMEOUT s) → UPDATE to $UDP_TIMEOUT_STREAM s + \`[ASSURED]\` (first packet > 2 s after the start with a
  reply seen). The CRLF at t=9 and the REGISTER at t=15 (gaps 6 s < $UDP_TIMEOUT_STREAM s) only refreshed the timeout;
  a refresh produces no event. The snapshot at t≈$(rel_time "$SNAP_TS") shows the entry \`[ASSURED]\`.
- After the REGISTER at t=15 nothing was sent for 10 s (> $UDP_TIMEOUT_STREAM s): entry 1 expired at about t=23.
  Its DESTROY event came at t=$d1 (\`delta-time=\` = lifetime in whole seconds): an expired entry is
  only reaped by the garbage collector, a listing or the next packet with the same tuple.
- Entry 2 (t=25): the phone's REGISTER created a NEW entry; masquerade mapped it to
  $ROUTER_WAN_IP:${REG_PORTS[1]}. $( [[ "${REG_PORTS[1]}" == "${REG_PORTS[0]}" ]] && echo "Same external port as before, so the registrar saw no change — the gap is
  invisible on the WAN except for the missing traffic." || echo "A different external port than entry 1 (${REG_PORTS[0]}): the registrar's binding changed.")
  It got its reply but no packet more than 2 s later, so it stayed at $UDP_TIMEOUT s and expired at about t=29
  (DESTROY logged at t=${d2:-?}).
- t=31: the registrar's OPTIONS to the binding $ROUTER_WAN_IP:${REG_PORTS[1]} (WAN frames $ping_fr, with
  retransmissions) matched no entry. The router treated them as traffic to itself: a NEW entry
  $PROVIDER_IP:5060 → $ROUTER_WAN_IP:${REG_PORTS[1]} (not forwarded, not on the LAN) and ICMP port unreachable
  from $ROUTER_WAN_IP (WAN frames $icmp_fr; ICMP errors are rate-limited). The phone never saw the request:
  an incoming call would have been lost the same way.
- Entry 3 (t=36): the phone's REGISTER created a NEW entry mapped to $ROUTER_WAN_IP:${REG_PORTS[2]}.
  $( [[ "${REG_PORTS[2]}" != "${REG_PORTS[1]}" ]] && echo "The port differs from entry 2's ${REG_PORTS[1]}." ) $( [[ -z "$MASQ_OPTS" ]] && echo "Masquerade without \`random\` tries the original port first, but the tuple
  $PROVIDER_IP:5060 ↔ $ROUTER_WAN_IP:5060 was still taken by the inbound entry the ping had created (timeout $UDP_TIMEOUT s,
  refreshed by the retransmissions), so the kernel picked another port from 1024–65535." || echo "With \`$MASQ_OPTS\` the kernel never tries the original port: every new entry gets a random port from 1024–65535." )
  The registrar's log shows the binding change.

Kernel conntrack events, in order:

$(keepalive_timeline)

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
