/**
 * The Snapshot chapter of `npm start`: a local hub on 127.0.0.1 (no Snapshot hub is reachable
 * here) counting all three chains; the space settings generated from the deployments and signed by
 * the space's controller; a For/Against/Abstain signal that carries the risk proposal's calls for
 * the chain it targets; holders' votes signed with Client712; the result recounted from the chains
 * and compared with the hub; and the passed signal proposed on-chain with `from-snapshot`.
 */
import { quorumOf } from "../src/governance/quorum.js";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { Signer } from "ethers";
import { syncClocks } from "../src/deploy/local.js";
import { toExport } from "../src/proposals/run.js";
import { proposeFromSnapshot } from "../src/snapshot/from-snapshot.js";
import { SnapshotHub } from "../src/snapshot/client.js";
import { startLocalHub } from "../local/snapshot-hub.js";
import { toScore } from "../src/snapshot/power.js";
import { buildSpaceSettings, SIGNAL_CHOICES } from "../src/snapshot/settings.js";
import { createSignal } from "../src/snapshot/signal.js";
import { renderTally, tallyProposal } from "../src/snapshot/tally.js";
import type { SignalResult, StartChain, StoryLog } from "./types.js";
import type { Action } from "../src/core/types.js";
import { short, formatFlux } from "../src/core/format.js";

export const SPACE_ID = "fluxprotocol.eth";
/** The space's network: BNB Chain, the one of Flux's chains that Snapshot lists (see settings.ts). */
export const SPACE_CHAIN_ID = 56;

export async function runSignalChapter(args: {
  hre: HardhatRuntimeEnvironment;
  chains: readonly StartChain[];
  /** The chain the signal's calls are for, and the calls. */
  target: StartChain;
  proposal: { actions: Action[]; description: string; title: string };
  controller: Signer;
  author: Signer;
  votes: { voter: Signer; choice: (typeof SIGNAL_CHOICES)[number]; reason?: string }[];
  quorumPercent: number;
  proposalThreshold: bigint;
  votingDelay: number;
  votingPeriod: number;
  story: StoryLog;
}): Promise<SignalResult> {
  const { chains, story, target } = args;
  const { log } = story;
  const space = chains.find((c) => c.chainId === SPACE_CHAIN_ID);
  if (!space) throw new Error(`the story needs chain ${SPACE_CHAIN_ID} (Snapshot's space network)`);
  const conns = chains.map((c) => c.conn);
  const providers = Object.fromEntries(chains.map((c) => [c.chainId, c.conn.ethers.provider]));
  const now = async () => (await space.conn.ethers.provider.getBlock("latest"))!.timestamp;

  story.chapter(`An off-chain signal on Snapshot: power summed over the ${chains.length} chains (a local hub on 127.0.0.1)`);
  const hub = await startLocalHub({ controllers: { [SPACE_ID]: await args.controller.getAddress() }, providers, now });
  try {
    const client = new SnapshotHub(hub.url);
    const supply = (await Promise.all(chains.map((c) => c.deployment.token.totalSupply()))).reduce((a, b) => a + b, 0n);
    const { settings, warnings } = buildSpaceSettings({
      name: "Flux",
      network: SPACE_CHAIN_ID,
      chains: chains.map((c) => ({ chainId: c.chainId, token: c.deployment.manifest.contracts.token })),
      votingDelay: args.votingDelay,
      votingPeriod: args.votingPeriod,
      // the Governors' rule, over the supply of all chains
      quorum: toScore(quorumOf(supply, args.quorumPercent)),
      proposalThreshold: toScore(args.proposalThreshold),
      admins: [await args.controller.getAddress()],
    });
    await client.setSpace(args.controller, SPACE_ID, settings, await now());
    log(`  space ${SPACE_ID} on ${hub.url}: multichain of erc20-votes on ${chains.map((c) => c.chainId).join(", ")}, ` +
      `snapshots on chain ${SPACE_CHAIN_ID}, quorum ${settings.voting.quorum.toLocaleString("en-US")} FLUX; settings signed by ${short(await args.controller.getAddress())}`);
    for (const w of warnings) log(`  note: ${w}`);

    const exp = toExport({ chainId: target.chainId, governor: target.deployment.manifest.contracts.governor, ...args.proposal }, await args.author.getAddress());
    const snapshot = await space.conn.ethers.provider.getBlockNumber();
    const signal = await createSignal(client, args.author, { space: SPACE_ID, title: args.proposal.title, exports: [exp], snapshot, timestamp: await now() });
    log(`  ${short(await args.author.getAddress())} opens signal ${short(signal.id)} "${args.proposal.title}" carrying the calls for ${target.name}; ` +
      `snapshot block ${snapshot} on chain ${SPACE_CHAIN_ID}`);

    await syncClocks(conns, { at: signal.start + 1 });
    for (const v of args.votes) {
      await client.vote(v.voter, { space: SPACE_ID, proposal: signal.id, choice: SIGNAL_CHOICES.indexOf(v.choice) + 1, reason: v.reason, timestamp: await now() });
    }
    log(`  ${args.votes.length} votes signed (EIP-712, Client712) and accepted by the hub`);
    await syncClocks(conns, { at: signal.end + 1 });
    const report = await tallyProposal(client, signal.id, providers);
    for (const line of renderTally(report)) log(`  ${line}`);
    if (!report.passed) throw new Error(`the signal did not pass`);

    const proposer = await target.conn.ethers.getSigner(await args.author.getAddress());
    const r = await proposeFromSnapshot({ hre: args.hre, conn: target.conn, manifest: target.deployment.manifest, hub: client, id: signal.id, providers, proposer });
    log(`  proposal from-snapshot: the signal's calls proposed on ${target.name}'s Governor as ${short(r.proposalId.toString())} (the id the signal stated)`);
    const choiceOf = (n: number) => SIGNAL_CHOICES[n - 1] ?? String(n);
    return {
      hubUrl: hub.url,
      id: signal.id,
      report,
      onchain: { chainId: target.chainId, proposalId: r.proposalId },
      votes: report.voters.map((v) => ({ voter: v.voter, choice: choiceOf(v.choice), power: v.power })),
    };
  } finally {
    await hub.close();
  }
}

/** One line per voter for the summary. */
export function signalSummary(r: SignalResult, name: (a: string) => string): string[] {
  return [
    `  Snapshot signal ${short(r.id)}: ${r.report.passed ? "passed" : "did not pass"}; the recount from the chains ${r.report.agrees ? "agrees" : "DISAGREES"} with the hub`,
    ...[...r.votes].sort((a, b) => (b.power > a.power ? 1 : b.power < a.power ? -1 : 0)).map((v) => `    ${name(v.voter)}  ${v.choice.toLowerCase().padEnd(8)} ${formatFlux(v.power).padStart(12)} FLUX (all chains)`),
  ];
}
