#!/usr/bin/env bash
# natrecon real-kernel NAT lab.
#
#   samples/lab/lab.sh SCENARIO   regenerate samples/SCENARIO/ from a real kernel
#   samples/lab/lab.sh all        run every scenario under samples/lab/scenarios/
#   samples/lab/lab.sh list       list the scenarios
#   samples/lab/lab.sh --out DIR SCENARIO|all   write the case into DIR (all: DIR/SCENARIO)
#                                 instead of samples/ (also NRLAB_OUT=DIR)
#
# Builds three network namespaces (phone, router, provider) joined by veth
# pairs, makes the router a Linux NAT router (nftables masquerade + the
# kernel's SIP helper), runs one scenario, captures both router interfaces and
# the kernel's own conntrack events, checks the result and writes the case
# folder. Everything runs inside namespaces this script creates; only
# documentation (TEST-NET), RFC 1918 and RFC 6598 shared (cgnat) addresses are used. On exit the
# script kills the processes it started (by PID) and deletes its namespaces.
# Needs root. See samples/lab/README.md.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES_DIR=$(dirname "$LAB_DIR")
SCENARIO_DIR="$LAB_DIR/scenarios"
SIPP_DIR="$LAB_DIR/sipp"
TOOLS_DIR="$LAB_DIR/tools"

# ---------------------------------------------------------------- topology --
# Namespace names carry this shell's PID so that two runs never collide and
# cleanup can never touch a namespace this run did not create.
NS_PREFIX="nrlab-$$"
NS_PHONE="$NS_PREFIX-phone"
NS_ROUTER="$NS_PREFIX-router"
NS_PROVIDER="$NS_PREFIX-provider"

PHONE_IF=eth0          PHONE_IP=192.168.1.10   PHONE_MAC=02:4e:52:01:00:0a
ROUTER_LAN_IF=lan0     ROUTER_LAN_IP=192.168.1.1   ROUTER_LAN_MAC=02:4e:52:01:00:01
ROUTER_WAN_IF=wan0     ROUTER_WAN_IP=203.0.113.2   ROUTER_WAN_MAC=02:4e:52:02:00:02
PROVIDER_IF=eth0       PROVIDER_IP=203.0.113.5     PROVIDER_MAC=02:4e:52:02:00:05
LAN_PREFIX=24          LAN_NET=192.168.1.0/24
WAN_PREFIX=24          WAN_NET=203.0.113.0/24

WORK=""                # per-run scratch directory (mktemp), removed on exit
OUT=""                 # $WORK/case: files that end up in samples/<scenario>/
NS_CREATED=()          # namespaces this run created
BG_PIDS=()             # background processes this run started
BG_NAMES=()
SCENARIO=""
RUN_START=0
CASE_DIR="${NRLAB_OUT:-}"   # --out: the case folder to write instead of samples/<scenario>/

log() { printf '[lab %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

in_ns()       { local ns=$1; shift; ip netns exec "$ns" "$@"; }
in_phone()    { in_ns "$NS_PHONE" "$@"; }
in_router()   { in_ns "$NS_ROUTER" "$@"; }
in_provider() { in_ns "$NS_PROVIDER" "$@"; }

# ------------------------------------------------------------ requirements --
# Installs missing Debian packages (CI runs on a fresh Debian 12).
ensure_tools() {
    local missing=() pair cmd pkg
    for pair in ip:iproute2 nft:nftables conntrack:conntrack tcpdump:tcpdump \
                sipp:sip-tester editcap:wireshark-common capinfos:wireshark-common \
                python3:python3 stdbuf:coreutils timeout:coreutils sysctl:procps \
                iptables-legacy:iptables; do
        cmd=${pair%%:*}; pkg=${pair#*:}
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get"
        log "installing: $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u)
    fi
}

# ----------------------------------------------------------------- cleanup --
kill_pid() {  # kill one process we started: TERM, up to 2 s grace, then KILL
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 20); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$? i pid ns f
    trap - EXIT INT TERM
    set +e
    for ((i = ${#BG_PIDS[@]} - 1; i >= 0; i--)); do kill_pid "${BG_PIDS[$i]}"; done
    # helper processes started by SIPp's <exec> write their own pid files
    if [[ -n "$WORK" ]]; then
        for f in "$WORK"/*.pid; do [[ -f "$f" ]] && kill_pid "$(cat "$f")"; done
    fi
    # anything still running inside our own namespaces was started by us
    for ns in "${NS_CREATED[@]}"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill_pid "$pid"; done
    done
    for ns in "${NS_CREATED[@]}"; do ip netns delete "$ns" 2>/dev/null; done
    if [[ -n "$WORK" && -d "$WORK" ]]; then
        if ((rc != 0)) || [[ "${NRLAB_KEEP:-0}" == 1 ]]; then
            log "scratch files kept in $WORK"
        else
            rm -rf "$WORK"
        fi
    fi
    exit "$rc"
}

# --------------------------------------------------------- background jobs --
# bg NAME NS CMD...   start CMD inside namespace NS, stdout/stderr to
# $WORK/NAME.out / NAME.err, working directory $WORK. The subshell execs
# `ip netns exec`, which execs CMD, so $! is the command's own PID.
bg() {
    local name=$1 ns=$2; shift 2
    (cd "$WORK" && exec ip netns exec "$ns" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null) &
    BG_PIDS+=($!)
    BG_NAMES+=("$name")
    eval "PID_${name//-/_}=$!"
}

bg_pid() { local v="PID_${1//-/_}"; echo "${!v}"; }

# wait_bg NAME TIMEOUT: wait for a background job to end by itself; fails on
# timeout or non-zero exit.
wait_bg() {
    local name=$1 timeout=$2 pid rc=0 t=0
    pid=$(bg_pid "$name")
    while kill -0 "$pid" 2>/dev/null; do
        if ((t >= timeout * 10)); then log "$name (pid $pid) still running after ${timeout}s"; return 1; fi
        sleep 0.1; t=$((t + 1))
    done
    wait "$pid" || rc=$?
    ((rc == 0)) || log "$name exited with $rc"
    return "$rc"
}

stop_bg() {  # stop_bg NAME: TERM a background job and reap it
    local pid
    pid=$(bg_pid "$1")
    kill_pid "$pid"
    wait "$pid" 2>/dev/null || true
}

wait_for() {  # wait_for TIMEOUT DESCRIPTION CMD...: poll until CMD succeeds
    local timeout=$1 what=$2 t=0; shift 2
    until "$@" >/dev/null 2>&1; do
        ((t < timeout * 10)) || die "timed out waiting for $what"
        sleep 0.1; t=$((t + 1))
    done
}

wait_pidfile_gone() {  # wait for a pid file to appear, then for its process to end
    local f=$1 timeout=$2 t=0
    wait_for "$timeout" "$f" test -s "$f"
    while kill -0 "$(cat "$f")" 2>/dev/null; do
        ((t < timeout * 10)) || die "process in $f still running after ${timeout}s"
        sleep 0.1; t=$((t + 1))
    done
}

udp_listening() { in_ns "$1" ss -Hlun "sport = :$2" | grep -q .; }

# ------------------------------------------------------------ topology up --
ns_add() {
    ip netns add "$1"
    NS_CREATED+=("$1")
    # no IPv6 inside the lab: no router solicitations / MLD noise in captures
    in_ns "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
    in_ns "$1" ip link set lo up
}

topology_up() {
    log "creating namespaces $NS_PHONE, $NS_ROUTER, $NS_PROVIDER"
    ns_add "$NS_PHONE"; ns_add "$NS_ROUTER"; ns_add "$NS_PROVIDER"

    # veth pairs are created directly inside the namespaces (never in the
    # host's namespace), with fixed MAC addresses for reproducible captures
    ip -n "$NS_ROUTER" link add "$ROUTER_LAN_IF" address "$ROUTER_LAN_MAC" type veth \
        peer name "$PHONE_IF" address "$PHONE_MAC" netns "$NS_PHONE"
    ip -n "$NS_ROUTER" link add "$ROUTER_WAN_IF" address "$ROUTER_WAN_MAC" type veth \
        peer name "$PROVIDER_IF" address "$PROVIDER_MAC" netns "$NS_PROVIDER"

    ip -n "$NS_PHONE" addr add "$PHONE_IP/$LAN_PREFIX" dev "$PHONE_IF"
    ip -n "$NS_ROUTER" addr add "$ROUTER_LAN_IP/$LAN_PREFIX" dev "$ROUTER_LAN_IF"
    ip -n "$NS_ROUTER" addr add "$ROUTER_WAN_IP/$WAN_PREFIX" dev "$ROUTER_WAN_IF"
    ip -n "$NS_PROVIDER" addr add "$PROVIDER_IP/$WAN_PREFIX" dev "$PROVIDER_IF"

    # static neighbours: no ARP in the captures
    ip -n "$NS_PHONE" neigh replace "$ROUTER_LAN_IP" lladdr "$ROUTER_LAN_MAC" dev "$PHONE_IF" nud permanent
    ip -n "$NS_ROUTER" neigh replace "$PHONE_IP" lladdr "$PHONE_MAC" dev "$ROUTER_LAN_IF" nud permanent
    ip -n "$NS_ROUTER" neigh replace "$PROVIDER_IP" lladdr "$PROVIDER_MAC" dev "$ROUTER_WAN_IF" nud permanent
    ip -n "$NS_PROVIDER" neigh replace "$ROUTER_WAN_IP" lladdr "$ROUTER_WAN_MAC" dev "$PROVIDER_IF" nud permanent

    ip -n "$NS_PHONE" link set "$PHONE_IF" up
    ip -n "$NS_ROUTER" link set "$ROUTER_LAN_IF" up
    ip -n "$NS_ROUTER" link set "$ROUTER_WAN_IF" up
    ip -n "$NS_PROVIDER" link set "$PROVIDER_IF" up

    # the phone's only way out is the router; the provider has no route to the
    # private LAN (as on the Internet)
    ip -n "$NS_PHONE" route add default via "$ROUTER_LAN_IP" dev "$PHONE_IF"
    in_router sysctl -qw net.ipv4.ip_forward=1
}

# The router's default nftables ruleset. A scenario may define
# scenario_nft_ruleset to print a different one.
default_nft_ruleset() {
    cat <<EOF
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "$ROUTER_WAN_IF" masquerade
	}
}
table ip filter {
	ct helper sip-5060 {
		type "sip" protocol udp;
		l3proto ip;
	}
	chain prerouting {
		type filter hook prerouting priority filter; policy accept;
		udp dport 5060 ct helper set "sip-5060"
	}
}
EOF
}

router_firewall_up() {
    if declare -F scenario_nft_ruleset >/dev/null; then
        scenario_nft_ruleset >"$WORK/ruleset.nft"
    else
        default_nft_ruleset >"$WORK/ruleset.nft"
    fi
    in_router nft -f "$WORK/ruleset.nft"
}

record_router_config() {
    in_router nft list ruleset >"$OUT/router.nft"
    # as a customer's `sysctl -a` holds them: conntrack's values and the interfaces' (ignore_routes_with_linkdown…)
    in_router sysctl net.netfilter net.ipv4.conf >"$OUT/router.sysctl"
    # SIP helper module parameters are global (not per namespace)
    local p d=/sys/module/nf_conntrack_sip/parameters
    : >"$OUT/nf_conntrack_sip-parameters.txt"
    if [[ -d $d ]]; then
        for p in "$d"/*; do echo "$(basename "$p")=$(cat "$p")" >>"$OUT/nf_conntrack_sip-parameters.txt"; done
    fi
}

# ------------------------------------------------------------- recording --
recorders_start() {
    log "starting captures on $ROUTER_LAN_IF and $ROUTER_WAN_IF and conntrack event logs"
    bg tcpdump-lan "$NS_ROUTER" tcpdump -n -i "$ROUTER_LAN_IF" -U -s 0 --immediate-mode -Z root -w "$OUT/lan.pcap"
    bg tcpdump-wan "$NS_ROUTER" tcpdump -n -i "$ROUTER_WAN_IF" -U -s 0 --immediate-mode -Z root -w "$OUT/wan.pcap"
    bg conntrack-events "$NS_ROUTER" stdbuf -oL conntrack -E -o timestamp,extended
    bg expect-events "$NS_ROUTER" stdbuf -oL conntrack -E expect -o timestamp
    wait_for 10 "tcpdump on $ROUTER_LAN_IF" grep -q "listening on" "$WORK/tcpdump-lan.err"
    wait_for 10 "tcpdump on $ROUTER_WAN_IF" grep -q "listening on" "$WORK/tcpdump-wan.err"
    if [[ -n "${ROUTER_ANY_CAPTURE:-}" ]]; then
        # a scenario may also record the router as support engineers often do: one `tcpdump -i any` in the old
        # Linux cooked v1 link type (SLL, linktype 113), which has no interface index
        bg tcpdump-any "$NS_ROUTER" tcpdump -n -i any -y LINUX_SLL -U -s 0 --immediate-mode -Z root -w "$OUT/router.pcap"
        wait_for 10 "tcpdump on any" grep -q "listening on" "$WORK/tcpdump-any.err"
    fi
    sleep 0.5   # conntrack -E has no ready signal; its netlink subscription is immediate
}

recorders_stop() {
    sleep 0.5   # let the last packets and events drain
    local n
    for n in tcpdump-lan tcpdump-wan conntrack-events expect-events; do stop_bg "$n"; done
    if [[ -n "${ROUTER_ANY_CAPTURE:-}" ]]; then stop_bg tcpdump-any; fi
    cp "$WORK/conntrack-events.out" "$OUT/kernel-events.txt"
    cp "$WORK/expect-events.out" "$OUT/kernel-expect-events.txt"
}

# conntrack_snapshot NAME: `conntrack -L` of flows and expectations now.
# Note that listing also reaps entries whose timeout has passed.
conntrack_snapshot() {
    in_router conntrack -L -o extended >"$OUT/$1.txt" 2>/dev/null
    in_router conntrack -L expect >"$OUT/${1/conntrack/expect}.txt" 2>/dev/null
}

# ------------------------------------------------------------------ sipp --
# sipp_fg NAME NS TIMEOUT ARGS...: run SIPp in the foreground (client side).
sipp_fg() {
    local name=$1 ns=$2 timeout=$3 rc=0; shift 3
    (cd "$WORK" && timeout "$timeout" ip netns exec "$ns" sipp -nostdin \
        -trace_msg -message_file "$WORK/$name.messages.log" \
        -trace_err -error_file "$WORK/$name.errors.log" \
        -trace_logs -log_file "$WORK/$name.actions.log" \
        "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null) || rc=$?
    if ((rc != 0)); then
        log "sipp $name failed (exit $rc); last messages:"
        tail -n 40 "$WORK/$name.messages.log" >&2 2>/dev/null || true
        tail -n 20 "$WORK/$name.errors.log" >&2 2>/dev/null || true
    fi
    return "$rc"
}

# sipp_bg NAME NS ARGS...: run SIPp in the background (server side).
sipp_bg() {
    local name=$1 ns=$2; shift 2
    bg "$name" "$ns" sipp -nostdin \
        -trace_msg -message_file "$WORK/$name.messages.log" \
        -trace_err -error_file "$WORK/$name.errors.log" \
        -trace_logs -log_file "$WORK/$name.actions.log" "$@"
}

# ----------------------------------------------------------------- output --
finish_case() {
    log "post-processing"
    # -F pcap: same file format as wan.pcap (editcap writes pcapng by default)
    editcap -F pcap -t 7.25 "$OUT/wan.pcap" "$OUT/wan-shifted.pcap"
    uname -r >"$WORK/kernel.txt"
}

install_case() {
    local dest="${CASE_DIR:-$SAMPLES_DIR/$SCENARIO}" f
    mkdir -p "$dest"
    # replace only the files this run produced; other content of the case
    # folder (e.g. expected/ output made by natrecon's golden tests) stays
    for f in "$OUT"/*; do cp -f "$f" "$dest/"; done
    log "case written to $dest: $(cd "$OUT" && ls | tr '\n' ' ')"
}

# one line: "nftables v1.0.6, conntrack-tools v1.4.7, ..."
tool_versions() {
    local v=()
    v+=("$(nft --version 2>/dev/null | awk '{print $1, $2}')")
    v+=("$(conntrack --version 2>/dev/null | awk '{print $3, $2}' | sed 's/[()]//g')")
    v+=("$(sipp -v 2>/dev/null | grep -m1 -o 'SIPp v[0-9.]*')")
    v+=("$(tcpdump --version 2>&1 | head -n1)")
    v+=("editcap $(editcap -h 2>/dev/null | grep -m1 -o '(Wireshark) [0-9.]*' | awk '{print $2}')")
    v+=("$(python3 --version 2>&1)")
    local IFS=,
    echo "${v[*]}" | sed 's/,/, /g'
}

# readme_timeline: the case README's "## Timeline" section (plain words, times relative to the
# first LAN frame) from the captures, the event logs and case.properties in $OUT
readme_timeline() { python3 "$TOOLS_DIR/timeline.py" "$OUT"; }

# first_frame_time PCAP: epoch seconds of the first frame (classic pcap)
first_frame_time() {
    python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(40)
end = "<" if d[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
sec, frac = struct.unpack(end + "II", d[24:32])
ns = d[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
print("%d.%06d" % (sec, frac // 1000 if ns else frac))
PY
}

# ------------------------------------------------------------------ main --
list_scenarios() {
    local f
    for f in "$SCENARIO_DIR"/*.sh; do basename "$f" .sh; done
}

run_scenario() {
    SCENARIO=$1
    local file="$SCENARIO_DIR/$SCENARIO.sh"
    [[ -f "$file" ]] || die "unknown scenario '$SCENARIO' (have: $(list_scenarios | tr '\n' ' '))"
    ((EUID == 0)) || die "must run as root (network namespaces, nftables, conntrack)"
    ensure_tools

    # shellcheck source=/dev/null
    source "$file"
    declare -F scenario_run >/dev/null || die "$file does not define scenario_run"

    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    RUN_START=$(date +%s%N)
    WORK=$(mktemp -d "/tmp/nrlab-$SCENARIO.XXXXXX")
    OUT="$WORK/case"
    mkdir -p "$OUT"
    log "scenario $SCENARIO (kernel $(uname -r), scratch $WORK)"

    topology_up
    router_firewall_up
    if declare -F scenario_configure >/dev/null; then scenario_configure; fi
    record_router_config
    recorders_start
    scenario_run
    recorders_stop
    finish_case
    if declare -F scenario_check >/dev/null; then scenario_check; fi
    if declare -F scenario_document >/dev/null; then scenario_document; fi
    install_case
    local ms=$(( ($(date +%s%N) - RUN_START) / 1000000 ))
    log "scenario $SCENARIO done in $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s"
}

usage() {
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    echo "scenarios: $(list_scenarios | tr '\n' ' ')"
}

main() {
    while [[ "${1:-}" == --out || "${1:-}" == --out=* ]]; do
        if [[ "$1" == --out ]]; then
            [[ $# -ge 2 && -n "$2" ]] || die "--out needs a directory"
            CASE_DIR=$2; shift 2
        else
            CASE_DIR=${1#--out=}; shift
        fi
    done
    [[ -z "$CASE_DIR" ]] || CASE_DIR=$(realpath -m "$CASE_DIR")
    case "${1:-}" in
        ""|-h|--help|help) usage ;;
        list) list_scenarios ;;
        all)
            local s failed=()
            for s in $(list_scenarios); do
                if [[ -n "$CASE_DIR" ]]; then
                    "${BASH_SOURCE[0]}" --out "$CASE_DIR/$s" "$s" || failed+=("$s")
                else
                    "${BASH_SOURCE[0]}" "$s" || failed+=("$s")
                fi
            done
            ((${#failed[@]} == 0)) || die "failed scenarios: ${failed[*]}"
            ;;
        *) run_scenario "$1" ;;
    esac
}

main "$@"
