package dev.natrecon.decode.sip;

/** The CSeq header: sequence number and method. */
public record SipCSeq(Span text, Span number, long sequence, Span method) {
    public String methodName() {
        return method.text();
    }
}
