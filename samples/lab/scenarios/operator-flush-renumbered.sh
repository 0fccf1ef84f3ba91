# Scenario "operator-flush-renumbered": operator-flush with other addresses
# (LAN 10.20.0.0/16, WAN 198.51.100.0/24, the phone on port 5062), a full
# `conntrack -F`, and a registrar ping that arrives between the flush and the
# phone's next packet: the ping makes an inbound entry (ICMP port unreachable
# from the router) whose reply tuple holds the phone's old external port, so
# the phone's new entry gets another port and the registrar's binding moves.

PHONE_IP=10.20.3.40       ROUTER_LAN_IP=10.20.0.1     LAN_PREFIX=16   LAN_NET=10.20.0.0/16
ROUTER_WAN_IP=198.51.100.77  PROVIDER_IP=198.51.100.9  WAN_PREFIX=24   WAN_NET=198.51.100.0/24
PHONE_PORT=5062
FLUSH=flush
PING_AFTER_FLUSH=1
PHONE_STEPS="0:REGISTER 2.5:OPTIONS 7:OPTIONS 9.5:REGISTER 12.5:OPTIONS"
PINGS="5:1001 11:1001"
T_FLUSH=4; END_T=15
SCENARIO_TITLE="An operator's conntrack -F mid-registration, other addresses: a registrar ping in between takes the port, the new entry gets another one"
# shellcheck source=/dev/null
source "$SCENARIO_DIR/operator-flush.sh"
