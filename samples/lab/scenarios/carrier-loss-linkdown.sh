# Scenario "carrier-loss-linkdown": carrier-loss with
# net.ipv4.conf.wan0.ignore_routes_with_linkdown=1. While wan0 has no carrier
# its connected route is ignored: the phones' packets die in routing (ICMP net
# unreachable from the router, no entry for a new flow), and the existing
# entry, which no clean-up deletes, carries on after the carrier returns.

IGNORE_LINKDOWN=1
# phone B starts at 6.25 s, not 6 s: its retransmissions (0.5, 1, 2 s later: 6.75, 7.75, 9.75) then stay
# 250 ms clear of phone A's OPTIONS retransmission at 7.5 s (4 + 0.5 + 1 + 2), so the two phones' packets
# reach lan0 in the same order in every run (at 6 s both were due at 7.5 s, and their order on the LAN was
# the scheduler's); the third still comes after the carrier's return at 8.5 s, as the scenario needs
B_STEPS="6.25:REGISTER 12:OPTIONS"
SCENARIO_TITLE="WAN carrier lost with ignore_routes_with_linkdown=1: no route meanwhile (ICMP net unreachable, no new entry), the old entry survives"
# shellcheck source=/dev/null
source "$SCENARIO_DIR/carrier-loss.sh"
