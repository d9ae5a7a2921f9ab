/**
 * A Snapshot signal that carries its own on-chain proposal. The Snapshot proposal's body is the
 * exact on-chain description of its first chain, followed by a fenced `flux-proposal` JSON block
 * with, per chain, the Governor and the calls (`proposal export`'s objects). Holders read the same
 * text they will later see on Tally; `proposal from-snapshot` takes the calls back out and
 * proposes them. A chain whose description differs from the body's (its actions name that chain's
 * own contract addresses, as they do when deployments differ) carries its description in the block.
 *
 * Integrity: each chain's `proposalId` in the block must equal the Governor's hash of the calls and
 * that chain's description, so neither can be edited without the id changing, and the Snapshot message is
 * signed by its author. The description ends with `#proposer=<address>` (the block's `proposer`):
 * only that address can propose it on-chain, so nobody holding the threshold can front-run the
 * proposal with the signal's exact calls and text. `from-snapshot` further requires the vote to have passed by our own
 * recount (`tallyProposal`), not by the hub's word.
 */
import { z } from "zod";
import { proposalId } from "../governance/lifecycle.js";
import type { TallyExport } from "../proposals/run.js";
import { parseWith } from "../core/validate.js";
import { boundProposer } from "../governance/description.js";
import type { Signer } from "ethers";
import type { SnapshotHub } from "./client.js";
import { SIGNAL_CHOICES } from "./settings.js";
import { InputError } from "../core/errors.js";
import { address, uintString } from "../core/schemas.js";

const FENCE = "```flux-proposal";

const callsSchema = z.object({
  chainId: z.number().int().positive(),
  governor: z.string(),
  /** The only address that may propose it (the description's `#proposer=` suffix). */
  proposer: address,
  targets: z.array(z.string()).min(1),
  values: z.array(uintString),
  calldatas: z.array(z.string().regex(/^0x([0-9a-fA-F]{2})*$/)),
  proposalId: uintString,
  /** This chain's description, when it is not the body's. */
  description: z.string().optional(),
});
/** One chain's calls, with the description that chain proposes them under. */
export type ChainCalls = z.output<typeof callsSchema> & { description: string };

const blockSchema = z.object({ version: z.literal(1), chains: z.array(callsSchema).min(1) });

/** The Snapshot body for a proposal exported to one or several chains: the first chain's description, then the block. */
export function signalBody(exports: TallyExport[]): string {
  const description = exports[0]?.description;
  if (description === undefined) throw new InputError("a signal needs at least one chain's calls");
  const chains = exports.map(({ chainId, governor, proposer, targets, values, calldatas, proposalId: id, description: own }) => ({
    chainId, governor, proposer, targets, values, calldatas, proposalId: id, ...(own === description ? {} : { description: own }),
  }));
  return `${description}\n\n${FENCE}\n${JSON.stringify({ version: 1, chains }, null, 1)}\n\`\`\`\n`;
}

/** The body's description and the per-chain calls and descriptions a signal body carries; refuses a body whose ids do not match its calls. */
export function parseSignalBody(body: string, where: string): { description: string; chains: ChainCalls[] } {
  const at = body.lastIndexOf(`\n\n${FENCE}\n`);
  if (at < 0) throw new InputError(`${where}: the body carries no ${FENCE} block: it is a text-only signal, with no calls to propose`);
  const description = body.slice(0, at);
  const rest = body.slice(at + FENCE.length + 3);
  const end = rest.indexOf("\n```");
  if (end < 0) throw new InputError(`${where}: the ${FENCE} block is not closed`);
  let json: unknown;
  try {
    json = JSON.parse(rest.slice(0, end));
  } catch (e) {
    throw new InputError(`${where}: the ${FENCE} block is not JSON (${(e as Error).message})`);
  }
  const block = parseWith(blockSchema, json, `${where} ${FENCE}`);
  const chains: ChainCalls[] = block.chains.map((c) => ({ ...c, description: c.description ?? description }));
  for (const c of chains) {
    const bound = boundProposer(c.description);
    if (c.proposer !== bound) throw new InputError(`${where}: chain ${c.chainId}: the block names proposer ${c.proposer}, but the description is bound to ${bound ?? "no proposer (no #proposer= suffix)"}`);
    if (c.targets.length !== c.values.length || c.targets.length !== c.calldatas.length) throw new InputError(`${where}: chain ${c.chainId}: targets, values and calldatas differ in length`);
    const actions = c.targets.map((target, i) => ({ target, value: BigInt(c.values[i]!), calldata: c.calldatas[i]!, summary: "" }));
    const id = proposalId(actions, c.description);
    if (id.toString() !== c.proposalId) throw new InputError(`${where}: chain ${c.chainId}: the calls and description hash to proposal ${id}, not the ${c.proposalId} the block states`);
  }
  return { description, chains };
}

/**
 * Opens a For/Against/Abstain signal on `space` carrying `exports` (one per chain): voting starts
 * after the space's delay and lasts its period, counted at block `snapshot` of the space's network.
 */
export async function createSignal(
  hub: SnapshotHub,
  signer: Signer,
  opts: { space: string; title: string; exports: TallyExport[]; snapshot: number; timestamp?: number },
): Promise<{ id: string; start: number; end: number }> {
  const s = await hub.space(opts.space);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const start = timestamp + (s.voting.delay ?? 0);
  const period = s.voting.period;
  if (!period) throw new InputError(`space ${opts.space} has no voting period`);
  const end = start + period;
  const { id } = await hub.propose(signer, {
    space: opts.space, title: opts.title, body: signalBody(opts.exports), choices: [...SIGNAL_CHOICES],
    start, end, snapshot: opts.snapshot, timestamp,
  });
  return { id, start, end };
}
