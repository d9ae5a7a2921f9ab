import { InputError } from "./errors.js";
/**
 * What every command-line entry point shares: required options, and turning an error in the
 * user's input into one plain line naming what was wrong, with a non-zero exit code.
 */

/** A required string option, or an InputError naming it. */
export function required(value: string, name: string): string {
  if (!value) throw new InputError(`--${name} is required`);
  return value;
}

/**
 * Runs a command; an InputError (bad input of any kind) is printed as one line, with exit code 1,
 * instead of a stack trace. Anything else is a bug and propagates.
 */
export async function runCommand(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof InputError) {
      console.error(`error: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
