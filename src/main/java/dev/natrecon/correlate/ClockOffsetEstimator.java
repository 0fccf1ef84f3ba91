package dev.natrecon.correlate;

import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Estimates how far the WAN capture's clock is from the LAN capture's, from packets seen on both sides.
 *
 * <p>For a matched pair, {@code delta = t_wan − t_lan} is the clock offset plus the forwarding delay for outbound
 * packets and minus it for inbound ones. The estimate fits {@code delta = offset + drift·(t − t0) + latency·dir}
 * (dir = +1 outbound, −1 inbound, 0 unknown) by least squares over the pairs within a robust band around the median,
 * so the router's own delay cancels out instead of biasing the offset. Drift is fitted only when the pairs span at
 * least {@link #MIN_DRIFT_SPAN_SECONDS} and it moves the timeline by more than {@link #DRIFT_SIGNIFICANCE_SECONDS}.
 */
public final class ClockOffsetEstimator {
    static final double MIN_DRIFT_SPAN_SECONDS = 30;
    static final double DRIFT_SIGNIFICANCE_SECONDS = 200e-6;
    /** Pairs further than this from the median (or 6 robust deviations, whichever is larger) are outliers. */
    static final double MIN_BAND_SECONDS = 0.002;

    private ClockOffsetEstimator() {
    }

    private record Pair(double t, double delta, int dir) {
    }

    public static ClockEstimate estimate(KeySampler lan, KeySampler wan) {
        return estimate(lan, wan, Inside.privateRanges());
    }

    /** {@code inside}: what is behind the router, which orients an untranslated pair (inside source: outbound). */
    public static ClockEstimate estimate(KeySampler lan, KeySampler wan, Inside inside) {
        long threshold = Math.min(lan.threshold(), wan.threshold());
        lan.lowerThreshold(threshold);
        wan.lowerThreshold(threshold);
        List<Pair> pairs = new ArrayList<>();
        TreeSet<String> external = new TreeSet<>();
        long t0 = Long.MAX_VALUE;
        for (KeySampler.Sample l : lan.samples().values()) if (l.count == 1) t0 = Math.min(t0, l.nanos);
        for (Map.Entry<Long, KeySampler.Sample> e : lan.samples().entrySet()) {
            KeySampler.Sample l = e.getValue();
            KeySampler.Sample w = wan.samples().get(e.getKey());
            if (l.count != 1 || w == null || w.count != 1) continue;
            int dir;
            if (l.srcHi != w.srcHi || l.srcLo != w.srcLo || l.srcPort != w.srcPort) {
                dir = 1;
                external.add(Addresses.format(w.srcHi, w.srcLo));
            } else if (l.dstHi != w.dstHi || l.dstLo != w.dstLo || l.dstPort != w.dstPort) {
                dir = -1;
                external.add(Addresses.format(w.dstHi, w.dstLo));
            } else {
                boolean sp = inside.contains(l.srcHi, l.srcLo), dp = inside.contains(l.dstHi, l.dstLo);
                dir = sp && !dp ? 1 : (!sp && dp ? -1 : 0);
            }
            pairs.add(new Pair((l.nanos - t0) / 1e9, (w.nanos - l.nanos) / 1e9, dir));
        }
        if (pairs.isEmpty()) return ClockEstimate.none("none: no packet seen on both sides");
        pairs.sort((a, b) -> Double.compare(a.t, b.t));
        double[] deltas = pairs.stream().mapToDouble(Pair::delta).toArray();
        double median = median(deltas);
        double mad = 1.4826 * median(Arrays.stream(deltas).map(d -> Math.abs(d - median)).toArray());
        double band = Math.max(MIN_BAND_SECONDS, 6 * mad);
        List<Pair> kept = new ArrayList<>();
        for (Pair p : pairs) if (Math.abs(p.delta - median) <= band) kept.add(p);
        int outliers = pairs.size() - kept.size();

        boolean both = kept.stream().anyMatch(p -> p.dir > 0) && kept.stream().anyMatch(p -> p.dir < 0);
        double span = kept.get(kept.size() - 1).t - kept.get(0).t;
        boolean drift = span >= MIN_DRIFT_SPAN_SECONDS && kept.size() >= 20;
        double[] fit = fit(kept, drift, both);
        if (drift && Math.abs(fit[1] * span) < DRIFT_SIGNIFICANCE_SECONDS) {
            drift = false;
            fit = fit(kept, false, both);
        }
        double[] residuals = new double[kept.size()];
        double maxResidual = 0;
        int out = 0, in = 0;
        for (int i = 0; i < kept.size(); i++) {
            Pair p = kept.get(i);
            residuals[i] = p.delta - (fit[0] + fit[1] * p.t + fit[2] * p.dir);
            maxResidual = Math.max(maxResidual, Math.abs(residuals[i]));
            if (p.dir > 0) out++;
            if (p.dir < 0) in++;
        }
        double spread = 1.4826 * median(Arrays.stream(residuals).map(Math::abs).toArray());
        return new ClockEstimate("estimated", fit[0], fit[1] * 1e6, t0, kept.size(), spread, maxResidual, fit[2], out,
                in, outliers, List.copyOf(external));
    }

    /** Least squares for [offset, drift, latency]; unused terms are fixed at 0. */
    private static double[] fit(List<Pair> pairs, boolean drift, boolean latency) {
        int k = 1 + (drift ? 1 : 0) + (latency ? 1 : 0);
        double[][] a = new double[k][k + 1];
        for (Pair p : pairs) {
            double[] x = new double[k];
            int i = 0;
            x[i++] = 1;
            if (drift) x[i++] = p.t;
            if (latency) x[i] = p.dir;
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) a[r][c] += x[r] * x[c];
                a[r][k] += x[r] * p.delta;
            }
        }
        double[] sol = solve(a, k);
        double[] result = new double[3];
        int i = 0;
        result[0] = sol[i++];
        if (drift) result[1] = sol[i++];
        if (latency) result[2] = sol[i];
        return result;
    }

    /** Gaussian elimination with partial pivoting on an augmented k×(k+1) matrix. */
    private static double[] solve(double[][] a, int k) {
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            if (Math.abs(a[col][col]) < 1e-15) continue;
            for (int r = 0; r < k; r++) {
                if (r == col) continue;
                double f = a[r][col] / a[col][col];
                for (int c = col; c <= k; c++) a[r][c] -= f * a[col][c];
            }
        }
        double[] x = new double[k];
        for (int r = 0; r < k; r++) x[r] = Math.abs(a[r][r]) < 1e-15 ? 0 : a[r][k] / a[r][r];
        return x;
    }

    static double median(double[] v) {
        if (v.length == 0) return 0;
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
