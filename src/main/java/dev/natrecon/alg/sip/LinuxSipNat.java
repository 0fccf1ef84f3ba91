package dev.natrecon.alg.sip;

import dev.natrecon.alg.sip.KernelSipText.Header;
import dev.natrecon.alg.sip.KernelSipText.Sdp;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.Expectation;
import dev.natrecon.conntrack.HelperContext;
import dev.natrecon.decode.Addresses;

/**
 * nf_nat_sip.c: how the SIP helper rewrites a message of an entry with source or destination NAT (the Request-URI,
 * the top Via with maddr/received/rport, every Contact, From, To; SDP o=/c=/m= and Content-Length) and picks the
 * ports of its expectations. Called by {@link LinuxSipHelper} (nf_conntrack_sip.c) as the kernel's nf_nat_sip_hooks.
 */
final class LinuxSipNat {
    private static final int TCP = ConntrackTuple.TCP;

    private LinuxSipNat() {
    }

    static String addrText(long hi, long lo, boolean v6, boolean brackets) {
        String a = Addresses.format(hi, lo);
        return v6 && brackets ? "[" + a + "]" : a;
    }

    /** map_addr: an address:port of this connection, swapped for what the peer sees. */
    static boolean mapAddr(SipHelperPacket k, int off, int len, long hi, long lo, int port) {
        long nHi, nLo;
        int nPort;
        if (hi == k.here.srcHi() && lo == k.here.srcLo() && port == k.here.srcPort()) {
            nHi = k.there.dstHi();
            nLo = k.there.dstLo();
            nPort = k.there.dstPort();
        } else if (hi == k.here.dstHi() && lo == k.here.dstLo() && port == k.here.dstPort()) {
            nHi = k.there.srcHi();
            nLo = k.there.srcLo();
            nPort = k.info.forcedDport != 0 ? k.info.forcedDport : k.there.srcPort();
        } else {
            return true;
        }
        if (nHi == hi && nLo == lo && nPort == port) return true;
        k.t.replace(off, len, addrText(nHi, nLo, k.v6(), true) + ":" + nPort);
        return true;
    }

    static boolean mapSipAddr(SipHelperPacket k, Header h) {
        KernelSipText t = k.t;
        if (t.parseHeaderUri(h, false) <= 0) return true;
        return mapAddr(k, t.matchOff, t.matchLen, t.addrHi, t.addrLo, t.port);
    }

    /** nf_nat_sip: Request-URI, top Via and its maddr/received/rport, every Contact, From, To. */
    static boolean natSip(SipHelperPacket k) {
        KernelSipText t = k.t;
        boolean request;
        if (!t.startsWithAt(0, "SIP/2.0")) {
            if (t.parseRequest() > 0) mapAddr(k, t.matchOff, t.matchLen, t.addrHi, t.addrLo, t.port);
            request = true;
        } else {
            request = false;
        }
        Header via = k.protocol == TCP ? Header.VIA_TCP : Header.VIA_UDP;
        if (t.parseHeaderUri(via, false) > 0) {
            boolean ours = request
                    ? t.addrHi == k.here.srcHi() && t.addrLo == k.here.srcLo() && t.port == k.here.srcPort()
                    : t.addrHi == k.here.dstHi() && t.addrLo == k.here.dstLo() && t.port == k.here.dstPort();
            if (ours) {
                int olen = t.len;
                int mOff = t.matchOff, mLen = t.matchLen;
                mapAddr(k, mOff, mLen, t.addrHi, t.addrLo, t.port);
                int matchEnd = mOff + mLen + t.len - olen;
                if (t.parseAddressParam(matchEnd, "maddr=", true) > 0 && t.addrHi == k.here.srcHi()
                        && t.addrLo == k.here.srcLo() && !(t.addrHi == k.there.dstHi() && t.addrLo == k.there.dstLo())) {
                    t.replace(t.matchOff, t.matchLen, addrText(k.there.dstHi(), k.there.dstLo(), k.v6(), true));
                }
                if (t.parseAddressParam(matchEnd, "received=", false) > 0 && t.addrHi == k.here.dstHi()
                        && t.addrLo == k.here.dstLo() && !(t.addrHi == k.there.srcHi() && t.addrLo == k.there.srcLo())) {
                    t.replace(t.matchOff, t.matchLen, addrText(k.there.srcHi(), k.there.srcLo(), k.v6(), false));
                }
                if (t.parseNumericalParam(matchEnd, "rport=") > 0 && t.value == k.here.dstPort()
                        && t.value != k.there.srcPort()) {
                    t.replace(t.matchOff, t.matchLen, Integer.toString(k.there.srcPort()));
                }
            }
        }
        t.dataOff = 0;
        t.inHeader = false;
        // as the kernel, the walk resumes at the offset found before the rewrite, not moved by it
        while (t.parseHeaderUri(Header.CONTACT, true) > 0) mapAddr(k, t.matchOff, t.matchLen, t.addrHi, t.addrLo, t.port);
        mapSipAddr(k, Header.FROM);
        mapSipAddr(k, Header.TO);
        return true;
    }

    /**
     * nf_nat_sip_expect: the signalling expectation on the translated address, its port the entry's translated port
     * when the Contact names the signalling port, and the Contact rewritten to match.
     */
    static boolean natSipExpect(SipHelperPacket k, Expectation exp, int matchOff, int matchLen) {
        long[] n = peerSees(k, exp);
        long nHi = n[0], nLo = n[1];
        int srcPort = k.info.forcedDport != 0 ? k.info.forcedDport : k.here.srcPort();
        int port = exp.dstPort == srcPort ? k.there.dstPort() : exp.dstPort;
        redirect(k, exp, nHi, nLo);
        port = findPort(k, exp, port);
        if (port == 0) return k.drop("all ports in use for SIP");
        if (exp.dstHi != exp.savedHi || exp.dstLo != exp.savedLo || exp.dstPort != exp.savedPort) {
            k.t.replace(matchOff, matchLen, addrText(nHi, nLo, k.v6(), true) + ":" + port);
        }
        return true;
    }

    /**
     * nf_nat_exp_find_port: the port, or when it clashes up to 128 random ports above it; the model takes the port
     * the router's rewritten Contact shows, else the next free one upward.
     */
    static int findPort(SipHelperPacket k, Expectation exp, int port) {
        exp.dstPort = port;
        int res = k.c.expectRelated(exp, false);
        if (res == 0) return port;
        if (res != HelperContext.EBUSY) return 0;
        byte[] seen = k.c.observedPayload();
        if (seen != null) {
            KernelSipText o = new KernelSipText(seen, seen.length, k.v6());
            if (o.parseHeaderUri(Header.CONTACT, false) > 0 && o.port > port) {
                exp.dstPort = o.port;
                if (k.c.expectRelated(exp, false) == 0) return o.port;
            }
        }
        for (int p = port + 1, tries = 0; p <= 65535 && tries < 128; p++, tries++) {
            exp.dstPort = p;
            res = k.c.expectRelated(exp, false);
            if (res == 0) return p;
            if (res != HelperContext.EBUSY) return 0;
        }
        return 0;
    }

    /**
     * An expectation moved to the address the peer sees ({@code hi}, {@code lo}), for the connection coming from the
     * reply direction, with its own tuple kept as the place to redirect to (exp->saved_addr, saved_proto, dir).
     */
    static void redirect(SipHelperPacket k, Expectation exp, long hi, long lo) {
        exp.natRedirect = true;
        exp.savedHi = exp.dstHi;
        exp.savedLo = exp.dstLo;
        exp.savedPort = exp.dstPort;
        exp.dstHi = hi;
        exp.dstLo = lo;
        exp.dir = 1 - k.dir;
    }

    /**
     * "Connection will come from reply": the address the peer sees for an expected connection: the expectation's own
     * when the sender's address is not translated in this direction, else the entry's translated address.
     */
    static long[] peerSees(SipHelperPacket k, Expectation exp) {
        if (k.here.srcHi() == k.there.dstHi() && k.here.srcLo() == k.there.dstLo()) return new long[] {exp.dstHi, exp.dstLo};
        return new long[] {k.there.dstHi(), k.there.dstLo()};
    }

    /** mangle_content_len: Content-Length = the bytes from "v=" to the end. */
    static boolean mangleContentLength(SipHelperPacket k) {
        KernelSipText t = k.t;
        if (t.getSdpHeader(0, Sdp.VERSION, Sdp.UNSPEC) <= 0) return false;
        int cLen = t.len - t.matchOff + 2;
        if (t.getHeader(0, t.len, Header.CONTENT_LENGTH) <= 0) return false;
        t.replace(t.matchOff, t.matchLen, Integer.toString(cLen));
        return true;
    }

    static int mangleSdp(SipHelperPacket k, int sdpOff, Sdp type, Sdp term, String text) {
        KernelSipText t = k.t;
        if (t.getSdpHeader(sdpOff, type, term) <= 0) return -1; // -ENOENT
        t.replace(t.matchOff, t.matchLen, text);
        return 0;
    }

    /** nf_nat_sdp_addr: a media-level c= gets the media address. */
    static boolean natSdpAddr(SipHelperPacket k, int sdpOff, Sdp type, Sdp term, long[] addr) {
        if (mangleSdp(k, sdpOff, type, term, addrText(addr[0], addr[1], k.v6(), false)) != 0) return false;
        return mangleContentLength(k);
    }

    /** nf_nat_sdp_port */
    static boolean natSdpPort(SipHelperPacket k, int off, int len, int port) {
        k.t.replace(off, len, Integer.toString(port));
        return mangleContentLength(k);
    }

    /** nf_nat_sdp_session: o= and the session c= get the last stream's media address. */
    static boolean natSdpSession(SipHelperPacket k, int sdpOff, long[] addr) {
        String a = addrText(addr[0], addr[1], k.v6(), false);
        if (mangleSdp(k, sdpOff, Sdp.OWNER, Sdp.MEDIA, a) != 0) return k.drop("cannot mangle SDP message");
        mangleSdp(k, sdpOff, Sdp.CONNECTION, Sdp.MEDIA, a); // a missing session c= is fine (RFC 2327)
        if (!mangleContentLength(k)) return k.drop("cannot mangle SDP message");
        return true;
    }

    /**
     * nf_nat_sdp_media: the expectations move to the address the peer sees, redirected to the original; the port pair
     * is searched upward from the SDP's (by 2, until 65534) while it clashes; any other refusal (an identical
     * expectation of another master, a full table) ends the search: "all ports in use for SDP media".
     */
    static boolean natSdpMedia(SipHelperPacket k, Expectation rtpExp, Expectation rtcpExp, int mediaOff, int mediaLen, long[] addr) {
        long[] a = peerSees(k, rtpExp);
        long aHi = a[0], aLo = a[1];
        redirect(k, rtpExp, aHi, aLo);
        redirect(k, rtcpExp, aHi, aLo);
        addr[0] = aHi;
        addr[1] = aLo;
        int port;
        for (port = rtpExp.savedPort; port != 0 && port <= 65534; port += 2) {
            rtpExp.dstPort = port;
            int ret = k.c.expectRelated(rtpExp, true);
            if (ret == HelperContext.EBUSY) continue;
            if (ret < 0) {
                port = 0;
                break;
            }
            rtcpExp.dstPort = port + 1;
            ret = k.c.expectRelated(rtcpExp, true);
            if (ret == 0) break;
            k.c.removeExpectation(rtpExp);
            if (ret == HelperContext.EBUSY) continue;
            port = 0;
            break;
        }
        if (port == 0 || port > 65534) {
            k.c.drop("all ports in use for SDP media");
            return false;
        }
        if (port != rtpExp.savedPort && !natSdpPort(k, mediaOff, mediaLen, port)) {
            k.c.removeExpectation(rtpExp);
            k.c.removeExpectation(rtcpExp);
            k.c.drop("cannot mangle SDP message");
            return false;
        }
        return true;
    }
}
