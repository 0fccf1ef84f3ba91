package dev.natrecon.engine;

import dev.natrecon.decode.Packet;
import java.util.Arrays;
import java.util.Locale;

/**
 * The link-layer groups of a Linux cooked v1 capture ({@code tcpdump -i any}, linktype 113), which records no
 * interface index: frames are grouped by the one link-layer address the SLL header carries and by whether the
 * router sent them. For a frame the router received that address is the sender's (a neighbour on one link), for a
 * frame it sent it is the router's own address on the sending interface (see {@code packet_rcv} in the kernel's
 * {@code net/packet/af_packet.c}: {@code sll_addr} comes from {@code dev_parse_header}, the frame's source). Each group
 * therefore lies on one link as long as no two interfaces share a MAC address. Frames without an address (PPP, tun)
 * are grouped by their ARPHRD type instead.
 *
 * <p>Groups get dense indexes in the order they first appear. Lookups are allocation-free (open addressing over
 * primitive arrays). At most {@link #MAX_GROUPS} groups are kept, so memory stays bounded whatever the input holds;
 * frames of further groups get {@link #NONE}.
 */
final class CookedLinkGroups {
    /** Group of a frame that has no group (table full, or not a cooked v1 frame). */
    static final int NONE = -1;
    /**
     * Link-layer groups kept. A router has a handful of interfaces and each link a handful of neighbours; a capture with
     * more distinct senders than this is not one router's {@code -i any}, and its extra groups stay "side unknown".
     */
    static final int MAX_GROUPS = 1024;
    /** {@code PACKET_OUTGOING} in linux/if_packet.h: the frame was sent by the capturing host. */
    static final int PACKET_OUTGOING = 4;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final long SENT_BIT = 1L << 48;
    private static final long NO_ADDRESS_BIT = 1L << 62;

    private final long[] slots = new long[MAX_GROUPS * 2];
    private final int[] slotGroup = new int[MAX_GROUPS * 2];
    private final long[] keyOf = new long[MAX_GROUPS];
    private final int[] hatypeOf = new int[MAX_GROUPS];
    private int size;

    CookedLinkGroups() {
        Arrays.fill(slots, EMPTY);
    }

    /** The group of a decoded cooked v1 frame, creating it on first sight; {@link #NONE} when the table is full. */
    int group(Packet p) {
        long key = key(p);
        int i = slot(key);
        if (slots[i] == key) return slotGroup[i];
        if (size == MAX_GROUPS) return NONE;
        slots[i] = key;
        slotGroup[i] = size;
        keyOf[size] = key;
        hatypeOf[size] = p.sllHatype;
        return size++;
    }

    /** The group of a frame seen before, without creating one ({@link #NONE} if unknown). */
    int find(Packet p) {
        long key = key(p);
        int i = slot(key);
        return slots[i] == key ? slotGroup[i] : NONE;
    }

    int size() {
        return size;
    }

    /** Whether the group's frames were sent by the router (its own address on that link). */
    boolean sent(int group) {
        long key = keyOf[group];
        return (key & NO_ADDRESS_BIT) != 0 ? (key & 1) != 0 : (key & SENT_BIT) != 0;
    }

    int hatype(int group) {
        return hatypeOf[group];
    }

    /** "frames received from 02:4e:52:01:00:0a" / "frames sent from ..." / "frames sent on an ARPHRD 512 link". */
    String describe(int group) {
        long key = keyOf[group];
        String frames = sent(group) ? "frames sent" : "frames received";
        if ((key & NO_ADDRESS_BIT) != 0) {
            return frames + " on a link without addresses (ARPHRD " + hatypeOf[group] + ")";
        }
        return frames + " from " + mac(key & 0xffff_ffff_ffffL);
    }

    static String mac(long m) {
        return String.format(Locale.ROOT, "%02x:%02x:%02x:%02x:%02x:%02x", m >>> 40 & 0xff, m >>> 32 & 0xff,
                m >>> 24 & 0xff, m >>> 16 & 0xff, m >>> 8 & 0xff, m & 0xff);
    }

    private static long key(Packet p) {
        boolean sent = p.sllPacketType == PACKET_OUTGOING;
        if (p.srcMac >= 0) return p.srcMac | (sent ? SENT_BIT : 0);
        return NO_ADDRESS_BIT | (long) (p.sllHatype & 0xffff) << 1 | (sent ? 1 : 0);
    }

    private int slot(long key) {
        int mask = slots.length - 1;
        int i = (int) (key * 0x9E3779B97F4A7C15L >>> 40) & mask;
        while (slots[i] != EMPTY && slots[i] != key) i = (i + 1) & mask;
        return i;
    }
}
