# Scenario "cgnat": the baseline call from a router behind a carrier-grade NAT.
# The router's WAN address is in the RFC 6598 shared address space
# (100.64.0.0/10), as an ISP that runs CGNAT hands it to its customers; the
# provider's SIP server (registrar + UAS) sits on the carrier's access network
# (100.64.10.1, as an ISP's own voice SBC does). LAN 192.168.0.0/24. Everything
# else (masquerade, the SIP helper on udp/5060, REGISTER, one call with RTP both
# ways) is the baseline scenario, so natrecon must report it as clean: the
# router's own 100.64 address on the WAN is not a private address (RFC 1918 /
# RFC 4193) and not a leak (issue 16).

PHONE_IP=192.168.0.20     ROUTER_LAN_IP=192.168.0.1   LAN_PREFIX=24   LAN_NET=192.168.0.0/24
ROUTER_WAN_IP=100.64.10.2 PROVIDER_IP=100.64.10.1     WAN_PREFIX=22   WAN_NET=100.64.8.0/22

SCENARIO_PURPOSE='The baseline call (REGISTER, one call with audio both ways, masquerade and the
SIP helper on udp/5060) from a router behind a carrier-grade NAT: its WAN address
is in the RFC 6598 shared address space 100.64.0.0/10, as an ISP that runs CGNAT
assigns it, and the provider'"'"'s SIP server is on the carrier'"'"'s access network. The
helper writes the router'"'"'s 100.64 address into Via, Contact and the SDP, which is
correct for this router: natrecon must not report it as a private address on the
WAN (RFC 1918 / RFC 4193 name the private ranges; RFC 6598 space on the WAN is a
carrier-NAT address) nor the WAN traffic as a private source leak, and otherwise
judge the case as it judges `baseline`.'

# shellcheck source=/dev/null
source "$SCENARIO_DIR/baseline.sh"
SCENARIO_TITLE="REGISTER and one call through a Linux NAT router whose WAN is behind a carrier NAT (100.64.0.0/10)"
