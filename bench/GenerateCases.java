// Writes CASES case folders DIR/caseNNN/{lan,wan}.pcap: short capture pairs through a simulated NAT
// (dev.natrecon.bench.SyntheticNatCaptures), each with its own seed. Run with natrecon.jar on the class path:
//   java -cp target/natrecon.jar bench/GenerateCases.java DIR CASES CALLS SECONDS
import dev.natrecon.bench.SyntheticNatCaptures;
import java.nio.file.Files;
import java.nio.file.Path;

public class GenerateCases {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int cases = Integer.parseInt(args[1]), calls = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        long frames = 0;
        for (int i = 1; i <= cases; i++) {
            Path c = dir.resolve(String.format("case%03d", i));
            Files.createDirectories(c);
            SyntheticNatCaptures.Config cfg = SyntheticNatCaptures.Config.of(calls, seconds).withSeed(i);
            frames += SyntheticNatCaptures.write(cfg, c.resolve("lan.pcap"), c.resolve("wan.pcap")).totalFrames();
        }
        System.out.println(cases + " cases, " + frames + " frames in all");
    }
}
