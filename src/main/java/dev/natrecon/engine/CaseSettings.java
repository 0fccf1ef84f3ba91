package dev.natrecon.engine;

import dev.natrecon.conntrack.NatRule;
import dev.natrecon.conntrack.Timeouts;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A case's settings file ({@code case.properties}, as the lab writes it and as a support engineer can write one for a
 * ticket): which captures, the router's networks and addresses, the SIP helper, the timeout profile and sysctl dump,
 * and the router's own {@code conntrack -E} log to compare with. Paths inside are relative to the file's folder.
 *
 * <p>Keys read: {@code capture.lan.file}, {@code capture.wan.file}, {@code router.lan.network},
 * {@code router.lan.address}, {@code router.wan.address}, {@code model.profile}, {@code conntrack.sysctl.file},
 * {@code conntrack.set} (comma-separated {@code name=value}), {@code sip.helper} (on/off/auto),
 * {@code sip.helper.ports}, {@code sip.helper.protocol} (udp, tcp), {@code sip.helper.parameters.file},
 * {@code conntrack.events.file}, {@code conntrack.snapshot.file}, every mid-run {@code conntrack.snapshot.NAME.file} and
 * {@code conntrack.snapshot.end.file} ({@code conntrack -L -o extended} listings, their instants found by the replay), {@code nat.ruleset.file} ({@code nft list ruleset} or {@code iptables-save} of the
 * router), {@code lan.interface}, {@code wan.interface}, {@code router.wan.network}, and the router's link changes in
 * seconds after the first packet: {@code event.wan.down.t} (WAN address removed), {@code event.wan.up.t} (added
 * back), {@code event.wan.address.change.t} with {@code router.wan.address.new}; {@code router.backup.interface} and
 * {@code router.backup.address}: an uplink no capture shows, the default route while the WAN has none
 * ({@link OtherPath}); {@code event.conntrack.flush.t} with {@code event.conntrack.flush.command}: an operator's
 * conntrack -D/-F ({@link OperatorFlush}); {@code event.wan.carrier.down.t} and {@code event.wan.carrier.up.t} (the
 * WAN's carrier lost and back: no address change, no flush; {@link WanCarrier}). Unknown keys are ignored (the lab
 * records more).
 */
public record CaseSettings(Path file, Properties properties) {
    public static CaseSettings load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": no such case settings file");
        } catch (IllegalArgumentException e) { // Properties: a malformed unicode escape
            throw new IOException(file + ": not a properties file (" + e.getMessage() + ")", e);
        }
        return new CaseSettings(file, p);
    }

    /** The settings' folder (relative when the file was named relatively, so outputs name files as given). */
    public Path dir() {
        Path parent = file.getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /**
     * The case as its settings describe it: the LAN and WAN captures, the model settings over {@code base}, and the
     * router's conntrack log when the file it names exists.
     */
    public AnalysisInputs inputs(ModelSettings base) throws IOException {
        if (lanCapture() == null || wanCapture() == null) {
            throw new IllegalArgumentException(file + ": names no capture.lan.file and capture.wan.file");
        }
        AnalysisInputs in = AnalysisInputs.pair(lanCapture(), wanCapture()).withModel(apply(base));
        return withKernelFiles(in);
    }

    /**
     * The case as a customer's ticket would carry it: the LAN and WAN captures and the router's sysctl dump, nothing
     * else the settings say (no link-change times, no ruleset, no helper setting, no addresses or networks), over
     * {@code base}; the router's own logs and listings still come along, to be compared with and never read by the
     * model. This is how conformance "from the captures alone" is measured (issue 15).
     */
    public AnalysisInputs capturesOnly(ModelSettings base) throws IOException {
        if (lanCapture() == null || wanCapture() == null) {
            throw new IllegalArgumentException(file + ": names no capture.lan.file and capture.wan.file");
        }
        ModelSettings m = base;
        Path sysctl = path("conntrack.sysctl.file");
        if (sysctl != null && Files.exists(sysctl)) {
            m = m.withSysctl(Files.readString(sysctl), sysctl.getFileName().toString());
        }
        return withKernelFiles(AnalysisInputs.pair(lanCapture(), wanCapture()).withModel(m));
    }

    /** {@code in} with the router's conntrack log and table listings these settings name, where the files exist. */
    public AnalysisInputs withKernelFiles(AnalysisInputs in) {
        List<AnalysisInputs.KernelTable> tables = new ArrayList<>();
        for (String key : snapshotKeys()) {
            Path p = path(key);
            if (p != null && Files.exists(p)) tables.add(new AnalysisInputs.KernelTable(p, null));
        }
        in = in.withKernelTables(tables);
        Path expect = path("conntrack.expect.events.file");
        if (expect != null && Files.exists(expect)) in = in.withKernelExpectations(expect);
        Path log = kernelEvents();
        return log != null && Files.exists(log) ? in.withKernelEvents(log) : in;
    }

    /**
     * Every listing key these settings name: {@code conntrack.snapshot.file} first, then each mid-run
     * {@code conntrack.snapshot.NAME.file} (the lab's {@code outage}, {@code backup}, {@code closed}, {@code nocarrier},
     * {@code after} ...) by name, then {@code conntrack.snapshot.end.file} last.
     */
    List<String> snapshotKeys() {
        List<String> mid = new ArrayList<>();
        for (String k : properties.stringPropertyNames()) {
            if (k.startsWith("conntrack.snapshot.") && k.endsWith(".file") && !k.equals("conntrack.snapshot.file")
                    && !k.equals("conntrack.snapshot.end.file")) {
                mid.add(k);
            }
        }
        java.util.Collections.sort(mid);
        List<String> keys = new ArrayList<>();
        keys.add("conntrack.snapshot.file");
        keys.addAll(mid);
        keys.add("conntrack.snapshot.end.file");
        return keys;
    }

    public String get(String key) {
        String v = properties.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** A file named by {@code key}, resolved against the settings' folder, or null. */
    public Path path(String key) {
        String v = get(key);
        if (v == null) return null;
        Path p = Path.of(v);
        return p.isAbsolute() ? p : dir().resolve(p);
    }

    public Path lanCapture() {
        return path("capture.lan.file");
    }

    public Path wanCapture() {
        return path("capture.wan.file");
    }

    public Path kernelEvents() {
        return path("conntrack.events.file");
    }

    /**
     * The model settings with this case's values over {@code base}. A value that does not read, or a file it names
     * that does not, is an {@link IllegalArgumentException} naming this file, the key's line and what was expected.
     */
    public ModelSettings apply(ModelSettings base) throws IOException {
        try {
            return applyValues(base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SettingsLines.locate(file, e), e);
        }
    }

    private ModelSettings applyValues(ModelSettings base) throws IOException {
        ModelSettings m = base;
        if (get("model.profile") != null) {
            m = m.withProfile(SettingsLines.value("model.profile", get("model.profile"), "a model profile ("
                    + String.join(", ", Timeouts.profiles()) + ")", p -> Timeouts.profile(p).profileName()));
        }
        Path sysctl = path("conntrack.sysctl.file");
        if (sysctl != null) {
            String text = Files.readString(sysctl);
            Timeouts.linux6().withSysctlDump(text, sysctl.toString()); // a bad line fails here, named by its full path
            m = m.withSysctl(text, sysctl.getFileName().toString());
        }
        if (get("conntrack.set") != null) {
            List<String> o = new ArrayList<>(m.overrides());
            for (String s : get("conntrack.set").split(",")) {
                if (!s.isBlank()) o.add(SettingsLines.value("conntrack.set", s.trim(), "NAME=VALUE, a conntrack setting",
                        v -> Timeouts.profile("linux-6").with(v) != null ? v : null));
            }
            m = m.withOverrides(o);
        }
        List<NatRule.Prefix> inside = new ArrayList<>(m.inside());
        List<String> router = new ArrayList<>(m.routerAddresses());
        if (get("router.lan.network") != null) {
            for (String s : get("router.lan.network").split(",")) {
                inside.add(SettingsLines.value("router.lan.network", s.trim(), "an address prefix (192.168.1.0/24)",
                        NatRule.Prefix::parse));
            }
        }
        for (String k : List.of("router.lan.address", "router.wan.address", "router.wan.address.new")) {
            if (get(k) == null) continue;
            for (String s : get(k).split(",")) {
                router.add(SettingsLines.value(k, s.trim(), "an IP address",
                        v -> dev.natrecon.decode.Addresses.parse(v, new long[2]) ? v : null));
            }
        }
        m = m.withInside(inside, router);
        String helper = get("sip.helper");
        if (helper != null) {
            List<Integer> ports = new ArrayList<>();
            if (get("sip.helper.ports") != null) {
                for (String s : get("sip.helper.ports").split(",")) {
                    ports.add(SettingsLines.number("sip.helper.ports", s.trim(), 1, 65535));
                }
            }
            m = m.withSipHelper(SettingsLines.choice("sip.helper", helper, ModelSettings.SipHelper.class),
                    ports.isEmpty() ? m.sipPorts() : ports);
        }
        if (get("sip.helper.protocol") != null) {
            List<Integer> protocols = new ArrayList<>();
            for (String s : get("sip.helper.protocol").split(",")) {
                protocols.add(SettingsLines.value("sip.helper.protocol", s.trim(), "udp or tcp",
                        v -> v.equalsIgnoreCase("tcp") ? 6 : v.equalsIgnoreCase("udp") ? 17 : null));
            }
            m = m.withSipProtocols(protocols);
        }
        Path params = path("sip.helper.parameters.file");
        if (params != null && Files.exists(params)) {
            String text = Files.readString(params);
            Timeouts.linux6().withModuleParameters(text, params.toString()); // as the sysctl dump: errors name the file
            m = m.withModuleParameters(text);
        }
        Path rules = path("nat.ruleset.file");
        String wanNet = get("router.wan.network");
        String prefix = wanNet != null && wanNet.contains("/") ? wanNet.substring(wanNet.indexOf('/')) : null;
        List<ModelSettings.LinkChange> changes = new ArrayList<>();
        String wan = get("router.wan.address");
        // the lab's schedule, in seconds after the first packet: "WAN down" is the address removed (ip addr del)
        if (get("event.wan.down.t") != null && wan != null) changes.add(relative("event.wan.down.t", "remove", wan));
        if (get("event.wan.up.t") != null && wan != null) {
            changes.add(relative("event.wan.up.t", "add", wan + (prefix == null ? "" : prefix)));
        }
        // a carrier loss (the lab's "ip link set … down" on the far end) is neither an address removal nor NETDEV_DOWN
        if (get("event.wan.carrier.down.t") != null) changes.add(relative("event.wan.carrier.down.t", WanCarrier.DOWN, null));
        if (get("event.wan.carrier.up.t") != null) changes.add(relative("event.wan.carrier.up.t", WanCarrier.UP, null));
        if (get("event.wan.address.change.t") != null && wan != null && get("router.wan.address.new") != null) {
            changes.add(relative("event.wan.address.change.t", "remove", wan));
            changes.add(relative("event.wan.address.change.t", "add", get("router.wan.address.new") + (prefix == null ? "" : prefix)));
        }
        if (get("event.conntrack.flush.t") != null && get("event.conntrack.flush.command") != null) {
            changes.add(relative("event.conntrack.flush.t", OperatorFlush.KIND, get("event.conntrack.flush.command")));
        }
        changes.sort(java.util.Comparator.comparingLong(ModelSettings.LinkChange::nanos));
        // an uplink no capture shows, which the default route goes out of (the lab's backup)
        String backup = get("router.backup.interface"), backupAddress = get("router.backup.address");
        if (backup != null && backupAddress != null) {
            m = m.withOtherUplinks(List.of(backup + "=" + backupAddress + (backupAddress.contains("/") ? "" : "/32")));
        }
        m = m.withRouter(rules != null && Files.exists(rules) ? Files.readString(rules) : m.ruleset(),
                rules != null && Files.exists(rules) ? rules.toString() : m.natSource(),
                get("lan.interface") != null ? get("lan.interface") : m.lanInterface(),
                get("wan.interface") != null ? get("wan.interface") : m.wanInterface(),
                prefix != null ? prefix : m.wanNetwork(), changes.isEmpty() ? m.linkChanges() : changes);
        return m;
    }

    private ModelSettings.LinkChange relative(String key, String kind, String address) {
        long nanos = SettingsLines.value(key, get(key), "seconds (a decimal number)",
                v -> new java.math.BigDecimal(v).movePointRight(9).longValue());
        // the lab writes the instant to the precision it knows it ("3.6"): half the last digit either way
        int scale = Math.max(0, Math.min(9, new java.math.BigDecimal(get(key)).scale()));
        return new ModelSettings.LinkChange(nanos, true, kind, address, java.math.BigInteger.TEN.pow(9 - scale).longValue() / 2);
    }
}
