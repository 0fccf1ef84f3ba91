package dev.natrecon.report;

import javax.swing.LookAndFeel;
import javax.swing.UIDefaults;

/**
 * The Swing look and feel natrecon installs as the default ({@code swing.defaultlaf}, unless the user set one) before
 * JFreeChart first loads: JFreeChart's class initialiser asks Swing's {@code UIManager} for a panel colour, which
 * otherwise loads and initialises the whole Metal look and feel (about 140 classes and its defaults table, a sizeable
 * part of the charts' start-up) for a program that never opens a window. Its defaults hold only that colour; every
 * chart sets its own colours and fonts ({@link Charts}).
 */
public final class HeadlessLookAndFeel extends LookAndFeel {
    /** What Metal gives for {@code Panel.background} (its "control" colour, 0xEEEEEE); the charts paint over it. */
    private static final java.awt.Color PANEL = new java.awt.Color(0xEEEEEE);

    @Override
    public String getName() {
        return "natrecon headless";
    }

    @Override
    public String getID() {
        return "natrecon-headless";
    }

    @Override
    public String getDescription() {
        return "no widgets: defaults for JFreeChart's class initialiser only";
    }

    @Override
    public boolean isNativeLookAndFeel() {
        return false;
    }

    @Override
    public boolean isSupportedLookAndFeel() {
        return true;
    }

    @Override
    public UIDefaults getDefaults() {
        UIDefaults d = new UIDefaults(4, 0.75f);
        d.put("Panel.background", new javax.swing.plaf.ColorUIResource(PANEL));
        return d;
    }

    /** Makes this the default look and feel unless one was chosen ({@code swing.defaultlaf}); call before JFreeChart loads. */
    static void install() {
        if (System.getProperty("swing.defaultlaf") == null) {
            System.setProperty("swing.defaultlaf", HeadlessLookAndFeel.class.getName());
        }
    }
}
