package dev.natrecon.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.natrecon.decode.Addresses;
import dev.natrecon.testing.Frames;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binding table keeps at most its bound; packets of further flows are counted, not kept. */
class BindingBoundTest {
    static Seen translated(int host, long frame) {
        Seen s = new Seen();
        s.side = Side.LAN;
        s.key = 1;
        s.protocol = 17;
        s.srcLo = Addresses.v4(Frames.ip("192.168.1." + host));
        s.srcPort = 40000;
        s.dstLo = Addresses.v4(Frames.ip("198.51.100.7"));
        s.dstPort = 7000;
        s.counterpartFrame = frame;
        s.cpSrcHi = 0;
        s.cpSrcLo = Addresses.v4(Frames.ip("203.0.113.2"));
        s.cpSrcPort = 30000 + host;
        s.cpDstHi = 0;
        s.cpDstLo = Addresses.v4(Frames.ip("198.51.100.7"));
        s.cpDstPort = 7000;
        s.outcome = Outcome.TRANSLATED;
        s.frame = frame;
        s.length = 100;
        s.disposition = dev.natrecon.decode.Disposition.DECODED;
        return s;
    }

    @Test
    void flowsPastTheBoundAreCountedNotKept() {
        BindingTable t = new BindingTable(3);
        CrossingClassifier classifier = new CrossingClassifier(Inside.privateRanges(), List.of(), List.of("203.0.113.2"));
        Crossing c = new Crossing();
        for (int round = 0; round < 2; round++) {
            for (int h = 10; h < 15; h++) {
                classifier.classify(translated(h, h + round * 10), c);
                t.add(c);
            }
        }
        assertEquals(3, t.bindings().size());
        assertEquals(4, t.notKept(), "2 flows past the bound, 2 packets each");
        assertEquals(2, t.bindings().get(0).packets(Side.LAN, 0));
    }
}
