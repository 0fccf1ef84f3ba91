# Scenario "tcp-reconnect-rst": tcp-reconnect with the phone aborting its
# connection (SO_LINGER 0: a RST instead of FINs). The router's entry goes to
# CLOSE (10 s); the phone's new SYN from the same port a few seconds later
# kills it and a new entry is made.

CLOSE_HOW=ABORT
SCENARIO_TITLE="SIP over TCP aborted (RST) and reopened from the same port while the entry is in CLOSE: the SYN kills it, a new one is made"
# shellcheck source=/dev/null
source "$SCENARIO_DIR/tcp-reconnect.sh"
