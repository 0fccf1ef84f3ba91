package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/** The headless look and feel: the one colour JFreeChart's initialiser asks for, and a user's own choice kept. */
class HeadlessLookAndFeelTest {
    @Test
    void givesThePanelColourJFreeChartReads() {
        assertNotNull(new HeadlessLookAndFeel().getDefaults().getColor("Panel.background"));
    }

    @Test
    void keepsALookAndFeelTheUserChose() {
        String before = System.getProperty("swing.defaultlaf");
        try {
            System.setProperty("swing.defaultlaf", "javax.swing.plaf.metal.MetalLookAndFeel");
            HeadlessLookAndFeel.install();
            assertEquals("javax.swing.plaf.metal.MetalLookAndFeel", System.getProperty("swing.defaultlaf"));
            System.clearProperty("swing.defaultlaf");
            HeadlessLookAndFeel.install();
            assertEquals(HeadlessLookAndFeel.class.getName(), System.getProperty("swing.defaultlaf"));
        } finally {
            if (before == null) System.clearProperty("swing.defaultlaf");
            else System.setProperty("swing.defaultlaf", before);
        }
    }
}
