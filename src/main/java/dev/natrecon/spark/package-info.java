/**
 * {@code natrecon batch} on Apache Spark: the same cases, one Spark task each, on a cluster
 * ({@link dev.natrecon.spark.SparkBatch}). Discovery runs once on the driver with batch's own
 * {@link dev.natrecon.batch.CaseDiscovery} (through {@link dev.natrecon.batch.CaseTask}); each task fetches its case's
 * files (through the Hadoop FileSystem API when they are not on a local file system,
 * {@link dev.natrecon.spark.HadoopFiles}), runs it with batch's own code (resumption by input hash, write-then-rename
 * of the case folder, case-summary.csv) under a per-case time limit ({@link dev.natrecon.spark.CaseDeadline}) and
 * returns its summary row; the driver writes summary.csv and index.html with batch's code.
 *
 * <p>Owns: the driver's staging of remote inputs for discovery, the task function and its retry rule, the Hadoop
 * copies. Must not touch: per-case analysis (it calls {@link dev.natrecon.batch.CaseTask.Prepared#run}), the console
 * (the CLI's {@code SparkBatchCommand} prints and exits). Spark and Hadoop are {@code provided}: only this package and
 * that command refer to them, so natrecon without Spark never loads them.
 */
package dev.natrecon.spark;
