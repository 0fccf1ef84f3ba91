package dev.natrecon.decode.sip;

import java.util.List;
import java.util.Locale;

/**
 * One Via value ({@code SIP/2.0/UDP host:port;params}); {@code header} is the index of the header line it came from
 * in {@link SipMessage#headers()}, so several Via values on one line share it.
 */
public record SipVia(int header, Span text, Span protocol, String transport, Span host, Span port, List<SipParam> params) {
    public SipVia {
        params = List.copyOf(params);
    }

    /** The sent-by port as a number, or -1 when absent (5060 is implied then) or invalid. */
    public int portNumber() {
        return Grammar.portValue(port);
    }

    /** Sent-by host without IPv6 brackets. */
    public String hostAddress() {
        return host == null ? null : Grammar.unbracket(host.text());
    }

    public String transportUpper() {
        return transport.toUpperCase(Locale.ROOT);
    }

    /** The span of parameter {@code name}'s value, or null when absent or a flag. */
    public Span paramValue(String name) {
        SipParam p = SipParam.find(params, name);
        return p == null ? null : p.value();
    }

    public boolean hasParam(String name) {
        return SipParam.find(params, name) != null;
    }

    public Span branch() {
        return paramValue("branch");
    }

    public Span received() {
        return paramValue("received");
    }

    public Span maddr() {
        return paramValue("maddr");
    }

    /** True when {@code rport} is present, with or without a value. */
    public boolean hasRport() {
        return hasParam("rport");
    }

    /** The rport value's span, or null when absent or given as a bare flag. */
    public Span rport() {
        return paramValue("rport");
    }

    /** The rport value, or -1 when absent, a flag, or invalid. */
    public int rportNumber() {
        return Grammar.portValue(rport());
    }
}
