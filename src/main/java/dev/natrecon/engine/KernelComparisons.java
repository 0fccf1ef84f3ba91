package dev.natrecon.engine;

import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.conntrack.KernelComparison;
import dev.natrecon.conntrack.KernelExpectationComparison;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparisons of the model with the real kernel's records a case may give, as a step after the replay: its
 * {@code conntrack -E} event log, its {@code conntrack -E expect} log, and its {@code conntrack -L} listings. The
 * logs are read before the replay (a bad file fails the case before any work), the model's events are kept only when
 * a log asks for them, and the listings are handed to the model, which compares them at their instants as it goes.
 */
final class KernelComparisons {
    /** The three results, each null (or empty) when the case gave no such record. */
    record Checks(KernelCheck events, List<KernelTableCheck> tables, KernelExpectCheck expectations) {
    }

    private final AnalysisInputs in;
    private final KernelCheck.Parsed eventLog;
    private final List<KernelCheck.Parsed> listings = new ArrayList<>();
    private final List<ConntrackEvent> modelEvents = new ArrayList<>();
    private final List<ExpectationEvent> modelExpectations = new ArrayList<>();

    KernelComparisons(AnalysisInputs in) throws IOException {
        this.in = in;
        this.eventLog = in.kernelEvents() == null ? null : KernelCheck.read(in.kernelEvents());
    }

    /** Reads the listings and registers each with the model, which compares it during the replay. */
    void listTables(ConntrackReplay model) throws IOException {
        for (AnalysisInputs.KernelTable t : in.kernelTables()) {
            KernelCheck.Parsed l = KernelCheck.read(t.file(), false);
            listings.add(l);
            model.addKernelTable(l.entries(), t.atNanos());
        }
    }

    /** One model event, kept when an event log will be compared. */
    void modelEvent(ConntrackEvent e) {
        if (eventLog != null) modelEvents.add(e);
    }

    /** One model expectation event, kept when an expectation log will be compared. */
    void modelExpectation(ExpectationEvent e) {
        if (in.kernelExpectations() != null) modelExpectations.add(e);
    }

    /** After the replay ({@link ConntrackReplay#finish}): every comparison the case asked for. */
    Checks compare(ConntrackReplay model, long[] lanSpan, long[] wanSpan) throws IOException {
        KernelCheck check = null;
        List<ConntrackEvent> later = eventLog != null || in.kernelExpectations() != null
                ? model.predictExpiries() : List.of();
        if (eventLog != null) {
            long start = Math.min(lanSpan[0], wanSpan[0]), end = Math.max(lanSpan[1], wanSpan[1]);
            check = new KernelCheck(in.kernelEvents(), eventLog.lines(), eventLog.unreadable(),
                    eventLog.firstUnreadable(), KernelComparison.compare(eventLog.entries(), modelEvents, later,
                            start, end, KernelComparison.Options.DEFAULT));
        }
        KernelExpectCheck expectCheck = null;
        if (in.kernelExpectations() != null) {
            List<String> lines = KernelExpectCheck.read(in.kernelExpectations());
            long offset = check != null ? check.result().offsetNanos() : 0;
            expectCheck = new KernelExpectCheck(in.kernelExpectations(), KernelExpectationComparison.compare(lines,
                    modelExpectations, model.laterExpect, offset, KernelComparison.Options.DEFAULT.eventLagNanos(),
                    check != null ? check.result().unobservableKills() : List.of()));
        }
        List<KernelTableCheck> tables = new ArrayList<>();
        for (int i = 0; i < listings.size(); i++) {
            KernelCheck.Parsed l = listings.get(i);
            tables.add(new KernelTableCheck(in.kernelTables().get(i).file(), l.entries().size(), l.unreadable(),
                    l.firstUnreadable(), dev.natrecon.conntrack.UnknownNat.listing(
                    dev.natrecon.conntrack.AssumedRuleListing.reclassify(model.kernelTable(i),
                    check != null ? check.result().unobservableKills() : List.of()))));
        }
        return new Checks(check, List.copyOf(tables), expectCheck);
    }
}
