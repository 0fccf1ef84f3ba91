# Scenario "carrier-loss-linkdown": carrier-loss with
# net.ipv4.conf.wan0.ignore_routes_with_linkdown=1. While wan0 has no carrier
# its connected route is ignored: the phones' packets die in routing (ICMP net
# unreachable from the router, no entry for a new flow), and the existing
# entry, which no clean-up deletes, carries on after the carrier returns.

IGNORE_LINKDOWN=1
SCENARIO_TITLE="WAN carrier lost with ignore_routes_with_linkdown=1: no route meanwhile (ICMP net unreachable, no new entry), the old entry survives"
# shellcheck source=/dev/null
source "$SCENARIO_DIR/carrier-loss.sh"
