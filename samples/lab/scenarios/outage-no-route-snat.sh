# Scenario "outage-no-route-snat": outage-no-route behind `snat to 203.0.113.2`
# instead of masquerade. Removing the WAN address deletes nothing (only
# masqueraded entries are flushed); the phone's packets die in routing during
# the outage (ICMP net unreachable), and the same entry carries on after the
# address returns.

NAT_STMT="snat to 203.0.113.2"
SCENARIO_TITLE="WAN outage with no route behind SNAT: no flush, ICMP net unreachable meanwhile, the same entry carries on"
# shellcheck source=/dev/null
source "$SCENARIO_DIR/outage-no-route.sh"
