/**
 * What every command-line entry point shares: required options, and turning an expected failure
 * (bad input, an unreachable or refusing service, a chain in the wrong state) into one plain line
 * naming what was wrong, with a non-zero exit code.
 */
import { FluxError, InputError } from "./errors.js";

/** A required string option, or an InputError naming it. */
export function required(value: string, name: string): string {
  if (!value) throw new InputError(`--${name} is required`);
  return value;
}

/**
 * Runs a command; a {@link FluxError} (any failure the toolkit reports on purpose) is printed as
 * one line, `error: <message>`, with exit code 1, instead of a stack trace. Anything else is a
 * bug and propagates with its stack.
 */
export async function runCommand(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof FluxError) {
      console.error(`error: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
