package dev.natrecon.engine;

/**
 * A packet whose payload the replay kept (SIP, and whatever uses the SIP ports), as it reached the router: the
 * payload it arrived with, what the model's helper made of it (null when no helper handled it) and what the other
 * capture shows leaving the router (null when it shows no copy), with each copy's addresses and ports.
 *
 * @param outbound         it crossed from the inside out ({@link dev.natrecon.correlate.Crossing#outbound()})
 * @param side             capture point of the arriving copy ("lan", "wan")
 * @param counterpartSide  capture point of the copy after the router, or null
 * @param tcp              carried over TCP (else UDP)
 * @param source           the arriving copy's source and destination as [hi, lo, port]
 * @param beforeSip        {@code before} as the detectors' parse read it ({@code SipParser.parse}, redacted), or null
 * @param observedSip      {@code observed} likewise, or null: handed to {@link dev.natrecon.decode.sip.SipParser#known}
 *                         on the SIP thread so that its consumers find the parse made once per copy
 */
public record SipPacket(long nanos, boolean outbound, String side, long frame, String counterpartSide, long counterpartFrame,
                        long counterpartNanos, boolean tcp, long[] source, long[] destination, long[] counterpartSource,
                        long[] counterpartDestination, byte[] before, byte[] predicted, byte[] observed,
                        dev.natrecon.decode.sip.SipParse beforeSip, dev.natrecon.decode.sip.SipParse observedSip) {
    /** The helper's rewrite equals the router's byte for byte (false when either is missing). */
    public boolean predictionHolds() {
        return predicted != null && observed != null && java.util.Arrays.equals(predicted, observed);
    }
}
