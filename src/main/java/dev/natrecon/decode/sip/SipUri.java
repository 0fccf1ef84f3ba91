package dev.natrecon.decode.sip;

import java.util.List;
import java.util.Locale;

/**
 * A URI as written: for {@code sip:}/{@code sips:} the user part, host (an IPv6 reference keeps its brackets), port
 * and {@code ;params}; for other schemes ({@code tel:}, {@code urn:}…) only the text and scheme, with host null.
 */
public record SipUri(Span text, String scheme, Span user, Span host, Span port, List<SipParam> params) {
    public SipUri {
        params = List.copyOf(params);
    }

    public boolean isSip() {
        return scheme.equals("sip") || scheme.equals("sips");
    }

    /** The port as a number, or -1 when absent or not a valid port. */
    public int portNumber() {
        return Grammar.portValue(port);
    }

    /** The host without IPv6 brackets, or null. */
    public String hostAddress() {
        return host == null ? null : Grammar.unbracket(host.text());
    }

    /** The value of parameter {@code name} (case-insensitive), or null; a flag parameter gives "". */
    public String param(String name) {
        SipParam p = SipParam.find(params, name);
        return p == null ? null : p.value() == null ? "" : p.valueText();
    }

    /** The {@code transport=} parameter in lower case, or null. */
    public String transport() {
        String t = param("transport");
        return t == null ? null : t.toLowerCase(Locale.ROOT);
    }
}
