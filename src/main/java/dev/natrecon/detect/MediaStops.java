package dev.natrecon.detect;

import dev.natrecon.correlate.Binding;
import dev.natrecon.decode.Protocols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code rtp.media_stopped}: a direction of an answered call's media that stopped for good while the other direction
 * kept flowing for at least {@link #STOP_NANOS}, on some capture side. Each stop is told per side (where the stream was
 * last seen before and after the router) and tied, at the end of the run, to the router model's binding of the phone's
 * media endpoint when one ended near the stop (its expiry, flush or kill, with its time). A call whose SDP put the
 * media on hold is not judged (the stop may be what was negotiated); where silence suppression was offered (comfort
 * noise, RFC 3389, or G.729 whose Annex B is on unless {@code annexb=no}, RFC 4749 §4.1) the stop is an info: a
 * party that stays silent sends nothing.
 */
final class MediaStops {
    /**
     * The other direction must flow this long after the stop: 10 s, five times the answer window
     * ({@link MediaDetector#ANSWER_WINDOW_NANOS}); a pause in speech with silence suppression lasts seconds, and a
     * phone's media ends within a packetization interval of its BYE (RFC 3551's 20 ms), so a shorter gap before the
     * end of the call is no stop.
     */
    static final long STOP_NANOS = 10_000_000_000L;
    /** A binding that ended this close before the stop, or any time after it while the call lasted, is told with it. */
    static final long BINDING_SLACK_NANOS = 2_000_000_000L;

    private static final String[] PARTY = {"phone", "remote"};
    private static final String[] SIDE = {"LAN", "WAN"};

    /** One stop: the builder with the call's evidence, and what to look the binding up by. */
    private record Stop(Finding.Builder builder, String text, long stoppedAt, long callEnd, boolean hasPhone,
                        long phoneHi, long phoneLo, int phonePort) {
    }

    private final List<Stop> stops = new ArrayList<>();

    /** Checks call {@code c} (answered), judged at {@code end}; {@code base} makes the call's finding builder. */
    void check(MediaDetector.Call c, long end, long[] sideEnd, Function<Long, Finding.Builder> base) {
        for (int side = 0; side < 2; side++) for (int p = 0; p < 2; p++) if (c.inForce[side][p].everHeld()) return;
        for (int to = 0; to < 2; to++) {
            long stoppedAt = Long.MAX_VALUE, otherUntil = Long.MIN_VALUE;
            List<String> where = new ArrayList<>();
            List<long[]> frames = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                MediaDetector.Stream st = c.streams[side][to], other = c.streams[side][1 - to];
                if (st.packets == 0 || other.packets == 0 || other.last - st.last < STOP_NANOS) continue;
                stoppedAt = Math.min(stoppedAt, st.last);
                otherUntil = Math.max(otherUntil, other.last);
                where.add(String.format(Locale.ROOT, "%s: last packet to the %s %.3f s after the answer (frame %d, "
                                + "%d packets), while media to the %s continued for %.3f s more (to frame %d)", SIDE[side],
                        PARTY[to], (st.last - c.answer) / 1e9, st.lastFrame, st.packets, PARTY[1 - to],
                        (other.last - st.last) / 1e9, other.lastFrame));
                frames.add(new long[] {side, st.lastFrame, other.lastFrame});
            }
            if (where.isEmpty()) continue;
            // the far side still carried it after the near side's stop: the router stopped forwarding it
            int into = to == 0 ? 0 : 1, from = 1 - into;
            MediaDetector.Stream near = c.streams[into][to], far = c.streams[from][to];
            String hop = "";
            if (near.packets > 0 && far.packets > 0 && far.last - near.last >= STOP_NANOS / 5) {
                hop = String.format(Locale.ROOT, "; it still reached the router's %s for %.3f s after the last packet "
                        + "forwarded to the %s: the router stopped forwarding it", SIDE[from], (far.last - near.last) / 1e9,
                        SIDE[into]);
            }
            boolean suppression = silenceSuppression(c.facts.codecs[1 - to]);
            Finding.Builder b = base.apply(stoppedAt).at(otherUntil);
            for (long[] f : frames) b.frame(f[0] == 0 ? "lan" : "wan", f[1]).frame(f[0] == 0 ? "lan" : "wan", f[2]);
            b.detail("stop", String.join("; ", where));
            if (suppression) b.severity(Severity.INFO);
            String text = String.format(Locale.ROOT, "Call %s: media to the %s stopped %.3f s after the answer while "
                            + "media to the %s continued (%s)%s%s", c.callId, PARTY[to], (stoppedAt - c.answer) / 1e9,
                    PARTY[1 - to], String.join("; ", where), hop, suppression ? "; the " + PARTY[1 - to]
                            + "'s SDP offers silence suppression (" + c.facts.codecs[1 - to] + "), so a silent party sends "
                            + "nothing: cannot tell a stop from silence" : "");
            SipFacts.Host phone = c.sdp[0][0];
            boolean hasPhone = phone != null && phone.literal();
            if (stops.size() < Detection.MAX_FINDINGS_PER_RULE) {
                stops.add(new Stop(b, text, stoppedAt, Math.min(end, Math.max(otherUntil, stoppedAt)), hasPhone,
                        hasPhone ? phone.hi() : 0, hasPhone ? phone.lo() : 0, hasPhone ? phone.port() : 0));
            }
        }
    }

    /** Comfort noise (RFC 3389) or G.729 (Annex B on by default, RFC 4749 §4.1) among a party's codecs. */
    static boolean silenceSuppression(String codecs) {
        if (codecs == null) return false;
        for (String c : codecs.split(", ")) {
            String u = c.toUpperCase(Locale.ROOT);
            if (u.equals("CN") || u.startsWith("G729")) return true;
        }
        return false;
    }

    /** The findings, each with the binding of the phone's media endpoint that ended near its stop, if any. */
    List<Finding> findings(List<Binding> bindings) {
        List<Finding> out = new ArrayList<>(stops.size());
        Binding[] near = endedNear(bindings);
        for (int i = 0; i < stops.size(); i++) {
            Stop s = stops.get(i);
            Binding ended = near[i];
            String tie = "";
            if (ended != null) {
                long dt = ended.endNanos() - s.stoppedAt();
                tie = String.format(Locale.ROOT, ". The router model's binding %s ↔ %s (entry %d) %s %.3f s %s the "
                                + "stop%s", ended.internal(), ended.remote(), ended.entry(), ended.ending().label(),
                        Math.abs(dt) / 1e9, dt >= 0 ? "after" : "before",
                        ended.endDetail().isEmpty() ? "" : " (" + ended.endDetail() + ")");
                s.builder().detail("binding", "#" + ended.id + " " + ended.internal() + " -> " + ended.external()
                        + " ↔ " + ended.remote() + ", " + ended.ending().label() + " at +"
                        + String.format(Locale.ROOT, "%.3f s", dt / 1e9) + " from the stop");
                if (ended.entry() != 0) s.builder().conntrack(Long.toString(ended.entry()));
                if (ended.endFrame() != 0) s.builder().frame("lan", ended.endFrame());
            }
            out.add(s.builder().message(s.text() + tie + ".").build());
        }
        return out;
    }

    /**
     * For each stop with a phone, the UDP binding of the phone's media endpoint that ended closest to the stop while the
     * call lasted (the first of equally close ones), else null: one pass over the bindings, which may be a million.
     */
    private Binding[] endedNear(List<Binding> bindings) {
        Binding[] best = new Binding[stops.size()];
        java.util.Map<String, List<Integer>> byPhone = new java.util.HashMap<>();
        for (int i = 0; i < stops.size(); i++) {
            Stop s = stops.get(i);
            if (s.hasPhone()) byPhone.computeIfAbsent(s.phoneHi() + " " + s.phoneLo() + " " + s.phonePort(),
                    k -> new ArrayList<>()).add(i);
        }
        if (byPhone.isEmpty()) return best;
        for (Binding b : bindings) {
            if (b.protocol != Protocols.UDP || !b.ended()) continue;
            List<Integer> at = byPhone.get(b.internalHi + " " + b.internalLo + " " + b.internalPort);
            if (at == null) continue;
            for (int i : at) {
                Stop s = stops.get(i);
                long t = b.endNanos();
                if (t < s.stoppedAt() - BINDING_SLACK_NANOS || t > s.callEnd()) continue;
                if (best[i] == null || Math.abs(t - s.stoppedAt()) < Math.abs(best[i].endNanos() - s.stoppedAt())) {
                    best[i] = b;
                }
            }
        }
        return best;
    }
}
