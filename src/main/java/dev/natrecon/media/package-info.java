/**
 * Media quality across the router, from the same per-packet {@code Crossing} records the detectors read: per RTP
 * stream and direction, what the router's two captures show of its loss, delay and reordering before the router and
 * at it ({@link dev.natrecon.media.HopAttribution}, {@link dev.natrecon.media.HopLedger}), and the verdict on where
 * each impairment happened ({@link dev.natrecon.media.HopVerdicts}). Constant memory per stream; no I/O.
 */
package dev.natrecon.media;
