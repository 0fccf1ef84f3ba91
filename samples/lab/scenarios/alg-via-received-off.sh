# Scenario "alg-via-received-off": alg-via-received without the SIP helper (same phones, registrar and schedule;
# scenarios/alg-via-received.sh). The registrar's received=/rport= reach the LAN unchanged: the external address.

SCENARIO_TITLE="The registrar writes Via received/rport, no SIP helper: the LAN sees the external address"
ALG=off
# shellcheck source=/dev/null
source "$SCENARIO_DIR/alg-via-received.sh"
