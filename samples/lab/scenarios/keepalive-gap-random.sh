# Scenario "keepalive-gap-random": keepalive-gap with `masquerade random`.
# Same schedule, timeouts and agents (scenarios/keepalive-gap.sh); with random
# port allocation every new conntrack entry gets a new random external port,
# so after each expiry the registrar sees the phone behind a different port.

SCENARIO_TITLE="UDP binding with gaps longer than the conntrack timeout behind masquerade random: the external port changes"
MASQ_OPTS="random"
KG_PURPOSE_NOTE="(with \`masquerade random\` every new entry gets a new random external port, so the registrar sees the phone move after every expiry)"
# shellcheck source=/dev/null
source "$SCENARIO_DIR/keepalive-gap.sh"

scenario_check() {
    keepalive_common_checks ""
    [[ "${REG_PORTS[0]}" != 5060 ]] || die "masquerade random kept port 5060 for entry 1"
    [[ "${REG_PORTS[1]}" != "${REG_PORTS[0]}" && "${REG_PORTS[2]}" != "${REG_PORTS[1]}" ]] \
        || die "the external port did not change after expiry: ${REG_PORTS[*]}"
    grep -q "binding $PHONE_USER: $ROUTER_WAN_IP:${REG_PORTS[0]} -> $ROUTER_WAN_IP:${REG_PORTS[1]}" "$OUT/registrar.log" \
        && grep -q "binding $PHONE_USER: $ROUTER_WAN_IP:${REG_PORTS[1]} -> $ROUTER_WAN_IP:${REG_PORTS[2]}" "$OUT/registrar.log" \
        || die "registrar did not see both binding changes"
    # while entry 1 lived, every packet used its port
    local n
    n=$(frames "$OUT/wan.pcap" "src == '$ROUTER_WAN_IP' and sport == ${REG_PORTS[0]}" | wc -w)
    ((n == 4)) || die "expected 4 WAN packets from entry 1's port ${REG_PORTS[0]}, got $n"
}
