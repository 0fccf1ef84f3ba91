package dev.natrecon.capture;

/**
 * An interface as a capture file describes it: a pcapng Interface Description Block, or the single implicit interface
 * of a classic pcap file.
 *
 * @param id          0-based interface id within the file (pcapng interfaces of later sections continue the count)
 * @param linkType    LINKTYPE_* value
 * @param snapLength  snap length, 0 when unlimited
 * @param name        {@code if_name} option, or {@code null}
 * @param description {@code if_description} option, or {@code null}
 * @param ticksPerSecond timestamp resolution ({@code if_tsresol}); 1e6 by default
 */
public record CaptureInterface(int id, int linkType, int snapLength, String name, String description,
                               long ticksPerSecond) {
    /** Name to show a person: the IDB name, else its description, else {@code if<id>}. */
    public String displayName() {
        if (name != null && !name.isEmpty()) return name;
        if (description != null && !description.isEmpty()) return description;
        return "if" + id;
    }
}
