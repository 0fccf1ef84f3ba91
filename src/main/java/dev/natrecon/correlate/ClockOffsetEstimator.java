package dev.natrecon.correlate;

import dev.natrecon.decode.Addresses;
import java.util.Arrays;
import java.util.List;
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

    public static ClockEstimate estimate(KeySampler lan, KeySampler wan) {
        return estimate(lan, wan, Inside.privateRanges());
    }

    /**
     * {@code inside}: what is behind the router, which orients an untranslated pair (inside source: outbound).
     *
     * <p>The pairs are taken in the order of their LAN packets' times, and pairs of the same time in the order the LAN
     * capture holds them: every sum is then taken in one order whatever the samplers' layout.
     */
    public static ClockEstimate estimate(KeySampler lan, KeySampler wan, Inside inside) {
        long threshold = Math.min(lan.threshold(), wan.threshold());
        lan.lowerThreshold(threshold);
        wan.lowerThreshold(threshold);
        int n = lan.size();
        long t0 = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) if (lan.count(i) == 1) t0 = Math.min(t0, lan.nanos(i));
        // the usable pairs: LAN sample, WAN sample and direction, in the LAN capture's order
        int[] lanAt = new int[n], wanAt = new int[n], dirs = new int[n];
        int m = 0;
        TreeSet<String> external = new TreeSet<>();
        long lastHi = 0, lastLo = 0;
        boolean any = false;
        for (int l = 0; l < n; l++) {
            if (lan.count(l) != 1) continue;
            int w = wan.indexOf(lan.key(l));
            if (w < 0 || wan.count(w) != 1) continue;
            int dir;
            long hi = 0, lo = 0;
            boolean translated = true;
            if (lan.srcHi(l) != wan.srcHi(w) || lan.srcLo(l) != wan.srcLo(w) || lan.srcPort(l) != wan.srcPort(w)) {
                dir = 1;
                hi = wan.srcHi(w);
                lo = wan.srcLo(w);
            } else if (lan.dstHi(l) != wan.dstHi(w) || lan.dstLo(l) != wan.dstLo(w)
                    || lan.dstPort(l) != wan.dstPort(w)) {
                dir = -1;
                hi = wan.dstHi(w);
                lo = wan.dstLo(w);
            } else {
                translated = false;
                boolean sp = inside.contains(lan.srcHi(l), lan.srcLo(l));
                boolean dp = inside.contains(lan.dstHi(l), lan.dstLo(l));
                dir = sp && !dp ? 1 : (!sp && dp ? -1 : 0);
            }
            if (translated && (!any || hi != lastHi || lo != lastLo)) { // formatted once per run of one address
                external.add(Addresses.format(hi, lo));
                any = true;
                lastHi = hi;
                lastLo = lo;
            }
            lanAt[m] = l;
            wanAt[m] = w;
            dirs[m] = dir;
            m++;
        }
        if (m == 0) return ClockEstimate.none("none: no packet seen on both sides");
        int[] order = byTime(lan, lanAt, m);
        double[] ts = new double[m], deltas = new double[m];
        int[] dir = new int[m];
        for (int k = 0; k < m; k++) {
            int i = order[k];
            long ln = lan.nanos(lanAt[i]);
            ts[k] = (ln - t0) / 1e9;
            deltas[k] = (wan.nanos(wanAt[i]) - ln) / 1e9;
            dir[k] = dirs[i];
        }
        double median = median(deltas);
        double[] deviations = new double[m];
        for (int k = 0; k < m; k++) deviations[k] = Math.abs(deltas[k] - median);
        double mad = 1.4826 * median(deviations);
        double band = Math.max(MIN_BAND_SECONDS, 6 * mad);
        // the pairs kept, in time order
        double[] t = new double[m], delta = new double[m];
        int[] d = new int[m];
        int kept = 0;
        boolean out0 = false, in0 = false;
        for (int k = 0; k < m; k++) {
            if (Math.abs(deltas[k] - median) > band) continue;
            t[kept] = ts[k];
            delta[kept] = deltas[k];
            d[kept] = dir[k];
            out0 |= dir[k] > 0;
            in0 |= dir[k] < 0;
            kept++;
        }
        int outliers = m - kept;

        boolean both = out0 && in0;
        double span = t[kept - 1] - t[0];
        boolean drift = span >= MIN_DRIFT_SPAN_SECONDS && kept >= 20;
        double[] fit = fit(t, delta, d, kept, drift, both);
        if (drift && Math.abs(fit[1] * span) < DRIFT_SIGNIFICANCE_SECONDS) {
            drift = false;
            fit = fit(t, delta, d, kept, false, both);
        }
        double[] residuals = new double[kept];
        double maxResidual = 0;
        int out = 0, in = 0;
        for (int i = 0; i < kept; i++) {
            residuals[i] = delta[i] - (fit[0] + fit[1] * t[i] + fit[2] * d[i]);
            maxResidual = Math.max(maxResidual, Math.abs(residuals[i]));
            if (d[i] > 0) out++;
            if (d[i] < 0) in++;
        }
        for (int i = 0; i < kept; i++) residuals[i] = Math.abs(residuals[i]);
        double spread = 1.4826 * median(residuals);
        return new ClockEstimate("estimated", fit[0], fit[1] * 1e6, t0, kept, spread, maxResidual, fit[2], out,
                in, outliers, List.copyOf(external));
    }

    /**
     * Positions 0..m-1 of the pairs ordered by their LAN packets' times ({@code lan.nanos(lanAt[i])}), pairs of the
     * same time in their order (a stable merge sort on primitives).
     */
    static int[] byTime(KeySampler lan, int[] lanAt, int m) {
        long[] key = new long[m];
        for (int i = 0; i < m; i++) key[i] = lan.nanos(lanAt[i]);
        int[] a = new int[m], b = new int[m];
        for (int i = 0; i < m; i++) a[i] = i;
        for (int width = 1; width < m; width *= 2) {
            for (int lo = 0; lo < m; lo += 2 * width) {
                int mid = Math.min(lo + width, m), hi = Math.min(lo + 2 * width, m);
                int i = lo, j = mid, o = lo;
                while (i < mid && j < hi) b[o++] = key[a[j]] < key[a[i]] ? a[j++] : a[i++];
                while (i < mid) b[o++] = a[i++];
                while (j < hi) b[o++] = a[j++];
            }
            int[] s = a;
            a = b;
            b = s;
        }
        return a;
    }

    /** Least squares for [offset, drift, latency]; unused terms are fixed at 0. */
    private static double[] fit(double[] t, double[] delta, int[] dir, int n, boolean drift, boolean latency) {
        int k = 1 + (drift ? 1 : 0) + (latency ? 1 : 0);
        double[][] a = new double[k][k + 1];
        double[] x = new double[k];
        for (int p = 0; p < n; p++) {
            int i = 0;
            x[i++] = 1;
            if (drift) x[i++] = t[p];
            if (latency) x[i] = dir[p];
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) a[r][c] += x[r] * x[c];
                a[r][k] += x[r] * delta[p];
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
