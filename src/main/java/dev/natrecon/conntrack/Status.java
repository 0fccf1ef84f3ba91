package dev.natrecon.conntrack;

/**
 * Entry status bits with the kernel's bit numbers (include/uapi/linux/netfilter/nf_conntrack_common.h, enum
 * ip_conntrack_status), so a value can be compared with {@code conntrack -o save}'s {@code -u} list.
 */
public final class Status {
    private Status() {
    }

    public static final int EXPECTED = 1;
    public static final int SEEN_REPLY = 1 << 1;
    public static final int ASSURED = 1 << 2;
    public static final int CONFIRMED = 1 << 3;
    public static final int SRC_NAT = 1 << 4;
    public static final int DST_NAT = 1 << 5;
    public static final int SRC_NAT_DONE = 1 << 7;
    public static final int DST_NAT_DONE = 1 << 8;
    public static final int FIXED_TIMEOUT = 1 << 10;
    public static final int HELPER = 1 << 13;

    public static boolean has(int status, int bit) {
        return (status & bit) != 0;
    }

    /** "SEEN_REPLY,ASSURED,CONFIRMED" in bit order, for messages. */
    public static String names(int status) {
        String[] n = {"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT", "DST_NAT", null, "SRC_NAT_DONE",
                "DST_NAT_DONE", null, "FIXED_TIMEOUT", null, null, "HELPER"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n.length; i++) {
            if (n[i] != null && (status & (1 << i)) != 0) sb.append(sb.isEmpty() ? "" : ",").append(n[i]);
        }
        return sb.toString();
    }
}
