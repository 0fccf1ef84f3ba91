package dev.natrecon.alg.sip;

import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.HelperContext;
import dev.natrecon.conntrack.Status;
import dev.natrecon.decode.Addresses;

/**
 * One packet as nf_conntrack_sip.c and nf_nat_sip.c see it ({@link LinuxSipHelper}, {@link LinuxSipNat}): the
 * helper context, the message buffer, the packet's direction and the connection's tuples. {@code ct} is the model's
 * entry, or null when the helper runs on a connection given by its tuples only ({@link LinuxSipHelper#rewrite}).
 */
final class SipHelperPacket {
    /** struct nf_ct_sip_master */
    static final class Master {
        long registerCseq = -1, inviteCseq = -1;
        int forcedDport;
    }

    final HelperContext c;
    final ConntrackEntry ct;
    final int dir;
    final int protocol;
    final boolean expected;
    final String helper;
    final ConntrackTuple here, there; // tuplehash[dir], tuplehash[!dir]
    final Master info;
    final boolean nat;
    KernelSipText t;

    SipHelperPacket(HelperContext c) {
        this(c, c.entry(), c.entry().original(), c.entry().reply(), c.dir(),
                c.entry().has(Status.SRC_NAT | Status.DST_NAT), c.entry().has(Status.EXPECTED), c.entry().helper());
    }

    SipHelperPacket(HelperContext c, ConntrackEntry ct, ConntrackTuple original, ConntrackTuple reply, int dir,
                    boolean nat, boolean expected, String helper) {
        this.c = c;
        this.ct = ct;
        this.dir = dir;
        this.protocol = original.protocol();
        this.here = dir == 0 ? original : reply;
        this.there = dir == 0 ? reply : original;
        this.info = c.data(Master::new);
        this.nat = nat;
        this.expected = expected;
        this.helper = helper;
    }

    boolean v6() {
        return !Addresses.isV4(here.srcHi(), here.srcLo());
    }

    /** The helper gives up on the packet: NF_DROP with the reason the kernel logs. */
    boolean drop(String reason) {
        c.drop(reason);
        return false;
    }
}
