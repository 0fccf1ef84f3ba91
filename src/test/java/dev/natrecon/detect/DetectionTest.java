package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DetectionTest {
    static final Rule RULE = new Rule("test.rule", Severity.WARNING, "t", "r", List.of(), "f", List.of());

    @Test
    void evidenceKeepsTheFirstFramesAndCountsTheRest() {
        Finding.Builder b = Finding.of(RULE).at(5);
        for (long f = 200; f >= 1; f--) b.frame("wan", f);
        b.frame("wan", 3).frame("lan", 0).at(2);
        Finding f = b.build();
        assertEquals(Finding.MAX_FRAMES, f.frames("wan").size());
        assertEquals(1L, f.frames("wan").get(0));
        assertEquals((long) Finding.MAX_FRAMES, f.frames("wan").get(Finding.MAX_FRAMES - 1));
        assertEquals(Map.of("wan", 200 - Finding.MAX_FRAMES), f.omitted());
        assertEquals(List.of(), f.frames("lan"));
        assertEquals(2, f.nanos());
        assertEquals(5, f.endNanos());
        assertEquals(Severity.WARNING, f.severity());
    }

    @Test
    void findingsComeMostSevereFirstThenByTimeAndUndeclaredIdsAreRefused() {
        Rule error = new Rule("test.error", Severity.ERROR, "t", "r", List.of(), "f", List.of());
        Detector d = new Detector() {
            public List<Rule> rules() {
                return List.of(RULE, error);
            }

            public void finish(DetectionContext c, Consumer<Finding> out) {
                out.accept(Finding.of(RULE).at(1).build());
                out.accept(Finding.of(error).at(9).build());
                out.accept(Finding.of(RULE).at(0).severity(Severity.INFO).build());
            }
        };
        List<Finding> found = new Detection(new LiveEntries(), List.of(d)).finish(null);
        assertEquals(List.of("test.error", "test.rule", "test.rule"), found.stream().map(Finding::id).toList());
        assertEquals(List.of(9L, 1L, 0L), found.stream().map(Finding::nanos).toList());
        assertEquals(Severity.ERROR, Detection.worst(found));
        Detector rogue = new Detector() {
            public List<Rule> rules() {
                return List.of(RULE);
            }

            public void finish(DetectionContext c, Consumer<Finding> out) {
                out.accept(Finding.of(error).at(1).build());
            }
        };
        assertThrows(IllegalStateException.class, () -> new Detection(new LiveEntries(), List.of(rogue)).finish(null));
    }

    @Test
    void theRulesAreTheRegisteredDetectorsOwnInRegistryOrder() {
        List<Rule> fresh = new java.util.ArrayList<>();
        for (Detector d : Detectors.oneSide(new LiveEntries(), dev.natrecon.correlate.Inside.privateRanges())) {
            fresh.addAll(d.rules());
        }
        assertEquals(fresh, Detectors.rules());
        assertEquals(fresh.get(fresh.size() - 1), Detectors.rule(fresh.get(fresh.size() - 1).id()));
        assertEquals(null, Detectors.rule("no.such_rule"));
        assertThrows(UnsupportedOperationException.class, () -> Detectors.rules().clear());
    }

    @Test
    void everyRegisteredIdIsUniqueAndDocumented() {
        List<Rule> rules = Detectors.rules();
        assertEquals(rules.size(), rules.stream().map(Rule::id).distinct().count());
        for (Rule r : rules) {
            assertEquals(false, r.rule().isBlank() || r.fix().isBlank() || r.title().isBlank(), r.id());
        }
    }

    @Test
    void displayFiltersNameBothDirections() {
        Flow f = new Flow(17, 0, dev.natrecon.decode.Addresses.v4(0xc0a8010a), 5060, 0, dev.natrecon.decode.Addresses.v4(0xcb007105), 5060);
        assertEquals("ip.src==192.168.1.10 && ip.dst==203.0.113.5 && udp.srcport==5060 && udp.dstport==5060",
                f.displayFilter());
        assertEquals("(" + f.displayFilter() + ") || (ip.src==203.0.113.5 && ip.dst==192.168.1.10 && udp.srcport==5060"
                + " && udp.dstport==5060)", f.displayFilterBothWays());
        assertEquals("frame.number in {3, 9}", DisplayFilters.frames(List.of(3L, 9L)));
    }

    @Test
    void findingsPastThePerRuleBoundAreCountedWithWhatDetectorsCountedThemselves() {
        Rule other = new Rule("test.other", Severity.INFO, "t", "r", List.of(), "f", List.of());
        Detector d = new Detector() {
            public List<Rule> rules() {
                return List.of(RULE, other);
            }

            public void finish(DetectionContext c, Consumer<Finding> out) {
                // one finding (one cause) with more instances than it lists
                for (int i = 0; i < Detection.MAX_INSTANCES_PER_GROUP + 120; i++) {
                    out.accept(Finding.of(RULE).at(i).subject("flow " + i).cause("one cause").build());
                }
                out.accept(Finding.of(other).at(1).build());
            }

            @Override
            public Map<String, Long> findingsNotKept() {
                return Map.of("test.rule", 5L);
            }

            @Override
            public Map<dev.natrecon.capture.Bound, Long> boundsHit() {
                return Map.of(dev.natrecon.capture.Bound.CALLS, 3L);
            }
        };
        Detection detection = new Detection(new LiveEntries(), List.of(d));
        List<Finding> found = detection.finish(null);
        assertEquals(Detection.MAX_INSTANCES_PER_GROUP, found.stream().filter(f -> f.id().equals("test.rule")).count());
        assertEquals(1, found.stream().filter(f -> f.id().equals("test.other")).count());
        // the first ones are listed (in the detector's order), not an arbitrary subset
        assertEquals(Detection.MAX_INSTANCES_PER_GROUP - 1L,
                found.stream().filter(f -> f.id().equals("test.rule")).mapToLong(Finding::nanos).max().orElse(-1));
        // the finding counts every instance
        FindingGroup g = Causes.group(found).stream().filter(x -> x.id().equals("test.rule")).findFirst().orElseThrow();
        assertEquals(Detection.MAX_INSTANCES_PER_GROUP + 120, g.count());
        assertEquals(Detection.MAX_INSTANCES_PER_GROUP, g.listed());
        assertEquals(Map.of("test.rule", 120L), detection.notListed());
        assertEquals(Map.of("test.rule", 5L), detection.notKept());
        assertEquals(Map.of(dev.natrecon.capture.Bound.CALLS, 3L), detection.boundsHit());
    }

    /** The caps apply to each finding's instances: a large finding arriving first does not crowd out another. */
    @Test
    void aLargeFindingDoesNotDropAnotherOfTheSameRule() {
        Detector d = new Detector() {
            public List<Rule> rules() {
                return List.of(RULE);
            }

            public void finish(DetectionContext c, Consumer<Finding> out) {
                for (int i = 0; i < 2 * Detection.MAX_INSTANCES_PER_GROUP; i++) {
                    out.accept(Finding.of(RULE).at(i).subject("binding " + i).cause("203.0.113.2").build());
                }
                out.accept(Finding.of(RULE).at(5).subject("binding x").cause("203.0.113.3").build());
                out.accept(Finding.of(RULE).severity(Severity.ERROR).at(7).subject("binding y").cause("203.0.113.2").build());
            }
        };
        List<FindingGroup> groups = Causes.group(new Detection(new LiveEntries(), List.of(d)).finish(null));
        assertEquals(3, groups.size(), groups.toString());
        assertEquals(Severity.ERROR, groups.get(0).severity());
        assertEquals(List.of(1, 2 * Detection.MAX_INSTANCES_PER_GROUP, 1),
                groups.stream().map(FindingGroup::count).toList());
    }

    /** Past the bound of findings per rule, whole findings are counted, not kept. */
    @Test
    void findingsPastTheBoundOfFindingsPerRuleAreCounted() {
        Detector d = new Detector() {
            public List<Rule> rules() {
                return List.of(RULE);
            }

            public void finish(DetectionContext c, Consumer<Finding> out) {
                for (int i = 0; i < Detection.MAX_FINDINGS_PER_RULE + 20; i++) {
                    out.accept(Finding.of(RULE).at(i).subject("flow " + i).build());
                }
            }
        };
        Detection detection = new Detection(new LiveEntries(), List.of(d));
        assertEquals(Detection.MAX_FINDINGS_PER_RULE, detection.finish(null).size());
        assertEquals(Map.of("test.rule", 20L), detection.notKept());
        assertEquals(Map.of(), detection.notListed());
    }
}
