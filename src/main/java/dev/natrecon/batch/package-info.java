/**
 * Batch processing of capture archives: finding the cases in folders, zip and tar archives or a manifest CSV
 * ({@link dev.natrecon.batch.CaseDiscovery}), running them in parallel with one analysis per case and failures isolated
 * per case ({@link dev.natrecon.batch.BatchRunner}), skipping cases already done with unchanged inputs, and the
 * batch's own outputs (summary.csv, index.html).
 *
 * <p>Owns: containers (a folder or an archive read in place), case discovery and its naming rules, the batch's
 * output folder layout and resumption. Must not touch: per-packet logic (it calls the engine once per case), the
 * console (it reports progress through {@link dev.natrecon.batch.BatchListener}; the CLI renders it).
 */
package dev.natrecon.batch;
