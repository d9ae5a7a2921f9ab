/**
 * What every command-line entry point shares: required options, and turning any failure (bad
 * input, an unreachable or refusing service, a chain in the wrong state, a revert, a Hardhat
 * error) into one plain line naming what was wrong, with a non-zero exit code.
 */
import { FluxError, InputError, messageOf } from "./errors.js";
// revert.ts (and ethers) is loaded only when a command fails: a command that succeeds never needs it
import type { ArtifactsLike, RevertDecoder } from "./revert.js";

/** A required string option, or an InputError naming it. */
export function required(value: string, name: string): string {
  if (!value) throw new InputError(`--${name} is required`);
  return value;
}

/** Whether Hardhat's global `--show-stack-traces` flag was given to this process. */
export function showStackTraces(argv: readonly string[] = process.argv): boolean {
  return argv.includes("--show-stack-traces");
}

/** What runCommand reads of the Hardhat runtime (structurally: core does not import Hardhat). */
export interface RuntimeLike {
  artifacts: ArtifactsLike;
  config: { networks: Record<string, unknown> };
}

export interface CommandOptions {
  /** The Hardhat runtime: reverts are decoded against every compiled ABI, an unreachable network is named by its URL. */
  hre?: RuntimeLike;
  /** `hre.artifacts` alone (when there is no runtime). */
  artifacts?: ArtifactsLike;
  /** Print the stack trace too (default: Hardhat's `--show-stack-traces` on the command line). */
  showStackTraces?: boolean;
  /** Where lines go (default console.error). */
  print?: (line: string) => void;
}

/**
 * Runs a command. Any failure is printed as one line, `error: <message>`, with exit code 1:
 * a {@link FluxError} as it is, a revert decoded (`… reverted: Name(args)`), an unreachable RPC
 * as unreachable, a Hardhat error with its own message, and anything else (a bug) with its
 * message and a hint. With `--show-stack-traces` the line is followed by the stack trace, and an
 * unexpected error is rethrown for Hardhat to report. Never reaches Hardhat's "report a bug" path
 * otherwise.
 */
export async function runCommand(fn: () => Promise<void>, o: CommandOptions = {}): Promise<void> {
  const artifacts = o.artifacts ?? o.hre?.artifacts;
  const stacks = o.showStackTraces ?? showStackTraces();
  const print = o.print ?? ((line: string) => console.error(line));
  try {
    await fn();
  } catch (e) {
    const { decoderFromArtifacts, describeFailure } = await import("./revert.js");
    let decoder: RevertDecoder | undefined;
    if (artifacts && !(e instanceof FluxError)) {
      try {
        decoder = await decoderFromArtifacts(artifacts);
      } catch {
        // no artifacts (not compiled): decode Error/Panic only
      }
    }
    const known = describeFailure(e, { decoder, url: await endpoint(e, o.hre) });
    process.exitCode = 1;
    if (known) {
      print(`error: ${oneLine(known.message)}`);
      if (stacks) print(String((e as Error)?.stack ?? e));
      return;
    }
    if (stacks) throw e;
    print(`error: ${oneLine(messageOf(e))} (unexpected: run again with --show-stack-traces for the stack trace)`);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * The origin (scheme, host, port: never a path, which may hold an API key) of the network an
 * error names (`network "localhost"`, as Hardhat's connection errors do), from the runtime's config.
 */
async function endpoint(e: unknown, hre?: RuntimeLike): Promise<string | undefined> {
  const name = /network "([^"]+)"/.exec(messageOf(e))?.[1];
  const cfg = name ? (hre?.config.networks[name] as { url?: unknown } | undefined) : undefined;
  if (!cfg?.url) return undefined;
  try {
    const u = cfg.url as string | { getUrl?: () => Promise<string>; get?: () => Promise<string> };
    const text = typeof u === "string" ? u : await (u.getUrl ?? u.get)!.call(u);
    return `${new URL(text).origin} (network ${name})`;
  } catch {
    return undefined;
  }
}
