package dev.natrecon.testing;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;

/**
 * Every input the differential parser tests run over: the captures of the samples and of the test resources (the
 * public corpus among them), each one's TCP and UDP payloads, and the files of a fuzz corpus.
 */
public final class Payloads {
    private Payloads() {
    }

    /** Every pcap and pcapng file (compressed or not) under {@code samples} and {@code src/test/resources}, sorted. */
    public static List<Path> captures() throws IOException {
        List<Path> captures = new ArrayList<>();
        for (Path root : List.of(Path.of("samples"), Path.of("src/test/resources"))) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng)(\\.[a-z]+)?$"))
                        .sorted().forEach(captures::add);
            }
        }
        return captures;
    }

    /**
     * Every non-empty TCP and UDP payload of one capture (a copy) with its frame number. A hostile or truncated capture
     * ends the walk where its reading fails: what was read before has been handed over.
     */
    public static void each(Path capture, ObjLongConsumer<byte[]> payload) {
        PacketDecoder decoder = new PacketDecoder();
        Packet p = new Packet();
        AnomalyCounts anomalies = new AnomalyCounts();
        RawFrame f = new RawFrame();
        try (CaptureReader r = CaptureReader.open(capture)) {
            while (r.next(f)) {
                if (decoder.decode(f, p, anomalies) != Disposition.DECODED) continue;
                if (p.payloadLength <= 0 || p.protocol != 6 && p.protocol != 17) continue;
                payload.accept(Arrays.copyOfRange(p.data, p.payloadOffset, p.payloadOffset + p.payloadLength), f.frameNumber);
            }
        } catch (IOException | RuntimeException e) {
            // hostile and truncated captures: what was read before the failure has been handed over
        }
    }

    /** The files of the fuzz corpora under {@code src/test/resources/<dir>}, each corpus sorted. */
    public static List<Path> fuzzInputs(String... dirs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : dirs) {
            try (Stream<Path> s = Files.walk(Path.of("src/test/resources", dir))) {
                s.filter(Files::isRegularFile).sorted().forEach(out::add);
            }
        }
        return out;
    }
}
