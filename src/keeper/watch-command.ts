/**
 * `npx hardhat watch --network <name>`: the watcher of one deployment, from its options to its
 * exit status. The task module only connects and calls {@link watchCommand}; the tests call it
 * the same way.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { InputError } from "../core/errors.js";
import { bpsToPercent } from "../core/format.js";
import type { NetworkContext } from "../emissions/cli.js";
import { BorrowerBook } from "./borrowers.js";
import { marketsChain, type MarketsChain } from "./scan.js";
import { EXIT_ALERT, minutes, runWatch, WATCH_KINDS, type WatchKind, type WatchOptions, type WatchSummary } from "./watch.js";

export interface WatchArgs {
  once: boolean;
  /** State directory; "" = `.watch/<network>/`. */
  state: string;
  marginBps: number;
  /** How far ahead a queued proposal is "due soon": seconds, or 30m, 6h, 1d. */
  soon: string;
  /** Comma list of kinds (mismatch,liquidatable,stale,paused,proposal), "none" or "". */
  failOn: string;
  confirmations: number;
  pollMs: number;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

const argsSchema = z.object({
  marginBps: z.number().int("must be a whole number of bps").min(0, "must be 0 or more").max(100_000, "must be at most 100000 (10×)"),
  soon: z
    .string()
    .trim()
    .regex(/^\d+[smhd]?$/, "must be seconds or a duration such as 30m, 6h, 1d")
    .transform((t) => Number(t.replace(/[smhd]$/, "")) * (UNIT_SECONDS[t.at(-1)!] ?? 1)),
  failOn: z
    .string()
    .trim()
    .transform((t) => (t === "" || t === "none" ? [] : t.split(",").map((k) => k.trim())))
    .pipe(z.array(z.enum(WATCH_KINDS, { error: (i) => `unknown kind "${String(i.input)}" (kinds: ${WATCH_KINDS.join(", ")}, or none)` }))),
  confirmations: z.number().int("must be a whole number of blocks").min(0, "must be 0 or more"),
  pollMs: z.number().int().min(10, "must be at least 10"),
});

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The options checked (zod), or an InputError naming the option: `--fail-on: unknown kind "x" …`. */
export function watchSettings(args: WatchArgs): z.output<typeof argsSchema> {
  const r = argsSchema.safeParse({ marginBps: args.marginBps, soon: args.soon, failOn: args.failOn, confirmations: args.confirmations, pollMs: args.pollMs });
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const input = (args as unknown as Record<string, unknown>)[String(issue.path[0])];
  throw new InputError(`--${kebab(String(issue.path[0]))} ${JSON.stringify(input)}: ${issue.message}`);
}

/** Runs the watcher as the command does; returns its summary (the exit status is `exitCode`). */
export async function watchCommand(
  ctx: NetworkContext,
  args: WatchArgs,
  o: { log: (line: string) => void; control?: { stop: boolean }; provider?: WatchOptions["provider"]; retryMs?: number; maxFailures?: number },
): Promise<WatchSummary> {
  const s = watchSettings(args);
  const { manifest } = ctx;
  const provider = o.provider ?? ctx.conn.ethers.provider;
  const stateDir = args.state || path.join(".watch", manifest.network);
  await mkdir(stateDir, { recursive: true }).catch((e: Error) => {
    throw new InputError(`--state ${stateDir}: cannot create the state directory (${e.message})`);
  });
  let chain: MarketsChain | undefined;
  let book: BorrowerBook | undefined;
  if (manifest.contracts.controller) {
    chain = await marketsChain(provider, manifest);
    book = await BorrowerBook.open({ file: path.join(stateDir, "borrowers.json"), chainId: manifest.chainId, controller: chain.controller, fromBlock: manifest.block, confirmations: s.confirmations });
  }
  const failOn = new Set<WatchKind>(s.failOn);
  o.log(
    `watching ${manifest.network} (chain ${manifest.chainId}): ` +
      `${chain ? `${chain.markets.length} markets (${chain.markets.map((m) => m.symbol).join(", ")}), ${book!.accounts().length} borrowers known` : "no markets"}; ` +
      `${manifest.contracts.rewardsDistributor ? `roots of RewardsDistributor ${manifest.contracts.rewardsDistributor}` : "no rewards distributor"}; ` +
      `near-line margin ${bpsToPercent(s.marginBps)}; proposals due within ${minutes(s.soon)}; ` +
      `exit ${EXIT_ALERT} on ${failOn.size ? [...failOn].join(", ") : "nothing"}; state ${stateDir}`,
  );
  return runWatch({
    provider,
    manifest,
    chain,
    book,
    stateDir,
    marginBps: BigInt(s.marginBps),
    soonSeconds: s.soon,
    failOn,
    once: args.once,
    confirmations: s.confirmations,
    pollMs: s.pollMs,
    retryMs: o.retryMs,
    maxFailures: o.maxFailures,
    log: o.log,
    control: o.control,
  });
}
