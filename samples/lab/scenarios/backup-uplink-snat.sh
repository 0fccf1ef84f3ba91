# Scenario "backup-uplink-snat": backup-uplink-nat with `snat to 198.51.100.2`
# on the backup uplink instead of masquerade. The entry made on the backup
# during the outage records no out-interface, so when the main WAN returns
# nothing kills it: the phone's packets leave wan0 with the backup's address
# (wrongly NATed) and the answers keep returning over the backup.

BACKUP_NAT=snat
SCENARIO_TITLE="WAN outage with an SNAT backup uplink: the entry made on the backup keeps its NAT when the main WAN returns (wan0 copies carry the backup's address)"
# shellcheck source=/dev/null
source "$SCENARIO_DIR/backup-uplink-nat.sh"
