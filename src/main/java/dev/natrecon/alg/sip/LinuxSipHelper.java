package dev.natrecon.alg.sip;

import dev.natrecon.alg.sip.KernelSipText.Header;
import dev.natrecon.alg.sip.KernelSipText.Sdp;
import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.Expectation;
import dev.natrecon.conntrack.ExpectedNat;
import dev.natrecon.conntrack.Helper;
import dev.natrecon.conntrack.HelperContext;
import dev.natrecon.conntrack.Timeouts;
import java.util.List;

/**
 * The Linux SIP helper as the model's {@link Helper}: nf_conntrack_sip.c (what it reads, the expectations it
 * creates and removes, its drops) and, for an entry with source or destination NAT, nf_nat_sip.c ({@link LinuxSipNat}:
 * how it rewrites the message and picks the ports of its expectations). Reference: ../shared/reference/linux-netfilter.md §7–8; the
 * lab is the judge where the two disagree.
 *
 * <p>What it does per packet with data ({@code sip_help_udp}, {@code sip_help_tcp}; the sip_timeout refresh through
 * {@link #timeoutSeconds}, which the model applies after the tracker): a response ("SIP/2.0 " in any case) goes by the CSeq method to the INVITE, UPDATE, PRACK or REGISTER
 * response handlers; a request by its method to INVITE (flush the media expectations, then SDP), UPDATE/ACK/PRACK
 * (SDP), BYE (flush) or REGISTER (the signalling expectation). SDP gives up to three media streams (audio, video,
 * image) an RTP and an RTCP expectation each. Then, behind NAT, the Request-URI, the top Via (with maddr, received,
 * rport), every Contact, From and To are mapped ({@code map_addr}), and SDP o=/c=/m= and Content-Length follow the
 * media choices. Over TCP each complete message of a segment is processed (a message needs Content-Length and an
 * empty line); a rewrite that changes the length shifts TCP sequence numbers, which the model does not track.
 *
 * <p>Where the kernel picks at random (a signalling expectation's port when the natural one is busy) the helper
 * takes the Contact port the router really wrote, when the other capture shows it, else the next free port upward.
 * UDP destination-port rewriting for "Cisco" phones (forced_dport in the reply direction) changes the packet header,
 * which the helper does not report; the payload rewrite is exact.
 */
public final class LinuxSipHelper implements Helper {
    /** sip_expectation_classes */
    static final int SIGNALLING = 0, AUDIO = 1, VIDEO = 2, IMAGE = 3;
    private static final List<ExpectPolicy> POLICIES = List.of(
            new ExpectPolicy("signalling", 1, 180), new ExpectPolicy("audio", 4, 180),
            new ExpectPolicy("video", 4, 180), new ExpectPolicy("image", 2, 180));
    private static final String[] MEDIA = {"audio ", "video ", "image "};
    private static final int TCP = ConntrackTuple.TCP, UDP = ConntrackTuple.UDP;

    private final String name;

    /** @param name "sip" for port 5060, "sip-N" for the others (nf_conntrack_helper.c:nf_ct_helper_init) */
    public LinuxSipHelper(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ExpectPolicy> policies() {
        return POLICIES;
    }

    /**
     * The helper's timeout policy: the master's timeout set to sip_timeout (module parameter, default 3600 s) over UDP
     * on every packet that carries data, whatever its direction and ctinfo (nf_conntrack_sip.c:sip_help_udp); over
     * TCP only on packets with data whose ctinfo is ESTABLISHED or ESTABLISHED_REPLY (sip_help_tcp), so a pure ACK
     * afterwards puts the tracker's value back (lab, sip-over-tcp: the established entry showed 431997 s in
     * conntrack -L). A UDP packet without data leaves the tracker's 30/120 s in place. An ICMP error about the
     * original direction counts as data (its ICMP header and quoted packet are more than a UDP header).
     */
    @Override
    public long timeoutSeconds(ConntrackEntry master, boolean established, boolean hasData, Timeouts settings) {
        return refreshSeconds(master.original().protocol(), established, hasData, settings);
    }

    /**
     * {@link #timeoutSeconds}'s policy for an entry of {@code protocol} (6 TCP, 17 UDP) the helper is attached to,
     * without the entry: also what a table built from one capture applies ({@code engine.OneSideTable}), so the two
     * cannot drift apart. -1: the tracker's timeout stays.
     */
    public static long refreshSeconds(int protocol, boolean established, boolean hasData, Timeouts settings) {
        if (!hasData) return -1;
        return protocol == UDP || protocol == TCP && established ? settings.seconds(Timeouts.Key.SIP_TIMEOUT) : -1;
    }

    /** sip_timeout (nf_conntrack_sip.c module parameter): what {@link #timeoutSeconds} sets. */
    @Override
    public Timeouts.Key timeoutSetting() {
        return Timeouts.Key.SIP_TIMEOUT;
    }

    /**
     * nf_nat_sip.c:nf_nat_sip_expected, for an expectation the NAT side redirected ({@link Expectation#natRedirect}):
     * DST to the saved address and port; SRC, for a media stream, to the destination of the paired expectation (the
     * master's expectation whose saved address and port are the new connection's source), else to where the master
     * sends, when the connection comes from the master's source.
     */
    @Override
    public ExpectedNat expected(Expectation x, ConntrackTuple tuple) {
        if (!x.natRedirect) return null;
        ExpectedNat dst = ExpectedNat.destination(x.savedHi, x.savedLo, x.savedPort);
        ConntrackEntry m = x.master();
        if (x.klass != SIGNALLING) {
            for (Expectation pair : m.expecting()) {
                if (pair.protocol == tuple.protocol() && pair.natRedirect && pair.savedHi == tuple.srcHi()
                        && pair.savedLo == tuple.srcLo() && pair.savedPort == tuple.srcPort()) {
                    return dst.withSource(pair.dstHi, pair.dstLo, pair.dstPort);
                }
            }
        }
        ConntrackTuple from = x.dir == 0 ? m.original() : m.reply(), to = x.dir == 0 ? m.reply() : m.original();
        if (tuple.srcHi() == from.srcHi() && tuple.srcLo() == from.srcLo()) {
            return dst.withSource(to.dstHi(), to.dstLo(), -1); // NF_NAT_RANGE_MAP_IPS only: the port is kept when free
        }
        return dst;
    }


    @Override
    public boolean help(HelperContext c) {
        byte[] payload = c.payload();
        if (payload == null || payload.length == 0) return true;
        return help(new SipHelperPacket(c), payload);
    }

    /**
     * The same processing for a connection given by its tuples alone, outside the model (no entry: {@code c.entry()}
     * is not read): what this helper writes into one message of a connection whose original and reply tuples are
     * {@code original} and {@code reply}, arriving in direction {@code dir}, with NAT when {@code nat}. The result, as
     * for the model, goes to {@code c.rewrite}; a drop to {@code c.drop}. The rewrite analysis uses it for a message no
     * model helper handled ({@link LinuxSipPrediction}).
     */
    boolean rewrite(HelperContext c, ConntrackTuple original, ConntrackTuple reply, int dir, boolean nat) {
        byte[] payload = c.payload();
        if (payload == null || payload.length == 0) return true;
        return help(new SipHelperPacket(c, null, original, reply, dir, nat, false, name), payload);
    }

    private boolean help(SipHelperPacket k, byte[] payload) {
        HelperContext c = k.c;
        if (k.protocol == TCP) return helpTcp(k, payload);
        if (payload.length < "SIP/2.0 200".length()) return true;
        k.t = new KernelSipText(payload.clone(), payload.length, k.v6());
        boolean ok = processSipMsg(k);
        if (k.t.len != payload.length || !java.util.Arrays.equals(k.t.b, 0, k.t.len, payload, 0, payload.length)) {
            c.rewrite(java.util.Arrays.copyOf(k.t.b, k.t.len));
        }
        return ok;
    }

    /** sip_help_tcp: only on an established connection; every complete message of the segment in turn. */
    private boolean helpTcp(SipHelperPacket k, byte[] payload) {
        if (!k.c.established()) return true;
        if (payload.length < "SIP/2.0 200".length()) return true;
        byte[] out = new byte[0];
        int off = 0;
        boolean ok = true;
        boolean changed = false;
        while (true) {
            int datalen = payload.length - off;
            KernelSipText t = new KernelSipText(java.util.Arrays.copyOfRange(payload, off, payload.length), datalen, k.v6());
            if (t.getHeader(0, datalen, Header.CONTENT_LENGTH) <= 0) break;
            long clen = t.strtoul(t.matchOff, datalen);
            if (t.end == t.matchOff) break;
            int e = t.end;
            boolean term = false;
            for (; e + 4 <= datalen; e++) {
                if (t.b[e] == '\r' && t.b[e + 1] == '\n' && t.b[e + 2] == '\r' && t.b[e + 3] == '\n') {
                    term = true;
                    break;
                }
            }
            if (!term) break;
            long msgLen = (long) e + 4 + clen;
            if (msgLen > datalen) break;
            KernelSipText msg = new KernelSipText(java.util.Arrays.copyOf(t.b, (int) msgLen), (int) msgLen, k.v6());
            k.t = msg;
            ok = processSipMsg(k);
            if (!ok) break;
            if (msg.len != msgLen || !java.util.Arrays.equals(msg.b, 0, msg.len, payload, off, off + (int) msgLen)) changed = true;
            out = concat(out, msg.b, msg.len);
            off += (int) msgLen;
        }
        if (ok && changed) {
            k.c.rewrite(concat(out, java.util.Arrays.copyOfRange(payload, off, payload.length),
                    payload.length - off));
        }
        return ok;
    }

    private static byte[] concat(byte[] a, byte[] b, int n) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + n);
        System.arraycopy(b, 0, r, a.length, n);
        return r;
    }

    /** process_sip_msg: the request or response handlers, then nf_nat_sip behind NAT. */
    private boolean processSipMsg(SipHelperPacket k) {
        boolean ok = k.t.startsWithAt(0, "SIP/2.0 ") ? processResponse(k) : processRequest(k);
        if (ok && k.nat && !LinuxSipNat.natSip(k)) {
            k.c.drop("cannot NAT SIP message");
            return false;
        }
        return ok;
    }

    private static boolean drop(SipHelperPacket k, String reason) {
        return k.drop(reason);
    }

    /** process_sip_request */
    private boolean processRequest(SipHelperPacket k) {
        KernelSipText t = k.t;
        // "Cisco" phones: a top Via with the sender's address but another port is where replies go (forced_dport)
        if (t.parseHeaderUri(Header.VIA_UDP, false) > 0 && t.port != k.here.srcPort() && t.addrHi == k.here.srcHi()
                && t.addrLo == k.here.srcLo()) {
            k.info.forcedDport = t.port;
        }
        for (String method : new String[] {"INVITE", "UPDATE", "ACK", "PRACK", "BYE", "REGISTER"}) {
            int n = method.length();
            if (t.len < n + 2 || !t.startsWithAt(0, method)) continue;
            if (t.b[n] != ' ' || !Character.isLetter(t.b[n + 1])) continue;
            if (t.getHeader(0, t.len, Header.CSEQ) <= 0) return drop(k, "cannot parse cseq");
            long cseq = t.strtoul(t.matchOff, t.len);
            if (cseq == 0 && t.b[t.matchOff] != '0') return drop(k, "cannot get cseq");
            return switch (method) {
                case "INVITE" -> {
                    flushExpectations(k, true);
                    boolean ok = processSdp(k);
                    if (ok) k.info.inviteCseq = cseq;
                    yield ok;
                }
                case "UPDATE", "ACK", "PRACK" -> processSdp(k);
                case "BYE" -> {
                    flushExpectations(k, true);
                    yield true;
                }
                default -> processRegisterRequest(k, cseq);
            };
        }
        return true;
    }

    /** process_sip_response */
    private boolean processResponse(SipHelperPacket k) {
        KernelSipText t = k.t;
        if (t.len < "SIP/2.0 200".length()) return true;
        long code = t.strtoul(8, t.len);
        if (code == 0) return drop(k, "cannot get code");
        if (t.getHeader(0, t.len, Header.CSEQ) <= 0) return drop(k, "cannot parse cseq");
        long cseq = t.strtoul(t.matchOff, t.len);
        if (cseq == 0 && t.b[t.matchOff] != '0') return drop(k, "cannot get cseq");
        int matchEnd = t.matchOff + t.matchLen + 1;
        for (String method : new String[] {"INVITE", "UPDATE", "PRACK", "REGISTER"}) {
            if (t.len < matchEnd + method.length() || !t.startsWithAt(matchEnd, method)) continue;
            if (method.equals("REGISTER")) return processRegisterResponse(k, cseq, code);
            // process_invite/update/prack_response
            if (code >= 100 && code <= 299) return processSdp(k);
            if (k.info.inviteCseq == cseq) flushExpectations(k, true);
            return true;
        }
        return true;
    }

    /** flush_expectations: all media expectations, or the first signalling one. */
    private void flushExpectations(SipHelperPacket k, boolean media) {
        for (Expectation x : k.c.expectations()) {
            if ((x.klass != SIGNALLING) != media) continue;
            if (!k.c.removeExpectation(x)) continue;
            if (!media) break;
        }
    }

    /** process_register_request: a PERMANENT, INACTIVE signalling expectation towards the Contact. */
    private boolean processRegisterRequest(SipHelperPacket k, long cseq) {
        if (k.expected) return true;
        KernelSipText t = k.t;
        long expires = 0;
        if (t.getHeader(0, t.len, Header.EXPIRES) > 0) expires = t.strtoul(t.matchOff, t.len);
        int ret = t.parseHeaderUri(Header.CONTACT, false);
        if (ret < 0) return drop(k, "cannot parse contact");
        if (ret == 0) return true;
        int mOff = t.matchOff, mLen = t.matchLen;
        long dHi = t.addrHi, dLo = t.addrLo;
        int dPort = t.port;
        if (dHi != k.here.srcHi() || dLo != k.here.srcLo()) return true; // no third-party registrations
        int proto = t.parseTransport(mOff + mLen, k.protocol);
        if (proto < 0) return true;
        int p = t.parseNumericalParam(mOff + mLen, "expires=");
        if (p < 0) return drop(k, "cannot parse expires");
        if (p > 0) expires = t.value;
        if (expires == 0) {
            k.info.registerCseq = cseq;
            return true;
        }
        boolean direct = k.c.setting(Timeouts.Key.SIP_DIRECT_SIGNALLING) != 0;
        Expectation exp = new Expectation(k.ct, SIGNALLING, "signalling", proto, !direct, k.there.srcHi(),
                k.there.srcLo(), dHi, dLo, dPort, k.helper);
        exp.flags = Expectation.PERMANENT | Expectation.INACTIVE;
        boolean ok;
        if (k.nat) {
            ok = LinuxSipNat.natSipExpect(k, exp, mOff, mLen);
        } else {
            ok = k.c.expectRelated(exp, false) == 0;
            if (!ok) k.c.drop("cannot add expectation");
        }
        if (ok) k.info.registerCseq = cseq;
        return ok;
    }

    /** process_register_response: a 2xx activates the signalling expectation with the granted expiry. */
    private boolean processRegisterResponse(SipHelperPacket k, long cseq, long code) {
        if (k.info.registerCseq != cseq) return true;
        if (code >= 100 && code <= 199) return true;
        if (code >= 200 && code <= 299) {
            KernelSipText t = k.t;
            long expires = 0;
            if (t.getHeader(0, t.len, Header.EXPIRES) > 0) expires = t.strtoul(t.matchOff, t.len);
            t.dataOff = 0;
            t.inHeader = false;
            while (true) {
                long cExpires = expires;
                int ret = t.parseHeaderUri(Header.CONTACT, true);
                if (ret < 0) return drop(k, "cannot parse contact");
                if (ret == 0) break;
                if (t.addrHi != k.here.dstHi() || t.addrLo != k.here.dstLo()) continue;
                long aHi = t.addrHi, aLo = t.addrLo;
                int aPort = t.port;
                int mOff = t.matchOff, mLen = t.matchLen;
                int proto = t.parseTransport(mOff + mLen, k.protocol);
                if (proto < 0) continue;
                int p = t.parseNumericalParam(mOff + mLen, "expires=");
                if (p < 0) return drop(k, "cannot parse expires");
                if (p > 0) cExpires = t.value;
                if (cExpires == 0) break;
                for (Expectation x : k.c.expectations()) {
                    if (x.klass != SIGNALLING || x.dstHi != aHi || x.dstLo != aLo || x.protocol != proto
                            || x.dstPort != aPort) {
                        continue;
                    }
                    if (k.c.refreshExpectation(x, cExpires)) return true;
                }
            }
        }
        flushExpectations(k, false);
        return true;
    }

    /** process_sdp: media expectations from the SDP, then (behind NAT) the session's o= and c=. */
    private boolean processSdp(SipHelperPacket k) {
        KernelSipText t = k.t;
        if (t.getSdpHeader(0, Sdp.VERSION, Sdp.UNSPEC) <= 0) return true;
        int sdpOff = t.matchOff;
        long cHi = 0, cLo = 0;
        boolean caddr = false;
        if (t.parseSdpAddr(sdpOff, Sdp.CONNECTION, Sdp.MEDIA) > 0) {
            caddr = true;
            cHi = t.addrHi;
            cLo = t.addrLo;
        }
        long[] rtp = null;
        int mediaOff = sdpOff;
        for (int i = 0; i < MEDIA.length; ) {
            if (t.getSdpHeader(mediaOff, Sdp.MEDIA, Sdp.UNSPEC) <= 0) break;
            mediaOff = t.matchOff;
            int mediaLen = t.matchLen;
            int klass = -1, typeLen = 0;
            for (int m = 0; m < MEDIA.length; m++) {
                if (mediaLen >= MEDIA[m].length() && t.startsWithCaseSensitive(mediaOff, MEDIA[m])) {
                    klass = m + 1;
                    typeLen = MEDIA[m].length();
                    break;
                }
            }
            if (klass < 0) {
                mediaOff += mediaLen;
                continue;
            }
            mediaOff += typeLen;
            mediaLen -= typeLen;
            long port = t.strtoul(mediaOff, t.len);
            if (port == 0) continue;
            if (port < 1024 || port > 65535) return drop(k, "wrong port " + port);
            boolean maddr = false;
            long[] addr;
            if (t.parseSdpAddr(mediaOff, Sdp.CONNECTION, Sdp.MEDIA) > 0) {
                maddr = true;
                addr = new long[] {t.addrHi, t.addrLo};
            } else if (caddr) {
                addr = new long[] {cHi, cLo};
            } else {
                return drop(k, "cannot parse SDP message");
            }
            if (!setExpectedRtpRtcp(k, addr, (int) port, klass, mediaOff, mediaLen)) {
                k.c.drop("cannot add expectation for voice");
                return false;
            }
            rtp = addr;
            if (maddr && k.nat && !LinuxSipNat.natSdpAddr(k, mediaOff, Sdp.CONNECTION, Sdp.MEDIA, addr)) {
                return drop(k, "cannot mangle SDP");
            }
            i++;
        }
        // with no usable stream the kernel's nf_nat_sdp_session writes an uninitialised rtp_addr: the model leaves the
        // session lines alone there
        return !k.nat || rtp == null || LinuxSipNat.natSdpSession(k, sdpOff, rtp);
    }

    /**
     * set_expected_rtp_rtcp: RTP on the even port and RTCP on the next, from the other signalling peer (with
     * sip_direct_media, and only when the SDP address is the sender's). {@code addr} comes back as the media address
     * written into the SDP (nf_nat_sdp_media changes it behind NAT).
     */
    private boolean setExpectedRtpRtcp(SipHelperPacket k, long[] addr, int port, int klass, int mediaOff, int mediaLen) {
        boolean direct = k.c.setting(Timeouts.Key.SIP_DIRECT_MEDIA) != 0;
        boolean srcAny = true;
        long sHi = 0, sLo = 0;
        if (direct) {
            if (addr[0] != k.here.srcHi() || addr[1] != k.here.srcLo()) return true;
            srcAny = false;
            sHi = k.there.srcHi();
            sLo = k.there.srcLo();
        }
        // the same media seen on another master: a NATed pair behind the same router talks directly (direct RTP)
        long tHi = addr[0], tLo = addr[1];
        int tPort = port;
        boolean directRtp = false, skip = false;
        do {
            Expectation x = k.c.findExpectation(UDP, srcAny, sHi, sLo, tHi, tLo, tPort);
            if (x == null || x.master() == k.ct || !k.helper.equals(x.master().helper()) || x.klass != klass) break;
            if (!directRtp && x.natRedirect && (x.savedHi != x.dstHi || x.savedLo != x.dstLo || x.savedPort != x.dstPort)
                    && k.nat) {
                addr[0] = x.savedHi;
                addr[1] = x.savedLo;
                tHi = x.savedHi;
                tLo = x.savedLo;
                tPort = x.savedPort;
                directRtp = true;
            } else {
                skip = true;
            }
        } while (!skip);
        int base = tPort & ~1;
        if (directRtp && !LinuxSipNat.natSdpPort(k, mediaOff, mediaLen, base)) return false;
        if (skip) return true;
        Expectation rtpExp = new Expectation(k.ct, klass, POLICIES.get(klass).name(), UDP, srcAny, sHi, sLo, addr[0],
                addr[1], base, null);
        Expectation rtcpExp = new Expectation(k.ct, klass, POLICIES.get(klass).name(), UDP, srcAny, sHi, sLo, addr[0],
                addr[1], base + 1, null);
        if (k.nat && !directRtp) return LinuxSipNat.natSdpMedia(k, rtpExp, rtcpExp, mediaOff, mediaLen, addr);
        int errp = k.c.expectRelated(rtpExp, true);
        if (errp == 0 || errp == HelperContext.EALREADY) {
            int errcp = k.c.expectRelated(rtcpExp, true);
            if (errcp == 0 || errcp == HelperContext.EALREADY) return true;
            if (errp == 0) k.c.removeExpectation(rtpExp);
        }
        return false;
    }

}