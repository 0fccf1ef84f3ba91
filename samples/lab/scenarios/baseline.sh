# Scenario "baseline": the healthy reference call through a Linux NAT router.
# Sourced by samples/lab/lab.sh, which has already built the namespaces, the
# router's nftables ruleset (masquerade + SIP helper on udp/5060) and started
# the captures and conntrack event logs.
#
# Hooks a scenario file may define (only scenario_run is required):
#   scenario_nft_ruleset  print the router's ruleset (default: default_nft_ruleset)
#   scenario_configure    extra router/phone/provider settings before recording
#   scenario_run          the traffic
#   scenario_check        assertions on the result (fail the run if not met)
#   scenario_document     write $OUT/README.md and $OUT/case.properties

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

SCENARIO_TITLE="REGISTER and one call through a Linux NAT router with the SIP helper"

PHONE_USER=1001
CALLEE=2002
PHONE_RTP_PORT=40000
PROVIDER_RTP_PORT=30000
REGISTER_EXPIRES=600
RTP_SECONDS=5
# RTP identity, fixed so that regenerated captures differ only in time
PHONE_RTP_OPTS="--duration $RTP_SECONDS --ssrc 0x4e520a01 --seq 1000 --ts 160000 --freq 440 --linger 1.0"
# the provider starts 0.2 s after the ACK so that the phone's RTP always
# reaches the router first (the conntrack sequence stays the same per run)
PROVIDER_RTP_OPTS="--duration $RTP_SECONDS --ssrc 0x4e520b02 --seq 5000 --ts 800000 --freq 1000 --start-delay 0.2 --linger 0.5"
HOLD_MS=5800   # ACK -> BYE
# the README's "Purpose" section (a scenario that reuses this one sets SCENARIO_PURPOSE)
BASELINE_PURPOSE='The reference "everything works" case: a phone behind a Linux NAT router
registers with a provider and makes one call with audio both ways. The router
masquerades the LAN behind its WAN address and the kernel'"'"'s SIP helper
(`nf_conntrack_sip` + `nf_nat_sip`) is attached to udp/5060 explicitly by an
nftables rule. natrecon should find every LAN packet again on the WAN, learn
the NAT mappings, see the helper'"'"'s rewrites as expected and report no problem.
The kernel'"'"'s own `conntrack -E` log is the expected conntrack timeline.'

scenario_configure() {
    # packet/byte counters on conntrack entries, so the -L snapshots can be
    # compared with the captures (does not change conntrack behaviour)
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1
}

scenario_run() {
    # RTP endpoints first, so both ports are open before any RTP can arrive;
    # each starts sending when its SIPp hands it the address from the SDP
    start_rtp_endpoints

    log "provider: SIPp registrar + UAS on $PROVIDER_IP:5060"
    start_provider_uas udp 2 "$CALLEE" "$REGISTER_EXPIRES"
    sleep 0.5

    log "phone: REGISTER"
    sipp_fg sipp-phone-register "$NS_PHONE" 20 \
        -sf "$SIPP_DIR/phone-register.xml" -i "$PHONE_IP" -p 5060 -m 1 -cid_str "nrlab-reg-%u@%s" \
        -key user "$PHONE_USER" -key expires "$REGISTER_EXPIRES" \
        "$PROVIDER_IP:5060"
    sleep 1

    log "phone: call ($RTP_SECONDS s of RTP each way)"
    sipp_phone_call sipp-phone-call "$PHONE_IP" "$PHONE_USER" "$PHONE_RTP_PORT" rtp-phone "nrlab-call-%u@%s" "$HOLD_MS"
    sleep 3
    log "conntrack -L snapshot during the call"
    timed_snapshot SNAP_TS conntrack-L
    wait_bg sipp-phone-call 20 || die "phone call failed (see $WORK/sipp-phone-call.*)"
    wait_bg sipp-provider 10 || die "provider SIPp failed (see $WORK/sipp-provider.*)"
    wait_rtp_endpoints
    sleep 1
    timed_snapshot SNAP_END_TS conntrack-L-end
    keep_rtp_logs
}

casecheck() {
    python3 "$TOOLS_DIR/casecheck.py" --lan "$OUT/lan.pcap" --wan "$OUT/wan.pcap" \
        --lan-net "$LAN_NET" --router-lan "$ROUTER_LAN_IP" --router-wan "$ROUTER_WAN_IP" \
        --conntrack-log "$OUT/kernel-events.txt" --expect-log "$OUT/kernel-expect-events.txt" "$@"
}

scenario_check() {
    log "checking the captures and logs"
    casecheck \
        --require-sip "REGISTER,200 OK (REGISTER),INVITE,100 Trying (INVITE),180 Ringing (INVITE),200 OK (INVITE),ACK,BYE,200 OK (BYE)" \
        --require-rtp-both-ways --require-all-forwarded --require-only-ipv4 \
        --require-port-preserved --require-no-private-on-wan \
        --require-ct-new "udp:5060,udp:$PROVIDER_RTP_PORT" >"$WORK/report.md" \
        || die "case checks failed (report: $WORK/report.md)"
    local f n
    n=$((RTP_SECONDS * 50))
    for f in rtp-phone rtp-provider; do
        grep -qx "sent=$n" "$OUT/$f.log" && grep -qx "received=$n" "$OUT/$f.log" \
            || die "$f did not send and receive $n RTP packets: $(tr '\n' ' ' <"$OUT/$f.log")"
    done
    grep -q '\[NEW\].*dport=5060.*helper=sip' "$OUT/kernel-events.txt" \
        || die "no SIP conntrack entry with the sip helper"
    grep -q 'PERMANENT.*class=0 helper=sip' "$OUT/kernel-expect-events.txt" \
        || die "the helper made no REGISTER (signalling) expectation"
    # the statements in the README's "What the kernel did" section
    local ct="$OUT/kernel-events.txt" ex="$OUT/kernel-expect-events.txt"
    grep -q "\[NEW\] .* 30 src=$PHONE_IP dst=$PROVIDER_IP sport=$PHONE_RTP_PORT dport=$PROVIDER_RTP_PORT \[UNREPLIED\]" "$ct" \
        || die "RTP flow NEW (30 s) not as expected"
    grep -q "\[UPDATE\] .* 120 src=$PHONE_IP .*dport=$PHONE_RTP_PORT \[ASSURED\]" "$ct" \
        || die "RTP flow never became ASSURED with 120 s"
    grep -q "\[UPDATE\] .* 3600 src=$PHONE_IP .*dport=5060 \[ASSURED\] helper=sip" "$ct" \
        || die "SIP flow never became ASSURED"
    ! grep -q "DESTROY" "$ct" || die "unexpected flow DESTROY events"
    for p in "$PROVIDER_IP dst=$ROUTER_WAN_IP sport=0 dport=$PHONE_RTP_PORT " \
             "$PROVIDER_IP dst=$ROUTER_WAN_IP sport=0 dport=$((PHONE_RTP_PORT + 1)) " \
             "$PHONE_IP dst=$PROVIDER_IP sport=0 dport=$PROVIDER_RTP_PORT " \
             "$PHONE_IP dst=$PROVIDER_IP sport=0 dport=$((PROVIDER_RTP_PORT + 1)) "; do
        grep -q "\[NEW\] 180 proto=17 src=$p.*class=1" "$ex" || die "no media expectation src=$p"
        grep -q "\[DESTROY\] [0-9]* proto=17 src=$p.*class=1" "$ex" || die "media expectation src=$p not deleted"
    done
    # the phone's first RTP packet consumed the expectation for the provider's RTP port
    python3 - "$ct" "$ex" "$PHONE_IP" "$PROVIDER_RTP_PORT" <<'PY' || die "RTP flow did not come from the expectation"
import re, sys
ct, ex, phone, port = sys.argv[1:]
def t(line):  # conntrack-tools prints microseconds without zero padding
    m = re.match(r"\[(\d+)\.(\d+)\s*\]", line)
    return int(m.group(1)) + int(m.group(2)) / 1e6
new = [t(l) for l in open(ct) if "[NEW]" in l and "dport=%s " % port in l]
gone = [t(l) for l in open(ex) if "[DESTROY]" in l and "src=%s dst=" % phone in l and "dport=%s " % port in l]
sys.exit(0 if new and gone and abs(new[0] - gone[0]) < 0.001 else 1)
PY
}

scenario_document() {
    local t0 snap snap_end lan_n wan_n lan_sz wan_sz
    t0=$(first_frame_time "$OUT/lan.pcap")
    snap=$(awk -v a="$SNAP_TS" -v b="$t0" 'BEGIN{printf "%.1f", a-b}')
    snap_end=$(awk -v a="$SNAP_END_TS" -v b="$t0" 'BEGIN{printf "%.1f", a-b}')
    lan_n=$(capinfos -M -c -T "$OUT/lan.pcap" | awk -F'\t' 'NR==2{print $2}')
    wan_n=$(capinfos -M -c -T "$OUT/wan.pcap" | awk -F'\t' 'NR==2{print $2}')
    lan_sz=$(stat -c %s "$OUT/lan.pcap"); wan_sz=$(stat -c %s "$OUT/wan.pcap")

    {
        case_properties_common masquerade on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

# endpoints
EOP
        case_properties_phone phone "$PHONE_IP" "$PHONE_RTP_PORT"
        case_properties_media
    } >"$OUT/case.properties"

    cat >"$OUT/README.md" <<EOR
# Sample case \`$SCENARIO\`: $SCENARIO_TITLE

Generated by \`samples/lab/lab.sh $SCENARIO\` on $(date -u +%Y-%m-%d) (UTC). Do not edit: regenerate.

## Purpose

${SCENARIO_PURPOSE:-$BASELINE_PURPOSE}

## How it was made

    sudo samples/lab/lab.sh $SCENARIO

run as root on Linux \`$(uname -r)\` with $(tool_versions).
The lab builds three network namespaces joined by veth pairs (addresses exist
only inside the namespaces; fixed MAC addresses and static neighbour entries,
IPv6 disabled, so the captures hold nothing but the scenario's IPv4 packets):

    phone ($PHONE_IP)  $PHONE_IF ---- $ROUTER_LAN_IF  router  $ROUTER_WAN_IF ---- $PROVIDER_IF  provider ($PROVIDER_IP)
                               $ROUTER_LAN_IP/$LAN_PREFIX      $ROUTER_WAN_IP/$WAN_PREFIX

- router: \`net.ipv4.ip_forward=1\`; nftables ruleset as in \`router.nft\`
  (\`oifname "$ROUTER_WAN_IF" masquerade\` in postrouting; \`ct helper sip-5060 { type "sip" protocol udp; }\`
  assigned by \`udp dport 5060 ct helper set "sip-5060"\` in a prerouting filter chain);
  conntrack sysctls at the namespace defaults except \`nf_conntrack_acct=1\` (packet/byte counters in
  the \`conntrack -L\` snapshots); full list in \`router.sysctl\`, helper module
  parameters (global) in \`nf_conntrack_sip-parameters.txt\`.
- provider: SIPp (\`samples/lab/sipp/provider-uas.xml\`) as registrar and answering UAS on $PROVIDER_IP:5060.
- phone: SIPp, first \`phone-register.xml\` (REGISTER, Expires $REGISTER_EXPIRES, no authentication),
  1 s later \`phone-call.xml\` (INVITE with SDP, 100, 180, 200 with SDP, ACK, BYE $((HOLD_MS / 1000)).$(( (HOLD_MS % 1000) / 100 )) s after the ACK, 200).
- RTP: \`samples/lab/tools/rtp.py\` in the phone and provider namespaces, listening on the SDP
  ports from the start; each SIPp hands its endpoint the address and port found in the other
  side's SDP when the call is up: PCMU (PT 0), 20 ms, $((RTP_SECONDS * 50)) packets per direction, 160 bytes of audio +
  12-byte RTP header = 172-byte UDP payload, fixed SSRC/sequence/timestamp start values.
  The phone starts right after sending the ACK; the provider 0.2 s after receiving it, so the
  phone's RTP always reaches the router first. Each tool's own report: \`rtp-phone.log\`, \`rtp-provider.log\`.
- recording, all inside the router namespace: \`tcpdump -i $ROUTER_LAN_IF|$ROUTER_WAN_IF -U -s 0 -w\`,
  \`stdbuf -oL conntrack -E -o timestamp,extended\` → \`kernel-events.txt\`,
  \`conntrack -E expect -o timestamp\` → \`kernel-expect-events.txt\`; \`conntrack -L -o extended\` and
  \`conntrack -L expect\` at t ≈ $snap s (during the call: \`conntrack-L.txt\`, \`expect-L.txt\`) and at
  t ≈ $snap_end s (after the call: \`conntrack-L-end.txt\`, \`expect-L-end.txt\`).
- \`wan-shifted.pcap\` = \`editcap -F pcap -t 7.25 wan.pcap wan-shifted.pcap\`: the same WAN capture with every
  timestamp 7.25 s later, for clock-offset estimation tests (pair it with \`lan.pcap\`; the true offset
  is +7.25 s, the router's transit time is tens of microseconds).

All timestamps (pcaps and conntrack logs) come from the same host clock.
Capture sizes: lan.pcap $lan_n packets / $lan_sz bytes, wan.pcap $wan_n packets / $wan_sz bytes.

## Files

| file | content |
|---|---|
| \`lan.pcap\`, \`wan.pcap\` | router's LAN ($ROUTER_LAN_IF) and WAN ($ROUTER_WAN_IF) interface, Ethernet, pcap (µs) |
| \`wan-shifted.pcap\` | \`wan.pcap\` + 7.25 s |
| \`case.properties\` | case settings for natrecon |
| \`kernel-events.txt\` | kernel flow events (\`conntrack -E -o timestamp,extended\`) |
| \`kernel-expect-events.txt\` | kernel expectation events (\`conntrack -E expect -o timestamp\`) |
| \`conntrack-L.txt\`, \`expect-L.txt\` | table snapshot during the call |
| \`conntrack-L-end.txt\`, \`expect-L-end.txt\` | table snapshot after the call |
| \`router.nft\` | \`nft list ruleset\` in the router namespace |
| \`router.sysctl\` | \`sysctl net.netfilter\` in the router namespace (recorded before the traffic) |
| \`nf_conntrack_sip-parameters.txt\` | \`/sys/module/nf_conntrack_sip/parameters\` |
| \`rtp-phone.log\`, \`rtp-provider.log\` | what each RTP endpoint sent and received |

## What the kernel did

The lab's checks (\`samples/lab/tools/casecheck.py\`) passed for this run, so all of the following hold:

- Every packet the phone sent through the router appears on the WAN and every WAN packet to
  $ROUTER_WAN_IP appears on the LAN (matched by IP ID), nothing else is in either capture.
- Masquerade kept the source ports: $PHONE_IP:5060 → $ROUTER_WAN_IP:5060 and
  $PHONE_IP:$PHONE_RTP_PORT → $ROUTER_WAN_IP:$PHONE_RTP_PORT.
- The SIP helper rewrote the phone's outgoing messages (Via sent-by, Contact, SDP \`o=\`/\`c=\` to
  $ROUTER_WAN_IP, Content-Length recomputed because the address got one character shorter; the
  SDP port $PHONE_RTP_PORT was kept) and mapped the WAN address back in the incoming responses
  (Via, Contact). It did not touch the Call-ID, which keeps the phone's private address
  (\`nrlab-…@$PHONE_IP\`) on the WAN, as real phones' Call-IDs do. No LAN address appears anywhere
  else on the WAN.
- conntrack: NEW for the SIP flow with timeout 3600 and \`helper=sip\` at the REGISTER, UPDATE (reply
  seen) at its 200 OK; NEW (timeout 30) for the phone's RTP flow at its first packet, UPDATE at the
  provider's first RTP packet (30), UPDATE to 120 + \`[ASSURED]\` on the first packet more than 2 s
  after the flow's first packet; the SIP flow became \`[ASSURED]\` only at the BYE (the first
  packet of that flow more than 2 s after its start). No DESTROY: the SIP entry (3600 s) and the
  RTP entry (120 s) outlive the capture.
- expectations: the REGISTER created a PERMANENT,INACTIVE signalling expectation (class 0) for
  $PROVIDER_IP → $ROUTER_WAN_IP:5060 (the 200 OK activated it; activation produces no event).
  The INVITE's SDP created RTP/RTCP expectations $PROVIDER_IP → $ROUTER_WAN_IP:$PHONE_RTP_PORT/$((PHONE_RTP_PORT + 1)),
  the 200 OK's SDP created $PHONE_IP → $PROVIDER_IP:$PROVIDER_RTP_PORT/$((PROVIDER_RTP_PORT + 1)). The phone's
  first RTP packet consumed the $PROVIDER_RTP_PORT expectation (its DESTROY is logged within 1 ms of
  the RTP flow's NEW), so the RTP flow is an expected (RELATED) entry; the provider's RTP then matched that
  entry's reply tuple and the $PHONE_RTP_PORT expectation stayed unused. The BYE deleted the three
  remaining media expectations; the signalling expectation remains (see \`expect-L-end.txt\`).

Reading notes: the \`-o timestamp\` times are taken by conntrack-tools in userspace when it
receives the event (\`gettimeofday\`), not by the kernel; the flow and expectation logs come from
two processes, so their relative order within a millisecond is arbitrary. conntrack-tools prints
the microseconds left-justified without zero padding (\`[1795220314.70002 ]\` means .070002 s). The event log shows no RELATED/EXPECTED status; the
expectation log is what tells that the RTP flow came from an expectation. \`conntrack -L\` lines
carry \`packets=\`/\`bytes=\` because of \`nf_conntrack_acct=1\`; bytes are IP total lengths as the
packets arrived, i.e. before the helper rewrote them (the SIP flow's original-direction bytes add up
to the LAN sizes of the phone's messages, its reply-direction bytes to the WAN sizes of the
provider's).

$(readme_timeline)

## Generated report of this run

$(cat "$WORK/report.md")
EOR
}
