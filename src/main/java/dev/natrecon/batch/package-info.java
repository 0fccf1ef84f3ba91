/**
 * Batch processing of capture archives: finding the cases in folders, zip and tar archives or a manifest CSV
 * ({@link dev.natrecon.batch.CaseDiscovery}), running them in parallel with one analysis per case and failures isolated
 * per case ({@link dev.natrecon.batch.BatchRunner}), skipping cases already done with unchanged inputs, and the
 * batch's own outputs (summary.csv, index.html: each case's verdict as its run decided it, with the reasons when it is
 * inconclusive, and the worst finding whatever the verdict, which the exit status reads).
 *
 * <p>Untrusted input: case names are made safe path parts ({@link dev.natrecon.batch.CaseDiscovery}), unsafe archive
 * members and links are listed, never unpacked ({@link dev.natrecon.batch.Archives}), members are unpacked within
 * bounds ({@link dev.natrecon.batch.Extraction}), case settings may name only files inside their archive or folder, and
 * output folders are written whole then swapped in, replacing only what natrecon wrote
 * ({@link dev.natrecon.batch.FolderSwap}, also used by {@code analyze}). Whatever fails inside one case, including
 * running out of memory, fails that case only.
 *
 * <p>A case as plain serialisable data ({@link dev.natrecon.batch.CaseTask}) is what the Spark job
 * ({@code dev.natrecon.spark}) ships to its workers: they unpack and run it with this package's own code, so a case
 * folder and its summary row are the same whichever runs it.
 *
 * <p>Owns: containers (a folder or an archive read in place), case discovery and its naming rules, the batch's
 * output folder layout and resumption, the write-then-swap of an analysis folder. Must not touch: per-packet logic (it calls the engine once per case), the
 * console (it reports progress through {@link dev.natrecon.batch.BatchListener}; the CLI renders it).
 */
package dev.natrecon.batch;
