package dev.natrecon.decode;

import dev.natrecon.capture.Anomaly;

/** Named decoder anomalies; each is counted, and none stops the decoding of later frames. */
public enum DecodeAnomaly implements Anomaly {
    LINK_UNSUPPORTED("decode.link.unsupported", "link-layer type the decoder does not know"),
    ETHERNET_TRUNCATED("decode.ethernet.truncated_header", "frame shorter than an Ethernet header"),
    VLAN_TRUNCATED("decode.vlan.truncated_header", "frame ends inside an 802.1Q/QinQ tag"),
    VLAN_TOO_DEEP("decode.vlan.too_many_tags", "more than four stacked VLAN tags"),
    LLC_TRUNCATED("decode.llc.truncated_header", "frame ends inside an 802.2 LLC/SNAP header"),
    SLL_TRUNCATED("decode.sll.truncated_header", "frame shorter than a Linux cooked (SLL) header"),
    SLL2_TRUNCATED("decode.sll2.truncated_header", "frame shorter than a Linux cooked v2 (SLL2) header"),
    NULL_TRUNCATED("decode.null.truncated_header", "frame shorter than the 4-byte loopback header"),
    PPPOE_TRUNCATED("decode.pppoe.truncated_header", "frame ends inside a PPPoE header"),
    PPP_TRUNCATED("decode.ppp.truncated_header", "frame ends inside a PPP header"),
    PPP_CONTROL_TRUNCATED("decode.ppp.truncated_control", "frame ends inside a PPP LCP/IPCP message"),
    IP_BAD_VERSION("decode.ip.bad_version", "IP header version is neither 4 nor 6"),
    IPV4_TRUNCATED("decode.ipv4.truncated_header", "frame ends inside an IPv4 header"),
    IPV4_BAD_HEADER_LENGTH("decode.ipv4.bad_header_length", "IPv4 IHL below 5 or beyond the total length"),
    IPV4_LENGTH_EXCEEDS_FRAME("decode.ipv4.total_length_exceeds_frame", "IPv4 total length is larger than the frame on the wire"),
    IPV6_TRUNCATED("decode.ipv6.truncated_header", "frame ends inside an IPv6 header"),
    IPV6_EXTENSION_TRUNCATED("decode.ipv6.truncated_extension_header", "frame ends inside an IPv6 extension header"),
    IPV6_LENGTH_EXCEEDS_FRAME("decode.ipv6.payload_length_exceeds_frame", "IPv6 payload length is larger than the frame on the wire"),
    UDP_TRUNCATED("decode.udp.truncated_header", "packet ends inside a UDP header"),
    UDP_LENGTH_MISMATCH("decode.udp.length_mismatch", "UDP length field disagrees with the IP payload length"),
    TCP_TRUNCATED("decode.tcp.truncated_header", "packet ends inside a TCP header"),
    TCP_BAD_OFFSET("decode.tcp.bad_data_offset", "TCP data offset below 5 words or beyond the segment"),
    ICMP_TRUNCATED("decode.icmp.truncated_header", "packet ends inside an ICMP header"),
    ICMP_QUOTE_TRUNCATED("decode.icmp.truncated_quote", "ICMP error quotes too little of the original packet to read its tuple"),
    GRE_TRUNCATED("decode.gre.truncated_header", "packet ends inside a GRE header"),
    GRE_UNSUPPORTED("decode.gre.unsupported_payload", "GRE carries a protocol the decoder does not follow"),
    TUNNEL_TOO_DEEP("decode.tunnel.too_deep", "more than four nested tunnels"),
    SNAPLEN_CUT("decode.truncated_by_snaplen", "the capture's snap length cut the packet; headers were read as far as present");

    private final String id;
    private final String description;

    DecodeAnomaly(String id, String description) {
        this.id = id;
        this.description = description;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }
}
