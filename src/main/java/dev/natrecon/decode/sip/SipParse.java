package dev.natrecon.decode.sip;

import java.util.List;

/**
 * What one SIP-port payload (or one part of it) turned out to be: a parsed {@link Message}, a {@link Keepalive}
 * (RFC 5626 CRLF), a payload that is {@link NotSip} at all (STUN, NUL padding, "hello" datagrams, other protocols),
 * or a SIP message the parser {@link Rejected} — which keeps the raw start line and headers so it can still be
 * reported. {@code start} and {@code end} locate it in the payload given to {@link SipParser}.
 */
public sealed interface SipParse permits SipParse.Message, SipParse.Keepalive, SipParse.NotSip, SipParse.Rejected {
    enum Kind { MESSAGE, KEEPALIVE, NOT_SIP, REJECTED }

    Kind kind();

    int start();

    int end();

    /** The message, or null unless this is a {@link Message}. */
    default SipMessage messageOrNull() {
        return this instanceof Message m ? m.message() : null;
    }

    /** A message that parsed; it may still carry non-fatal issues ({@link SipMessage#issues()}). */
    record Message(SipMessage message) implements SipParse {
        @Override
        public Kind kind() {
            return Kind.MESSAGE;
        }

        @Override
        public int start() {
            return message.start();
        }

        @Override
        public int end() {
            return message.end();
        }
    }

    /** RFC 5626 §3.5.1 keep-alive: a client's ping is CRLFCRLF, the server's pong a single CRLF. */
    enum KeepaliveType { PING, PONG, OTHER_CRLF }

    record Keepalive(KeepaliveType type, int start, int end) implements SipParse {
        @Override
        public Kind kind() {
            return Kind.KEEPALIVE;
        }
    }

    /** Why a payload is not SIP. */
    enum NotSipType {
        EMPTY,
        /** Only zero bytes (some NATed phones send 4 NUL bytes as keep-alive). */
        NUL_BYTES,
        /** A STUN message (RFC 5389 magic cookie), e.g. an RFC 5626 STUN keep-alive on the SIP flow. */
        STUN,
        /** Spaces and tabs (with or without CR/LF): a vendor keep-alive that is not RFC 5626's CRLF. */
        WHITESPACE,
        /** Printable text whose first line is no SIP start line and with no SIP header in it ("hello", HTTP…). */
        TEXT,
        BINARY
    }

    record NotSip(NotSipType type, int start, int end) implements SipParse {
        @Override
        public Kind kind() {
            return Kind.NOT_SIP;
        }
    }

    /**
     * A SIP message that cannot be used as one: {@code anomaly} names why (start line, a core header, truncation),
     * {@code detail} says what was found. The raw start line, every header line that could be read, the raw header
     * block and all issues are kept so the message is still reportable.
     */
    record Rejected(SipAnomaly anomaly, String detail, Span startLine, List<SipHeader> headers, Span headerBlock,
            List<SipIssue> issues, int start, int end) implements SipParse {
        public Rejected {
            headers = List.copyOf(headers);
            issues = List.copyOf(issues);
        }

        @Override
        public Kind kind() {
            return Kind.REJECTED;
        }
    }
}
