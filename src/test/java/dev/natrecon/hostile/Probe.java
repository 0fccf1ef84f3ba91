package dev.natrecon.hostile;

import dev.natrecon.testing.HostileCaptures;
import java.nio.file.Path;

public class Probe {
    public static void main(String[] a) throws Exception {
        HostileCaptures.portClashes(Path.of(a[0]), Path.of(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]));
    }
}
