# Scenario "router-any-sll": the baseline call, recorded a third time on the router with one
# `tcpdump -i any -y LINUX_SLL` (Linux cooked v1, linktype 113) into router.pcap, next to the
# usual per-interface lan.pcap and wan.pcap. SLL v1 records no interface index, so natrecon must
# tell the LAN and WAN copies of each forwarded packet apart by content (issue 17); the two-sided
# run of lan.pcap + wan.pcap is the reference its result is checked against.

# shellcheck source=/dev/null
source "$LAB_DIR/scenarios/baseline.sh"

SCENARIO_TITLE="the baseline call, also recorded on the router with tcpdump -i any in Linux cooked v1 (SLL)"
ROUTER_ANY_CAPTURE=1

eval "baseline_$(declare -f scenario_check)"
scenario_check() {
    baseline_scenario_check
    local lt lan_n wan_n any_n
    lt=$(capinfos -M -E -T "$OUT/router.pcap" | awk -F'\t' 'NR==2{print $2}')
    [[ "$lt" == linux-sll ]] || die "router.pcap is not Linux cooked v1: $lt"
    lan_n=$(pcap_count "$OUT/lan.pcap"); wan_n=$(pcap_count "$OUT/wan.pcap"); any_n=$(pcap_count "$OUT/router.pcap")
    # every frame of either interface, and nothing else (the lab has no other traffic, lo stays quiet)
    ((any_n == lan_n + wan_n)) || die "router.pcap holds $any_n frames, lan.pcap + wan.pcap $((lan_n + wan_n))"
}

eval "baseline_$(declare -f scenario_document)"
scenario_document() {
    baseline_scenario_document
    cat >>"$OUT/README.md" <<EOR

## The router's \`tcpdump -i any\` capture

\`router.pcap\` was recorded in the router namespace at the same time as \`lan.pcap\` and \`wan.pcap\`:
\`tcpdump -n -i any -y LINUX_SLL -U -s 0 --immediate-mode -w router.pcap\`. It holds every frame of both
interfaces ($(pcap_count "$OUT/router.pcap") = $(pcap_count "$OUT/lan.pcap") + $(pcap_count "$OUT/wan.pcap")) in
Linux cooked v1 (linktype 113): each frame carries the packet type (to us / sent by us) and one link-layer
address (the sender's for received frames, the router's interface for sent ones), but no interface index.
\`natrecon analyze --router router.pcap\` must give the same bindings and findings as
\`natrecon analyze --lan lan.pcap --wan wan.pcap\`.
EOR
    sed -i 's/^| `wan-shifted.pcap` |/| `router.pcap` | the router'"'"'s `tcpdump -i any -y LINUX_SLL` (both interfaces, Linux cooked v1) |\n&/' "$OUT/README.md"
}
