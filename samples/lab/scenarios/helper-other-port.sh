# Scenario "helper-other-port": the SIP helper on a port other than 5060, and
# rewrites that keep the message length. The registrar listens on udp/5080 and
# the router's `ct helper` rule is `udp dport 5080`; the phone uses local port
# 5062. The WAN address 203.0.113.12 has as many characters as the phone's
# 192.168.1.10, so the helper's rewrites of Via and Contact change bytes but
# not the length of any message. Nothing in the headers says "helper": only
# the changed bytes and the expectations (kernel-expect-events.txt) do.

# shellcheck source=/dev/null
source "$LAB_DIR/lib/common.sh"

ROUTER_WAN_IP=203.0.113.12
REG_PORT=5080 PHONE_PORT=5062
SCENARIO_TITLE="SIP helper on udp/5080 with same-length rewrites: REGISTER, OPTIONS and a registrar ping through masquerade"
PHONE_STEPS="0:REGISTER 2.5:OPTIONS 6:REGISTER 9:OPTIONS"
PINGS="4.5:1001 11:1001"
END_T=13

scenario_nft_ruleset() {
    default_nft_ruleset | sed "s/sip-5060/sip-$REG_PORT/g; s/udp dport 5060 ct helper/udp dport $REG_PORT ct helper/"
}

scenario_configure() {
    in_router sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
}

scenario_run() {
    schedule_t0
    start_registrar registrar "$REG_PORT" "$END_T" --ping "$PINGS"
    PHONE_SERVER="$PROVIDER_IP:$REG_PORT" start_phone phone "$PHONE_IP:$PHONE_PORT" 1001 "$PHONE_STEPS"
    sleep_until 3.5
    timed_snapshot SNAP_TS conntrack-L
    wait_phone_and_registrar
    timed_snapshot SNAP_END_TS conntrack-L-end
}

# same_length_pairs: "LAN-frame:WAN-frame" of the SIP messages the router changed without changing their length
same_length_pairs() {
    python3 - "$TOOLS_DIR" "$OUT/lan.pcap" "$OUT/wan.pcap" <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import casecheck
wan = {f.ipid: f for f in casecheck.read_pcap(sys.argv[3]) if f.kind == "sip"}
same, diff = [], []
for f in casecheck.read_pcap(sys.argv[2]):
    w = wan.get(f.ipid)
    if f.kind == "sip" and w is not None and w.payload != f.payload:
        (same if len(w.payload) == len(f.payload) else diff).append("%d:%d" % (f.no, w.no))
print(" ".join(same), "|", " ".join(diff))
PY
}

scenario_check() {
    run_casecheck --require-sip "REGISTER,200 OK (REGISTER),OPTIONS,200 OK (OPTIONS)" --require-only-ipv4 \
        --require-no-private-on-wan --require-all-forwarded --require-ct-new "udp:$REG_PORT"
    local ct="$OUT/kernel-events.txt" pat="src=$PHONE_IP dst=$PROVIDER_IP sport=$PHONE_PORT dport=$REG_PORT" r
    [[ ${#PHONE_IP} == "${#ROUTER_WAN_IP}" ]] || die "the addresses must have the same length"
    [[ $(grep -c "\[NEW\] .* $pat " "$ct") == 1 ]] || die "expected one entry for the phone's flow"
    grep -q "\[NEW\] .* $pat \[UNREPLIED\] src=$PROVIDER_IP dst=$ROUTER_WAN_IP sport=$REG_PORT dport=$PHONE_PORT helper=sip" "$ct" \
        || die "the phone's entry is not masqueraded with the helper"
    [[ -s "$OUT/kernel-expect-events.txt" ]] || die "the helper made no expectation"
    r=$(same_length_pairs)
    SAME_LEN=${r%%|*}; SAME_LEN=${SAME_LEN% }
    [[ -n "$SAME_LEN" ]] || die "no SIP message rewritten"
    [[ -z "$(echo ${r#*|})" ]] || die "a rewrite changed the length: ${r#*|}"
    [[ $(grep -c "phone: .*recv OPTIONS from $PROVIDER_IP:$REG_PORT" "$OUT/agents.log") == 2 ]] || die "the registrar's pings did not reach the phone"
}

scenario_document() {
    local pat="src=$PHONE_IP dst=$PROVIDER_IP sport=$PHONE_PORT dport=$REG_PORT"
    {
        case_properties_common "masquerade (oifname $ROUTER_WAN_IF)" on
        cat <<EOP
conntrack.snapshot.file=conntrack-L.txt
conntrack.snapshot.end.file=conntrack-L-end.txt

phone.address=$PHONE_IP
phone.sip.port=$PHONE_PORT
provider.address=$PROVIDER_IP
provider.sip.port=$REG_PORT
agents.log.file=agents.log
# the lab's record: LAN:WAN frame pairs of SIP messages the helper rewrote without changing their length
lab.same.length.rewrites=$(echo $SAME_LEN | tr ' ' ',')
EOP
    } >"$OUT/case.properties"
    sed -i "s/^sip.helper.ports=5060$/sip.helper.ports=$REG_PORT/" "$OUT/case.properties"
    {
        readme_title
        cat <<EOR

## Purpose

Deciding from the captures whether the router's SIP helper is on, when the SIP runs on another port than
5060 (the helper is attached by a \`ct helper\` rule to whatever port the operator chose) and when its rewrites
keep every message's length (the WAN address $ROUTER_WAN_IP has as many characters as the phone's $PHONE_IP). The
only evidence is the changed bytes (Via and Contact carry the WAN address on the WAN side) and the helper's
expectations in the kernel's log, which a customer's captures do not hold.

EOR
        readme_setup "- router: masquerade on $ROUTER_WAN_IF; \`ct helper sip-$REG_PORT\` (type sip, udp) set by \`udp dport $REG_PORT\` (\`router.nft\`);
  \`nf_conntrack_acct=1\`, \`nf_conntrack_timestamp=1\`. The router's WAN address is $ROUTER_WAN_IP (not the lab's usual .2).
- phone: \`sipagent.py phone\` $PHONE_IP:$PHONE_PORT → $PROVIDER_IP:$REG_PORT, steps \`$PHONE_STEPS\`. provider: \`sipagent.py registrar\`
  $PROVIDER_IP:$REG_PORT, pings (OPTIONS) the phone's binding at \`$PINGS\`. Logs: \`agents.log\`.
- snapshots: \`conntrack-L.txt\` at t ≈ $(rel_time "$SNAP_TS") s, \`conntrack-L-end.txt\` at t ≈ $(rel_time "$SNAP_END_TS") s."
        cat <<EOR

## What the kernel did

The lab's checks passed for this run, so all of the following hold. Times are seconds after the first frame.

- t=$(event_times "$OUT/kernel-events.txt" "NEW.* $pat "): REGISTER → NEW \`udp $PHONE_IP:$PHONE_PORT → $PROVIDER_IP:$REG_PORT\` masqueraded to $ROUTER_WAN_IP:$PHONE_PORT with
  \`helper=sip\` (the helper is attached by the rule on udp/$REG_PORT); one entry for the whole run.
- the helper rewrote Via and Contact ($PHONE_IP → $ROUTER_WAN_IP) in the phone's requests and the registrar's answers and
  pings; every rewritten message kept its length (LAN:WAN frame pairs $SAME_LEN).
- expectations: \`kernel-expect-events.txt\` (the REGISTERs' signalling expectations, each replacing the previous one).
- the registrar's pings at $PINGS reached the phone through the entry and were answered (\`agents.log\`).

$(readme_reading_notes)

$(readme_report)
EOR
    } >"$OUT/README.md"
}
