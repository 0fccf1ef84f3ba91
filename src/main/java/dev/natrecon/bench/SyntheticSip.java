package dev.natrecon.bench;

/**
 * SIP text for the synthetic captures: the message builder and the simulated router's SIP helper (ALG) rewrites,
 * outbound (private address:port in Via and Contact, private address in SDP o=/c=) and inbound (external address:port
 * back in the Request-URI, Via with rport, Contact, From, To), with Content-Length fixed. A bench fixture's own
 * simplified rules, not the Linux helper (that is {@code alg.sip.LinuxSipHelper}).
 */
final class SyntheticSip {
    private SyntheticSip() {
    }

    /** Outbound rewrite: private address:port in Via and Contact, private address in SDP o= and c=. */
    static String algOutbound(String text, String privateHostPort, String externalHostPort, String privateAddress) {
        int split = text.indexOf("\r\n\r\n");
        String[] head = text.substring(0, split).split("\r\n", -1);
        String body = text.substring(split + 4);
        for (int i = 1; i < head.length; i++) {
            String name = headerName(head[i]);
            if (name.equals("via") || name.equals("v") || name.equals("contact") || name.equals("m")) {
                head[i] = head[i].replace(privateHostPort, externalHostPort);
            }
        }
        if (!body.isEmpty()) {
            String[] lines = body.split("\r\n", -1);
            String external = externalHostPort.substring(0, externalHostPort.indexOf(':'));
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith("o=") || lines[i].startsWith("c=")) lines[i] = lines[i].replace(privateAddress, external);
            }
            body = String.join("\r\n", lines);
        }
        return withContentLength(head, body);
    }

    /** Inbound rewrite: external address:port back to the private one in the Request-URI, Via, Contact, From, To. */
    static String algInbound(String text, String privateHostPort, String externalHostPort, int externalPort) {
        int split = text.indexOf("\r\n\r\n");
        String[] head = text.substring(0, split).split("\r\n", -1);
        String body = text.substring(split + 4);
        if (!head[0].startsWith("SIP/2.0")) head[0] = head[0].replace(externalHostPort, privateHostPort);
        String privatePort = privateHostPort.substring(privateHostPort.indexOf(':') + 1);
        for (int i = 1; i < head.length; i++) {
            String name = headerName(head[i]);
            switch (name) {
                case "via", "v" -> head[i] = head[i].replace(externalHostPort, privateHostPort)
                        .replace(";rport=" + externalPort, ";rport=" + privatePort);
                case "contact", "m", "from", "f", "to", "t" -> head[i] = head[i].replace(externalHostPort, privateHostPort);
                default -> {
                }
            }
        }
        return withContentLength(head, body);
    }

    private static String headerName(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static String withContentLength(String[] head, String body) {
        StringBuilder sb = new StringBuilder(512 + body.length());
        for (String h : head) {
            String name = headerName(h);
            if (name.equals("content-length") || name.equals("l")) {
                sb.append(h, 0, h.indexOf(':') + 1).append(' ').append(body.length());
            } else {
                sb.append(h);
            }
            sb.append("\r\n");
        }
        return sb.append("\r\n").append(body).toString();
    }

    /** A SIP message: start line, headers (nulls skipped), Content-Length last, blank line, body. */
    static String sip(String startLine, String body, String... headers) {
        StringBuilder sb = new StringBuilder(640 + body.length()).append(startLine).append("\r\n");
        for (String h : headers) if (h != null) sb.append(h).append("\r\n");
        return sb.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body).toString();
    }
}
