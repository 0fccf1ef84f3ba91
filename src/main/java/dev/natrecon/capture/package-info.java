/**
 * Capture files: the classic pcap and pcapng readers (both byte orders, µs/ns resolution, pcapng sections and
 * interfaces each with their own link type and {@code if_tsresol}), transparent gzip/zstd/xz decompression chosen by
 * magic bytes, the reusable {@link dev.natrecon.capture.RawFrame} view, capture points and the k-way merge of
 * several captures onto one corrected timeline. A file of {@link dev.natrecon.capture.CaptureReader#READ_AHEAD_MIN_BYTES}
 * or more is read and decompressed on its own thread, a bounded few chunks ahead of the single-threaded analysis, with
 * the same bytes, frames and errors as inline ({@code ReadAheadStream}); a reader opened with
 * {@link dev.natrecon.capture.CaptureReader#openForThread} reads inline instead, for a caller that runs it on a thread
 * of its own (the replay, which decodes ahead there). A first pass over a compressed file opened with
 * {@link dev.natrecon.capture.CaptureReader#openKeeping} keeps what it decompressed (up to a budget) so that a second
 * pass resumes the same decompressor after it ({@link dev.natrecon.capture.KeptPrefix},
 * {@link dev.natrecon.capture.CaptureReader#resume}) instead of decompressing the start twice. Reading is bounded ({@link dev.natrecon.capture.DecompressionLimit},
 * {@link dev.natrecon.capture.CaptureReader#MAX_CAPTURED_LENGTH}); the anomaly vocabulary shared by every package
 * ({@link dev.natrecon.capture.Anomaly}, and {@link dev.natrecon.capture.Bound} for the resource bounds) lives here, and
 * the one rule of the {@code -Dnatrecon.X=off} comparison switches every layer reads ({@link dev.natrecon.capture.Switches}).
 *
 * <p>Must not touch: any protocol above the link type (that is {@code decode}), flows, the model, or the console.
 */
package dev.natrecon.capture;
