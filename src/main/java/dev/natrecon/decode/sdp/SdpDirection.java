package dev.natrecon.decode.sdp;

/** The RFC 4566/3264 direction attributes; {@link #SENDRECV} is the default when none is given. */
public enum SdpDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** The direction named by an attribute, or null if {@code name} is no direction attribute. */
    public static SdpDirection of(String name) {
        return switch (name) {
            case "sendrecv" -> SENDRECV;
            case "sendonly" -> SENDONLY;
            case "recvonly" -> RECVONLY;
            case "inactive" -> INACTIVE;
            default -> null;
        };
    }
}
