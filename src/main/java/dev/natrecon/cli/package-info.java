/**
 * The command line (picocli): parses options, calls the engine, renders its result as text or JSON and maps outcomes
 * to exit codes. The only code that touches standard output, standard error and the process exit status.
 *
 * <p>Must not touch: analysis logic, formats, the model; everything except engine/batch entry points and sinks.
 */
package dev.natrecon.cli;
