# Scenario "rtp-loss-router": the baseline call with 30 s of RTP each way, and the ROUTER loses and delays the
# phone's RTP (5 % loss, 40 ms delay) on its way from lan0 to wan0, as a congested or overloaded router does.
# The lab kernel has no netem (CONFIG_NET_SCH_NETEM is not set): the router's FORWARD chain hands the phone's RTP
# to tools/nfqdelay.py through NFQUEUE (iptables-legacy), which drops 5 % (seeded draws) and holds the rest 40 ms.
# tcpdump sees a packet on lan0 as it arrives and on wan0 as it leaves, so a packet the router dropped is on
# lan.pcap and not on wan.pcap, and the WAN copy of every other one is 40 ms later. The provider's RTP is not
# touched (the clean direction).
#
# Issue 19: natrecon must put the loss and the delay at the router, with their size (+-1 percentage point,
# +-5 ms), and say nothing about the other direction.

# shellcheck source=/dev/null
source "$SCENARIO_DIR/baseline.sh"
SCENARIO_TITLE="A call whose RTP the router itself loses (5 %) and delays (40 ms) from LAN to WAN"

RTP_SECONDS=30
PHONE_RTP_OPTS="--duration $RTP_SECONDS --ssrc 0x4e520a01 --seq 1000 --ts 160000 --freq 440 --linger 1.0"
PROVIDER_RTP_OPTS="--duration $RTP_SECONDS --ssrc 0x4e520b02 --seq 5000 --ts 800000 --freq 1000 --start-delay 0.2 --linger 0.5"
HOLD_MS=30800   # ACK -> BYE

# the impairment: where, what (nfqdelay.py's arguments) and on which stream
IMPAIR_HOP=router
IMPAIR_NS_VAR=NS_ROUTER
IMPAIR_CHAIN=FORWARD
IMPAIR_MATCH="-i lan0 -o wan0 -p udp --dport $PROVIDER_RTP_PORT"
IMPAIR_LOSS=5
IMPAIR_DELAY_MS=40
# the first seed tried; the check below requires the realised loss within 1 point of IMPAIR_LOSS (seed 19 drew
# 3.7 % of 1499 packets and failed it)
IMPAIR_SEED=1
# the phone's first RTP packet makes the RTP flow's conntrack entry (NEW is reported when the entry is
# confirmed, on the way out): it passes untouched so the kernel's event times stay those of baseline
IMPAIR_PASS_FIRST=1
IMPAIR_SSRC=0x4e520a01          # the phone's stream
IMPAIR_INGRESS=lan              # where that stream enters the router
CLEAN_SSRC=0x4e520b02
CLEAN_INGRESS=wan

SCENARIO_PURPOSE='The baseline call (REGISTER, one call, masquerade and the SIP helper on udp/5060) with
30 s of audio each way, in which the router itself loses about 5 % of the phone'"'"'s RTP
and delays the rest by 40 ms on the way from the LAN to the WAN (a congested or
overloaded router). The lab kernel has no netem, so the router'"'"'s FORWARD chain hands
that stream to `tools/nfqdelay.py` through NFQUEUE (the rule in `impairment-rules.txt`,
the tool'"'"'s report in `impairment.log`, its decision per packet in
`impairment-packets.txt`). A dropped packet is on `lan.pcap` and not on `wan.pcap`; the
WAN copy of every other one leaves 40 ms after the LAN copy arrived. natrecon must
attribute the loss and the delay to the router, with their size, and find the
provider'"'"'s stream clean.'

scenario_run() {
    start_rtp_endpoints
    start_impairment impairment "${!IMPAIR_NS_VAR}" 0 "$IMPAIR_CHAIN" "$IMPAIR_MATCH" \
        --loss "$IMPAIR_LOSS" --delay-ms "$IMPAIR_DELAY_MS" --seed "$IMPAIR_SEED" --pass-first "$IMPAIR_PASS_FIRST"

    log "provider: SIPp registrar + UAS on $PROVIDER_IP:5060"
    start_provider_uas udp 2 "$CALLEE" "$REGISTER_EXPIRES"
    sleep 0.5

    log "phone: REGISTER"
    sipp_fg sipp-phone-register "$NS_PHONE" 20 \
        -sf "$SIPP_DIR/phone-register.xml" -i "$PHONE_IP" -p 5060 -m 1 -cid_str "nrlab-reg-%u@%s" \
        -key user "$PHONE_USER" -key expires "$REGISTER_EXPIRES" \
        "$PROVIDER_IP:5060"
    sleep 1

    log "phone: call ($RTP_SECONDS s of RTP each way, $IMPAIR_LOSS % loss and $IMPAIR_DELAY_MS ms delay at the $IMPAIR_HOP)"
    sipp_phone_call sipp-phone-call "$PHONE_IP" "$PHONE_USER" "$PHONE_RTP_PORT" rtp-phone "nrlab-call-%u@%s" "$HOLD_MS"
    sleep 3
    log "conntrack -L snapshot during the call"
    timed_snapshot SNAP_TS conntrack-L
    wait_bg sipp-phone-call $((HOLD_MS / 1000 + 20)) || die "phone call failed (see $WORK/sipp-phone-call.*)"
    wait_bg sipp-provider 10 || die "provider SIPp failed (see $WORK/sipp-provider.*)"
    wait_rtp_endpoints
    sleep 1
    timed_snapshot SNAP_END_TS conntrack-L-end
    stop_impairment impairment
    keep_rtp_logs
}

# hopcheck SSRC INGRESS CHECKS...: tools/hopcheck.py on the case's captures
hopcheck() {
    python3 "$TOOLS_DIR/hopcheck.py" --lan "$OUT/lan.pcap" --wan "$OUT/wan.pcap" --ssrc "$1" --ingress "$2" "${@:3}"
}

# impairment_check: the kernel and the tool did what the case says, seen in the captures (+-1 point, +-5 ms)
impairment_check() {
    local dropped lost
    hopcheck "$IMPAIR_SSRC" "$IMPAIR_INGRESS" "$@" >"$WORK/hop-impaired.txt" \
        || die "impaired stream not as configured: $(cat "$WORK/hop-impaired.txt")"
    hopcheck "$CLEAN_SSRC" "$CLEAN_INGRESS" --require-loss-before 0 --require-loss-at-router 0 --require-delay 0 \
        >"$WORK/hop-clean.txt" || die "the other stream is not clean: $(cat "$WORK/hop-clean.txt")"
    dropped=$(sed -n 's/^dropped=//p' "$OUT/impairment.log")
    lost=$(sed -n "s/^${IMPAIR_LOST_KEY}=//p" "$WORK/hop-impaired.txt")
    [[ "$dropped" == "$lost" ]] || die "nfqdelay dropped $dropped packets, the captures show $lost lost"
}

scenario_check() {
    log "checking the captures and logs"
    casecheck \
        --require-sip "REGISTER,200 OK (REGISTER),INVITE,100 Trying (INVITE),180 Ringing (INVITE),200 OK (INVITE),ACK,BYE,200 OK (BYE)" \
        --require-rtp-both-ways --require-only-ipv4 --require-port-preserved --require-no-private-on-wan \
        --require-ct-new "udp:5060,udp:$PROVIDER_RTP_PORT" >"$WORK/report.md" \
        || die "case checks failed (report: $WORK/report.md)"
    IMPAIR_LOST_KEY=lost_at_router
    impairment_check --require-loss-at-router "$IMPAIR_LOSS" --require-delay "$IMPAIR_DELAY_MS" --require-loss-before 0
    grep -q '\[NEW\].*dport=5060.*helper=sip' "$OUT/kernel-events.txt" || die "no SIP conntrack entry with the sip helper"
    ! grep -q "DESTROY" "$OUT/kernel-events.txt" || die "unexpected flow DESTROY events"
}

# case_properties_impairment: what was impaired, where and how, and what the captures show of it
case_properties_impairment() {
    cat <<EOP

# impairment (issue 19): tools/nfqdelay.py through NFQUEUE (the lab kernel has no netem)
impairment.hop=$IMPAIR_HOP
impairment.rule=iptables-legacy -A $IMPAIR_CHAIN $IMPAIR_MATCH -j NFQUEUE --queue-num 0
impairment.rules.file=impairment-rules.txt
impairment.log.file=impairment.log
impairment.stream.ssrc=$IMPAIR_SSRC
impairment.stream.ingress=$IMPAIR_INGRESS
impairment.loss.percent=$IMPAIR_LOSS
impairment.delay.ms=$IMPAIR_DELAY_MS
impairment.seed=$IMPAIR_SEED
impairment.pass.first=$IMPAIR_PASS_FIRST
impairment.dropped=$(sed -n 's/^dropped=//p' "$OUT/impairment.log")
impairment.queued=$(sed -n 's/^queued=//p' "$OUT/impairment.log")
EOP
    sed 's/^/impairment.captures.impaired./' "$WORK/hop-impaired.txt"
    sed 's/^/impairment.captures.clean./' "$WORK/hop-clean.txt"
}

scenario_document() {
    local t0 snap snap_end
    t0=$(first_frame_time "$OUT/lan.pcap")
    snap=$(awk -v a="$SNAP_TS" -v b="$t0" 'BEGIN{printf "%.1f", a-b}')
    snap_end=$(awk -v a="$SNAP_END_TS" -v b="$t0" 'BEGIN{printf "%.1f", a-b}')
    {
        case_properties_common masquerade on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

# endpoints
EOP
        case_properties_phone phone "$PHONE_IP" "$PHONE_RTP_PORT"
        case_properties_media
        case_properties_impairment
    } >"$OUT/case.properties"

    {
        readme_title
        printf '\n## Purpose\n\n%s\n\n' "$SCENARIO_PURPOSE"
        readme_setup "- router: masquerade and the SIP helper as in \`baseline\` (\`router.nft\`), \`nf_conntrack_acct=1\`; in addition
  \`$(sed -n 's/^impairment.rule=//p' "$OUT/case.properties")\` in the $IMPAIR_HOP's namespace
  (legacy xtables: not part of \`router.nft\`), answered by \`tools/nfqdelay.py --loss $IMPAIR_LOSS --delay-ms $IMPAIR_DELAY_MS
  --seed $IMPAIR_SEED --pass-first $IMPAIR_PASS_FIRST\` (the first packet passes untouched; the others are dropped
  with probability $IMPAIR_LOSS % from seeded draws or held $IMPAIR_DELAY_MS ms).
- provider: SIPp registrar and answering UAS; phone: SIPp REGISTER, then a call held $((HOLD_MS / 1000)) s.
- RTP: \`tools/rtp.py\`, PCMU 20 ms, $((RTP_SECONDS * 50)) packets per direction (phone SSRC 0x4e520a01, provider
  SSRC 0x4e520b02); conntrack -L snapshots at t ≈ $snap s (\`conntrack-L.txt\`) and $snap_end s (\`conntrack-L-end.txt\`)."
        printf '\n## What the captures show (tools/hopcheck.py)\n\nImpaired stream (SSRC %s, enters at %s):\n\n' \
            "$IMPAIR_SSRC" "$IMPAIR_INGRESS"
        sed 's/^/    /' "$WORK/hop-impaired.txt"
        printf '\nOther stream (SSRC %s, enters at %s):\n\n' "$CLEAN_SSRC" "$CLEAN_INGRESS"
        sed 's/^/    /' "$WORK/hop-clean.txt"
        printf '\nnfqdelay.py'"'"'s own report (`impairment.log`):\n\n'
        sed 's/^/    /' "$OUT/impairment.log"
        printf '\n'
        readme_reading_notes
        printf '\n'
        readme_report
    } >"$OUT/README.md"
}
