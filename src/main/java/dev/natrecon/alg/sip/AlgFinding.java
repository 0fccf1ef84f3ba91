package dev.natrecon.alg.sip;

import java.util.List;

/**
 * One finding of the rewrite analysis: its type (stable id {@link #id()}), the fields it is about (names as in
 * {@link SipRewriteDiff}, e.g. {@code contact[0].host}, {@code sdp.media[0].port}; a whole header line is named by its
 * header, {@code user-agent} or {@code via[0]}, rather than by its position), the frames of both copies and a sentence
 * with the values.
 */
public record AlgFinding(AlgFindingType type, List<String> fields, List<FrameRef> frames, String detail) {
    public AlgFinding {
        fields = List.copyOf(fields);
        frames = List.copyOf(frames);
    }

    public String id() {
        return type.id();
    }

    /** {@code id(field, field)}, the compact form used in CSV cells. */
    public String render() {
        return fields.isEmpty() ? id() : id() + "(" + String.join(",", fields) + ")";
    }

    /** Findings as {@code id(field,field); id…}, the findings cell of a CSV row. */
    public static String render(List<AlgFinding> findings) {
        StringBuilder sb = new StringBuilder();
        for (AlgFinding f : findings) sb.append(sb.length() == 0 ? "" : "; ").append(f.render());
        return sb.toString();
    }

    @Override
    public String toString() {
        return render() + " " + frames + (detail.isEmpty() ? "" : ": " + detail);
    }
}
