/**
 * The command line (picocli): parses options, calls the engine, renders its result as text or JSON and maps outcomes
 * to exit codes. The only code that touches standard output, standard error and the process exit status. Every
 * command writes through {@link dev.natrecon.cli.TerminalWriter}, which shows control characters from captures as
 * escapes ({@code \e}, {@code \xNN}) so capture text cannot drive the terminal. The exit status follows the run's
 * {@link dev.natrecon.engine.RunVerdict} ({@link dev.natrecon.cli.Main#INCONCLUSIVE} when nothing could be judged);
 * progress lines ({@link dev.natrecon.cli.ProgressLine}: batch's bar, analyze's frame count on stderr) appear only on a
 * terminal. {@code analyze} prints the verdict first, then each warning and error finding (one per rule and cause) in
 * at most three lines ({@link dev.natrecon.cli.FindingLines}; info findings with {@code -v}), every line within 120
 * columns ({@link dev.natrecon.cli.ColumnWriter}).
 *
 * <p>Must not touch: analysis logic, formats, the model; everything except engine/batch entry points and sinks.
 */
package dev.natrecon.cli;
