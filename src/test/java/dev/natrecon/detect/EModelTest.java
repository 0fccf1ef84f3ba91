package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EModelTest {
    @Test
    void defaultParametersGiveR93Point2() {
        // G.107 §7.7: all parameters at their defaults (Table 2) give R = 93.2
        assertEquals(93.2, EModel.r(EModel.Codec.G711_PLC, 0, 0), 0.05);
    }

    @Test
    void annexBMosFromR() {
        // G.107 Annex B (B-4): R 93.2 is MOS 4.41; R 50 is 2.58; limits 1 and 4.5
        assertEquals(4.41, EModel.mos(93.2), 0.005);
        assertEquals(2.575, EModel.mos(50), 0.001);
        assertEquals(1.0, EModel.mos(-3), 0);
        assertEquals(4.5, EModel.mos(101), 0);
    }

    @Test
    void effectiveEquipmentImpairmentAsFormula7_29() {
        // G.729A+VAD (Ie 11, Bpl 19) at 2 % random loss: 11 + 84 * 2 / 21 = 19.0
        assertEquals(19.0, EModel.ieEff(11, 19, 2, 1), 1e-9);
        // G.711 with PLC (Bpl 25.1) at 5 %: 95 * 5 / 30.1 = 15.78
        assertEquals(15.78, EModel.ieEff(0, 25.1, 5, 1), 0.005);
        // bursty loss weighs more: BurstR 2 at 5 % gives 95 * 5 / 27.6
        assertEquals(95 * 5 / 27.6, EModel.ieEff(0, 25.1, 5, 2), 1e-9);
        // G.711 without PLC suffers much more from the same loss than with it
        assertTrue(EModel.r(EModel.Codec.G711, 2, 0) < EModel.r(EModel.Codec.G711_PLC, 2, 0) - 10);
    }

    @Test
    void codecImpairmentLowersRByIe() {
        assertEquals(93.2 - 11, EModel.r(EModel.Codec.G729, 0, 0), 0.05);
        assertEquals(93.2 - 15, EModel.r(EModel.Codec.G723, 0, 0), 0.05);
    }

    @Test
    void absoluteDelayCountsOnlyPast100Ms() {
        double r50 = EModel.r(EModel.Codec.G711_PLC, 0, 50), r100 = EModel.r(EModel.Codec.G711_PLC, 0, 100);
        double r200 = EModel.r(EModel.Codec.G711_PLC, 0, 200), r400 = EModel.r(EModel.Codec.G711_PLC, 0, 400);
        // Idd is 0 up to Ta = 100 ms; at 200 ms (X = 1) it is 25 * (2^(1/6) - 3 * (1 + 3^-6)^(1/6) + 2) = 3.04
        double idd200 = 25 * (Math.pow(2, 1 / 6.0) - 3 * Math.pow(1 + Math.pow(1 / 3.0, 6), 1 / 6.0) + 2);
        assertEquals(3.04, idd200, 0.01);
        assertEquals(idd200, EModel.idd(200), 1e-9);
        assertEquals(0, EModel.idd(100), 0);
        assertTrue(r50 > r100 - 1 && r100 > r200 && r200 > r400, r50 + " " + r100 + " " + r200 + " " + r400);
        // G.114: beyond 400 ms one-way most users are dissatisfied: R well under 70
        assertTrue(r400 < 70, "R at 400 ms " + r400);
    }

    @Test
    void scoreStatesItsInputs() {
        EModel.Score s = EModel.score(EModel.Codec.of("PCMU/8000"), 1000, 20, 10, 0, -1);
        assertEquals(2.0, s.lossPercent(), 1e-9);
        assertEquals(40, s.jitterBufferMs(), 1e-9);
        assertEquals(60, s.delayMs(), 1e-9);
        assertTrue(s.inputs().contains("loss 2.00 %") && s.inputs().contains("upper bound"), s.inputs());
        assertEquals(EModel.mos(s.r()), s.mos(), 1e-12);
        assertNull(EModel.score(EModel.Codec.of("opus/48000/2"), 1000, 0, 0, 20, -1));
        assertNull(EModel.score(EModel.Codec.G711_PLC, 0, 0, 0, 20, -1));
        assertTrue(EModel.Codec.of("G722/8000").assumed());
    }
}
