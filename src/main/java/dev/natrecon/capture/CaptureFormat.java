package dev.natrecon.capture;

/** Container format of a capture file, as recognised from its magic number. */
public enum CaptureFormat {
    PCAP_MICROSECONDS("pcap"),
    PCAP_NANOSECONDS("pcap (nanosecond)"),
    PCAPNG("pcapng");

    private final String label;

    CaptureFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
