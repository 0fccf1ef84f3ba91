package dev.natrecon.cli;

import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.CaseSettings;
import dev.natrecon.engine.ModelSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The options every command that replays a case shares: the captures (a LAN/WAN pair, one router capture, or a case
 * settings file naming them), the clock, and how to set up the router model.
 */
final class CaseOptions {
    static final class Sources {
        @ArgGroup(exclusive = false, multiplicity = "1")
        Pair pair;
        @ArgGroup(exclusive = false, multiplicity = "1")
        Router router;
        @Option(names = "--capture", paramLabel = "FILE",
                description = "one capture of one side of the NAT (a phone, PBX, provider or SBC capture); the same as "
                        + "giving FILE alone")
        Path capture;
    }

    static final class Pair {
        @Option(names = "--lan", required = true, paramLabel = "FILE", description = "capture taken on the router's LAN side")
        Path lan;
        @Option(names = "--wan", required = true, paramLabel = "FILE", description = "capture taken on the router's WAN side")
        Path wan;
    }

    static final class Router {
        @Option(names = "--router", required = true, paramLabel = "FILE",
                description = "one capture taken on the router itself (tcpdump -i any, or pcapng with several interfaces)")
        Path router;
        @Option(names = "--lan-if", paramLabel = "NAME", description = "router interface facing the LAN (default: automatic)")
        String lanIf;
        @Option(names = "--wan-if", paramLabel = "NAME", description = "router interface facing the WAN (default: automatic)")
        String wanIf;
    }

    /* With a heading picocli lists the nested groups' options once, in their own section; without one, each nested
       group's options were listed twice in --help. */
    @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "Captures (FILE or --capture, or --lan and --wan, or --router, or a --case naming them):%n")
    Sources sources;

    @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "FILE",
            description = "one capture of one side of the NAT, analysed alone: the side it was taken on is decided from "
                    + "the traffic (--side overrides); what needs the other side is named, not guessed")
    Path single;

    @Option(names = "--side", paramLabel = "lan|wan|phone|provider",
            description = "the side one capture (FILE or --capture) was taken on: lan or phone (behind the router), "
                    + "wan or provider (in front of it); default: decided from the traffic")
    String side;

    @Option(names = "--case", paramLabel = "FILE",
            description = "case settings (case.properties): captures, router networks and addresses, SIP helper, profile, "
                    + "sysctl dump, the router's conntrack -E log; options given here win")
    Path caseFile;

    @Option(names = "--wan-offset", paramLabel = "SECONDS",
            description = "how far the WAN capture's clock is ahead of the LAN capture's (default: estimated from matched packets)")
    Double wanOffset;

    @Option(names = "--match-window", paramLabel = "SECONDS", defaultValue = "1.0",
            description = "longest time between a packet and its counterpart on the other side (default: ${DEFAULT-VALUE})")
    double matchWindow;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "router timeout profile: ${COMPLETION-CANDIDATES} (default: linux-6)",
            completionCandidates = Profiles.class)
    String profile;

    @Option(names = "--sysctl", paramLabel = "FILE",
            description = "the router's 'sysctl -a' or 'sysctl net.netfilter' output; overrides the profile")
    Path sysctl;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "one conntrack setting, e.g. net.netfilter.nf_conntrack_udp_timeout=60 (repeatable; applied last)")
    List<String> set = new ArrayList<>();

    @Option(names = "--ruleset", paramLabel = "FILE",
            description = "the router's 'nft list ruleset' or 'iptables-save' output: its NAT and helper rules "
                    + "(default: masquerade on the WAN, inferred from the traffic)")
    Path ruleset;

    @Option(names = "--sip-helper", paramLabel = "on|off|auto",
            description = "whether the router's SIP helper is attached (default: auto, decided before the replay "
                    + "per transport and port from what the router changed in the SIP text seen on both sides)")
    String sipHelper;

    @Option(names = "--sip-port", paramLabel = "PORT", description = "port the SIP helper is attached to with --sip-helper on "
            + "(repeatable; default 5060; auto finds the ports in the captures)")
    List<Integer> sipPorts = new ArrayList<>();

    @Option(names = "--inside", paramLabel = "PREFIX",
            description = "a network behind the router (repeatable; default: the private ranges)")
    List<String> inside = new ArrayList<>();

    @Option(names = "--router-address", paramLabel = "ADDRESS",
            description = "one of the router's own addresses (repeatable; its WAN address is learnt from translations)")
    List<String> routerAddresses = new ArrayList<>();

    @Option(names = "--link-change", paramLabel = "KIND@TIME[=ADDRESS]",
            description = "a change of the router's WAN link the captures do not show (repeatable): remove@+12.5=203.0.113.2 "
                    + "(address removed), add@+40=203.0.113.7/24, down@TIME, up@TIME; TIME is +seconds after the first "
                    + "packet, Unix seconds or ISO-8601 UTC. Replaces the case settings' event.wan.* changes")
    List<String> linkChanges = new ArrayList<>();

    /** Parses one {@code --link-change}. */
    static ModelSettings.LinkChange linkChange(String text, CommandLine cl) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(remove|add|down|up)@([^=]+)(?:=(.+))?").matcher(text);
        if (!m.matches()) {
            throw new CommandLine.ParameterException(cl, "--link-change: cannot read '" + text
                    + "' (KIND@TIME[=ADDRESS], KIND one of remove, add, down, up)");
        }
        String kind = m.group(1), time = m.group(2).trim(), address = m.group(3);
        if ((kind.equals("remove") || kind.equals("add")) == (address == null)) {
            throw new CommandLine.ParameterException(cl, "--link-change '" + text + "': " + kind
                    + (address == null ? " needs =ADDRESS" : " takes no address"));
        }
        boolean relative = time.startsWith("+");
        long nanos = SnapshotCommand.parse(relative ? time.substring(1) : time, 0, cl);
        return new ModelSettings.LinkChange(nanos, relative, kind, address);
    }

    static final class Profiles extends ArrayList<String> {
        Profiles() {
            super(ModelSettings.profiles());
        }
    }

    CaseSettings caseSettings() throws IOException {
        return caseFile == null ? null : CaseSettings.load(caseFile);
    }

    /** The inputs these options describe; usage errors are thrown against {@code cl}. */
    AnalysisInputs inputs(CommandLine cl) throws IOException {
        if (matchWindow <= 0) throw new CommandLine.ParameterException(cl, "--match-window must be positive");
        checkFiles();
        CaseSettings cs = caseSettings();
        AnalysisInputs in;
        Path one = single != null ? single : sources != null ? sources.capture : null;
        if (single != null && sources != null) {
            throw new CommandLine.ParameterException(cl, "give one capture (FILE) or --lan and --wan, or --router, "
                    + "not both");
        }
        if (side != null && one == null && !(cs != null && sources == null && (cs.lanCapture() == null) != (cs.wanCapture() == null))) {
            throw new CommandLine.ParameterException(cl, "--side applies to one capture (FILE or --capture) only");
        }
        if (one != null) {
            if (wanOffset != null) throw new CommandLine.ParameterException(cl, "--wan-offset makes no sense with one capture");
            // FILE alone may be a router capture (several interfaces): the router form then; --capture is one side
            in = (single != null ? dev.natrecon.engine.LoneCapture.inputs(one, vantage(side, cl))
                    : AnalysisInputs.single(one, vantage(side, cl))).withMatchWindow(matchWindow);
        } else if (sources == null && cs != null && (cs.lanCapture() == null) != (cs.wanCapture() == null)) {
            // the case settings name one side's capture: that side, unless --side says otherwise
            in = AnalysisInputs.single(cs.lanCapture() != null ? cs.lanCapture() : cs.wanCapture(),
                    side != null ? vantage(side, cl) : cs.lanCapture() != null ? "lan" : "wan")
                    .withMatchWindow(matchWindow);
        } else if (sources != null && sources.pair != null) {
            in = new AnalysisInputs(sources.pair.lan, sources.pair.wan, null, null, null, wanOffset, matchWindow);
        } else if (sources != null) {
            if (wanOffset != null) throw new CommandLine.ParameterException(cl, "--wan-offset makes no sense with one router capture");
            in = new AnalysisInputs(null, null, sources.router.router, sources.router.lanIf, sources.router.wanIf,
                    null, matchWindow);
        } else if (cs != null && cs.lanCapture() != null && cs.wanCapture() != null) {
            in = new AnalysisInputs(cs.lanCapture(), cs.wanCapture(), null, null, null, wanOffset, matchWindow);
        } else if (cs != null) {
            throw new CommandLine.ParameterException(cl, caseFile + " names no capture.lan.file or capture.wan.file: "
                    + "give one capture (FILE), or --lan and --wan, or --router");
        } else {
            throw new CommandLine.ParameterException(cl, "give one capture (FILE), or --lan and --wan, or --router, "
                    + "or --case with capture.lan.file and capture.wan.file");
        }
        in = in.withModel(model(cl, cs));
        if (cs == null) return in;
        in = cs.withKernelFiles(in);
        // the files the case settings name: the error says which settings file named them
        String from = caseFile + " names";
        InputFiles.file(from, in.lan());
        InputFiles.file(from, in.wan());
        InputFiles.file(from, in.router());
        InputFiles.file(from, in.kernelEvents());
        for (AnalysisInputs.KernelTable t : in.kernelTables()) InputFiles.file(from, t.file());
        InputFiles.file(from, in.kernelExpectations());
        return in;
    }

    /** {@code --side} as the side's name in {@link AnalysisInputs#vantage}: "lan", "wan", or null when not given. */
    static String vantage(String side, CommandLine cl) {
        if (side == null) return null;
        return switch (side.toLowerCase(java.util.Locale.ROOT)) {
            case "lan", "phone" -> "lan";
            case "wan", "provider" -> "wan";
            default -> throw new CommandLine.ParameterException(cl, "--side must be lan, wan, phone or provider, not '"
                    + side + "'");
        };
    }

    /** Every file an option names is there, a file and readable (one line naming the option and file otherwise). */
    private void checkFiles() throws IOException {
        if (sources != null && sources.pair != null) {
            InputFiles.file("--lan", sources.pair.lan);
            InputFiles.file("--wan", sources.pair.wan);
        }
        if (sources != null && sources.router != null) InputFiles.file("--router", sources.router.router);
        if (sources != null && sources.capture != null) InputFiles.file("--capture", sources.capture);
        InputFiles.file("FILE", single);
        InputFiles.file("--case", caseFile);
        InputFiles.file("--sysctl", sysctl);
        InputFiles.file("--ruleset", ruleset);
    }

    private ModelSettings model(CommandLine cl, CaseSettings cs) throws IOException {
        ModelSettings m = ModelSettings.defaults();
        if (cs != null) m = cs.apply(m);
        if (profile != null) {
            if (!ModelSettings.profiles().contains(profile)) {
                throw new CommandLine.ParameterException(cl, "--profile: no profile '" + profile + "' (profiles: "
                        + String.join(", ", ModelSettings.profiles()) + ")");
            }
            m = m.withProfile(profile);
        }
        if (sysctl != null) m = m.withSysctl(Files.readString(sysctl), sysctl.toString());
        if (!linkChanges.isEmpty()) {
            List<ModelSettings.LinkChange> changes = new ArrayList<>();
            for (String c : linkChanges) changes.add(linkChange(c, cl));
            m = m.withRouter(m.ruleset(), m.natSource(), m.lanInterface(), m.wanInterface(), m.wanNetwork(), changes);
        }
        if (ruleset != null) {
            m = m.withRouter(Files.readString(ruleset), ruleset.toString(), m.lanInterface(), m.wanInterface(),
                    m.wanNetwork(), m.linkChanges());
        }
        if (!set.isEmpty()) {
            List<String> o = new ArrayList<>(m.overrides());
            o.addAll(set);
            m = m.withOverrides(o);
        }
        if (sipHelper != null || !sipPorts.isEmpty()) {
            ModelSettings.SipHelper h = m.sipHelper();
            if (sipHelper != null) {
                try {
                    h = ModelSettings.SipHelper.valueOf(sipHelper.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cl, "--sip-helper must be on, off or auto");
                }
            }
            m = m.withSipHelper(h, sipPorts.isEmpty() ? m.sipPorts() : sipPorts);
        }
        if (!inside.isEmpty() || !routerAddresses.isEmpty()) {
            List<String> addrs = new ArrayList<>(m.routerAddresses());
            addrs.addAll(routerAddresses);
            m = inside.isEmpty() ? m.withInside(m.inside(), addrs) : m.withInsideNetworks(inside, addrs);
        }
        m.timeouts(); // fail now, as a usage error, on a bad --set or sysctl value
        return m;
    }
}
