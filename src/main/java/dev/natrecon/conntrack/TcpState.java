package dev.natrecon.conntrack;

/**
 * TCP conntrack states in the kernel's order (nf_conntrack_tcp.h, enum tcp_conntrack); the names are what
 * conntrack-tools prints. {@link #NONE} is never printed.
 */
public enum TcpState {
    NONE, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE, SYN_SENT2
}
