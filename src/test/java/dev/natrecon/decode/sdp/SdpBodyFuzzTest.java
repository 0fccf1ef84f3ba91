package dev.natrecon.decode.sdp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natrecon.FuzzContract;
import dev.natrecon.Touch;

/**
 * Fuzz target for the SDP parser: a body on its own, every accessor touched, and each media line's connection and
 * direction resolved as the media detector resolves them.
 */
class SdpBodyFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void body(byte[] body) {
        FuzzContract.run(() -> {
            SdpBody sdp = SdpBody.parse(body, 0, body.length);
            Touch.all(sdp);
            for (SdpMedia m : sdp.media()) {
                Touch.all(sdp.connectionOf(m));
                sdp.directionOf(m);
            }
            sdp.toString();
        });
    }
}
