package dev.natrecon.decode;

/** Link-control messages that later stages read as uplink up/down and WAN address changes (and ARP: who owns an address). */
public enum LinkEvent {
    NONE,
    /** PPPoE discovery; {@link Packet#linkEventCode} is the PPPoE code (0x09 PADI, 0x07 PADO, 0x19 PADR, 0x65 PADS, 0xa7 PADT). */
    PPPOE_DISCOVERY,
    /** PPP LCP; code 1–4 configure, 5/6 terminate, 9/10 echo. */
    PPP_LCP,
    /** PPP IPCP; code as LCP, {@link Packet#linkEventAddress} the IP-Address option (0 if none). */
    PPP_IPCP,
    /** PPP IPv6CP. */
    PPP_IPV6CP,
    /** PPP PAP or CHAP authentication. */
    PPP_AUTH,
    /** DHCPv4; code is the DHCP message type (2 OFFER, 5 ACK, 7 RELEASE…), address the yiaddr. */
    DHCP,
    /**
     * ARP (IPv4 over Ethernet); code the operation (1 request, 2 reply), address the one asked for (a request's
     * target) or answered for (a reply's sender): who still owns an address on the link.
     */
    ARP
}
