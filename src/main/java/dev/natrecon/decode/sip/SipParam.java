package dev.natrecon.decode.sip;

/** A {@code ;name[=value]} parameter of a URI, Via or address; {@code value} is null for a flag such as {@code ;rport}. */
public record SipParam(Span name, Span value) {
    public String nameText() {
        return name.text();
    }

    /** The value's text with surrounding double quotes removed, or null for a flag. */
    public String valueText() {
        if (value == null) return null;
        String v = value.text();
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') return v.substring(1, v.length() - 1);
        return v;
    }

    static SipParam find(java.util.List<SipParam> params, String name) {
        for (SipParam p : params) if (p.name.text().equalsIgnoreCase(name)) return p;
        return null;
    }
}
