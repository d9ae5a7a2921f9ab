/**
 * What the `proposal` commands do: export (Tally-ready JSON with the Governor's proposal id),
 * simulate (the whole life on a local chain, then the postconditions), and submit.
 * (`from-snapshot` lives with the Snapshot module: src/snapshot/from-snapshot.ts.)
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { getAddress, isAddress, type Signer } from "ethers";
import { decoderFromArtifacts, naming, revertData, type RevertDecoder } from "../core/revert.js";
import { loadDeployConfig, resolveAllocations } from "../deploy/config.js";
import { deployFlux } from "../deploy/deploy.js";
import { localClock } from "../deploy/local.js";
import { readManifest, DEPLOYMENTS_DIR } from "../manifest/index.js";
import { proposalId, runProposal, Support, type Vote } from "../governance/lifecycle.js";
import { bindProposer, boundProposer } from "../governance/description.js";
import type { Proposal } from "./define.js";
import { resolveProposal, type ResolvedProposal } from "./resolve.js";
import { ChainStateError, InputError } from "../core/errors.js";
import { formatFlux } from "../core/format.js";
import { resolveSigner, ROLE_VARIABLES, writeUnsigned, type VariableSource } from "../keys/index.js";
import type { Action, Connection } from "../core/types.js";

export interface TallyExport {
  chainId: number;
  governor: string;
  /** The only address that may propose it: the description ends with `#proposer=<it>`. */
  proposer: string;
  targets: string[];
  values: string[];
  calldatas: string[];
  description: string;
  proposalId: string;
}

/**
 * Tally-ready JSON of a proposal's calls on one chain (a ResolvedProposal fits), bound to
 * `proposer`: the description gets the `#proposer=` suffix (see src/governance/description.ts), so
 * nobody else can front-run its `propose`, and the id is the Governor's hash of the bound text.
 */
export function toExport(r: { chainId: number; governor: string; actions: readonly Action[]; description: string }, proposer: string): TallyExport {
  const description = bindProposer(r.description, proposer);
  return {
    chainId: r.chainId,
    governor: r.governor,
    proposer: boundProposer(description)!,
    targets: r.actions.map((a) => a.target),
    values: r.actions.map((a) => a.value.toString()),
    calldatas: r.actions.map((a) => a.calldata),
    description,
    proposalId: proposalId(r.actions, description).toString(),
  };
}

/**
 * One object for a single network; for several, one per chain keyed by chain id. Every chain's
 * description is bound to `proposer`, the account that will propose it.
 */
export async function exportProposal(
  hre: HardhatRuntimeEnvironment,
  p: Proposal,
  opts: { proposer: string; manifestDir?: string },
): Promise<TallyExport | Record<string, TallyExport>> {
  const { proposer, manifestDir = DEPLOYMENTS_DIR } = opts;
  const resolved = await Promise.all(p.networks.map(async (n) => resolveProposal(p, n, await readManifest(n, manifestDir), hre.artifacts)));
  if (resolved.length === 1) return toExport(resolved[0]!, proposer);
  return Object.fromEntries(resolved.map((r) => [String(r.chainId), toExport(r, proposer)]));
}

/**
 * Calls every action as the Timelock would; names the first that reverts, with its decoded error.
 * Calls to the Governor itself (its settings, its upgrade) are `onlyGovernance`: they succeed only
 * inside the Governor's own `execute`, so a plain call cannot check them and they are skipped
 * (returned, so a caller can say so); `proposal simulate` runs them for real.
 */
export async function preflight(
  conn: Connection,
  hre: HardhatRuntimeEnvironment,
  r: { network: string; actions: Action[] },
  timelock: string,
  governor?: string,
): Promise<{ skipped: Action[] }> {
  const skipped = r.actions.filter((a) => governor !== undefined && a.target.toLowerCase() === governor.toLowerCase());
  let decoder: RevertDecoder | undefined;
  for (const [i, a] of r.actions.entries()) {
    if (skipped.includes(a)) continue;
    try {
      await conn.ethers.provider.call({ from: timelock, to: a.target, data: a.calldata, value: a.value });
    } catch (e) {
      const data = revertData(e);
      let reason = (e as Error).message;
      if (data !== undefined) {
        decoder ??= await decoderFromArtifacts(hre.artifacts);
        reason = decoder.decode(data);
      }
      throw new InputError(`action ${i + 1} (${a.summary}) would revert on ${r.network}: ${reason}`);
    }
  }
  return { skipped };
}

export interface SimulationResult {
  resolved: ResolvedProposal;
  proposalId: bigint;
  failed: string[];
}

/**
 * Simulates on a fresh embedded chain deployed from `configNetwork`'s config: preflight, propose,
 * vote with the configured holders (all for), queue, wait, execute, check every postcondition.
 */
export async function simulateProposal(
  hre: HardhatRuntimeEnvironment,
  p: Proposal,
  opts: { configNetwork?: string; log?: (line: string) => void } = {},
): Promise<SimulationResult> {
  const log = opts.log ?? (() => {});
  const cfg = await loadDeployConfig(opts.configNetwork ?? "default");
  // an embedded chain under the config's chain id, so a real network's config simulates as is
  const conn = await hre.network.create({ network: "default", override: { chainId: cfg.chainId } });
  const d = await deployFlux(hre, conn, cfg, { manifestDir: null, networkName: p.networks[0] });
  const resolved = await resolveProposal(p, p.networks[0]!, d.manifest, hre.artifacts);
  const timelock = await d.timelock.getAddress();
  await preflight(conn, hre, resolved, timelock, d.manifest.contracts.governor);
  log(`preflight: all ${resolved.actions.length} actions succeed when called by the Timelock`);
  const [relayer] = await conn.ethers.getSigners();
  const holders = resolveAllocations(cfg.token.allocations, relayer!.address).map((a) => a.account);
  const signers = await Promise.all(holders.map((h) => conn.ethers.getSigner(h)));
  for (const s of signers) await (await d.token.connect(s).delegate(s.address)).wait();
  await conn.networkHelpers.mine(1);
  for (const a of resolved.actions) await a.postcondition.prepare?.(conn.ethers.provider);
  const votes: Vote[] = signers.map((s) => ({ voter: s, support: Support.For }));
  const r = await runProposal({
    governor: d.governor,
    clock: localClock(conn),
    proposer: signers[0]!,
    relayer: relayer!,
    actions: resolved.actions,
    description: bindProposer(resolved.description, signers[0]!.address),
    votes,
    log,
  });
  const failed: string[] = [];
  for (const a of resolved.actions) {
    const problem = await a.postcondition.check(conn.ethers.provider);
    log(`  ${problem === null ? "ok  " : "FAIL"} ${a.postcondition.what}${problem ? `: ${problem}` : ""}`);
    if (problem !== null) failed.push(`${a.postcondition.what}: ${problem}`);
  }
  return { resolved, proposalId: r.proposalId, failed };
}

/** How a proposing command signs: `--from`, `--unsigned`, the runtime (for the keystore), where to say who signs. */
export interface ProposerOptions {
  /** `--from`: an address of the connection, or a configuration variable holding a key; with `unsigned`, the Safe's address. */
  from?: string;
  /** `--unsigned <file>`: write a Safe Transaction Builder batch instead of sending. */
  unsigned?: string;
  hre?: VariableSource;
  log?: (line: string) => void;
}

/**
 * Refuses, in one line and before anything is sent, a proposer whose votes (at the Governor's
 * clock - 1, as `propose` reads them) are below the proposal threshold.
 */
export async function checkProposerVotes(conn: Connection, governor: string, proposer: string, network: string): Promise<void> {
  const g = await conn.ethers.getContractAt("FluxGovernor", governor);
  const [threshold, clock] = await Promise.all([g.getFunction("proposalThreshold")(), g.getFunction("clock")()]);
  const votes: bigint = await g.getFunction("getVotes")(proposer, BigInt(clock) - 1n);
  if (votes < threshold) {
    throw new ChainStateError(`${proposer} has ${formatFlux(votes)} FLUX of votes on ${network}, below the proposal threshold of ${formatFlux(threshold)}: nothing sent; sign with a proposer's key (--from or ${ROLE_VARIABLES.proposer})`);
  }
}

/**
 * `propose(actions, description)` on `governor`, as the proposer: sent by the signer the proposer
 * role resolves to (see src/keys), or with `unsigned` written as a Safe batch (simulated from the
 * Safe first). `bound`: the proposer the description is bound to, which the signer must be.
 */
export async function proposeAs(
  conn: Connection,
  m: { network: string; chainId: number; governor: string },
  actions: Action[],
  description: (proposer: string) => string,
  o: ProposerOptions & { bound?: string; name: string; signer?: Signer },
): Promise<{ proposalId: bigint; tx: string; description: string; unsigned?: string }> {
  const iface = (await conn.ethers.getContractAt("FluxGovernor", m.governor)).interface;
  const encode = (d: string) => iface.encodeFunctionData("propose", [actions.map((a) => a.target), actions.map((a) => a.value), actions.map((a) => a.calldata), d]);
  if (o.unsigned) {
    const safe = o.bound ?? (o.from && isAddress(o.from) ? getAddress(o.from) : undefined);
    if (!safe) throw new InputError("--unsigned: give the Safe's address with --from (the description is bound to the proposer)");
    if (o.bound && o.from && isAddress(o.from) && getAddress(o.from) !== o.bound) throw new InputError(`--from ${o.from}: the description is bound to proposer ${o.bound}`);
    await checkProposerVotes(conn, m.governor, safe, m.network);
    const text = description(safe);
    const data = encode(text);
    await naming(`propose from ${safe}`, () => conn.ethers.provider.call({ from: safe, to: m.governor, data }));
    const line = await writeUnsigned(o.unsigned, { chainId: m.chainId, to: m.governor, value: 0n, data, description: text }, { name: o.name, safe });
    return { proposalId: proposalId(actions, text), tx: "", description: text, unsigned: line };
  }
  const { signer, address, line } = o.signer
    ? { signer: o.signer, address: getAddress(await o.signer.getAddress()), line: `signing as proposer ${await o.signer.getAddress()} on ${m.network} (chain ${m.chainId})` }
    : await resolveSigner({ hre: o.hre, conn, role: "proposer", from: o.from, localAccount: o.bound });
  (o.log ?? (() => {}))(line);
  if (o.bound && address !== o.bound) throw new InputError(`${o.name} is bound to proposer ${o.bound}; the signer ${address} cannot propose it (GovernorRestrictedProposer)`);
  await checkProposerVotes(conn, m.governor, address, m.network);
  const text = description(address);
  const tx = await naming("propose", () => signer.sendTransaction({ to: m.governor, data: encode(text) }));
  await tx.wait();
  return { proposalId: proposalId(actions, text), tx: tx.hash, description: text };
}

/**
 * Submits the proposal on the connected network as the proposer (see {@link proposeAs}), the
 * description bound to the proposer's address.
 */
export async function submitProposal(hre: HardhatRuntimeEnvironment, conn: Connection, p: Proposal, o: ProposerOptions = {}): Promise<{ proposalId: bigint; tx: string; unsigned?: string }> {
  const network = conn.networkName;
  if (!p.networks.includes(network)) throw new InputError(`the proposal targets ${p.networks.join(", ")}, not ${network}`);
  const m = await readManifest(network);
  const resolved = await resolveProposal(p, network, m, hre.artifacts);
  await preflight(conn, hre, resolved, m.contracts.timelock, m.contracts.governor);
  const r = await proposeAs(conn, { network, chainId: m.chainId, governor: m.contracts.governor }, resolved.actions, (proposer) => bindProposer(resolved.description, proposer), {
    hre, ...o, name: `FLUX proposal: ${p.title}`,
  });
  return { proposalId: r.proposalId, tx: r.tx, unsigned: r.unsigned };
}
