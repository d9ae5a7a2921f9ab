/**
 * Who signs what is sent to a Snapshot hub, and which hub. `snapshot vote`, `snapshot propose`
 * and `snapshot space --publish` name both: the hub is `--hub` or the configuration variable
 * `SNAPSHOT_HUB_URL` (never a default: the public hub is not assumed), the key is `--from` or the
 * role's variable (`VOTER_PRIVATE_KEY` for votes, `PROPOSER_PRIVATE_KEY` for signals and space
 * settings). A publicly known Hardhat account signs only for a hub on this machine
 * (127.0.0.1/localhost). The command prints `sending to <hub> as <address>` before sending.
 *
 * A signed message carries its time, and a hub refuses one far from its own clock. The time is the
 * later of the wall clock and the latest block time of the network the command connects to
 * (`--network`): on a live chain the two agree; the devnet's hub keeps its chains' time, which
 * `npx hardhat devnet --advance` moves ahead of the wall clock, so a command signing for it names
 * one of the devnet's chains.
 */
import type { Provider, Signer } from "ethers";
import { ChainStateError, InputError } from "../core/errors.js";
import { formatFlux } from "../core/format.js";
import type { Connection } from "../core/types.js";
import { isPubliclyKnown, readVariable, resolveSigner, ROLE_VARIABLES, type VariableSource } from "../keys/index.js";
import { SnapshotHub } from "./client.js";
import { powerChains, snapshotTime, strategyPower } from "./power.js";
import { isLoopbackUrl } from "../core/validate.js";

export const HUB_VARIABLE = "SNAPSHOT_HUB_URL";

/** Whether the hub runs on this machine (a local test hub, the devnet's). */
export const isLocalHub = isLoopbackUrl;

export interface HubSigner {
  hub: SnapshotHub;
  signer: Signer;
  address: string;
  /** `sending to <hub> as <address>`. */
  line: string;
  /** The message time to sign (unix seconds): see the module comment. */
  timestamp: number;
}

/** The later of the wall clock and `conn`'s latest block time, in unix seconds. */
export async function messageTime(conn: Connection, wallMs = Date.now()): Promise<number> {
  const block = await conn.ethers.provider.getBlock("latest");
  return Math.max(Math.floor(wallMs / 1000), block?.timestamp ?? 0);
}

/** The hub to send signed messages to and the signer, both named; or an InputError saying what to name. */
export async function signingHub(o: { hre?: VariableSource; conn: Connection; role: "voter" | "proposer"; hub?: string; from?: string }): Promise<HubSigner> {
  const url = o.hub || (await readVariable(o.hre, HUB_VARIABLE));
  if (!url) {
    throw new InputError(`no Snapshot hub named: give --hub <url> or set ${HUB_VARIABLE} (the public hub is https://hub.snapshot.org); signed messages are never sent to a default hub`);
  }
  if (!/^https?:\/\//.test(url)) throw new InputError(`--hub "${url}": not an http(s) URL`);
  const local = isLocalHub(url);
  const variable = ROLE_VARIABLES[o.role];
  let resolved;
  try {
    resolved = await resolveSigner({ hre: o.hre, conn: o.conn, role: o.role, from: o.from, allowLocalAccounts: local });
  } catch (e) {
    if (e instanceof InputError && !o.from) throw new InputError(`no key for the ${o.role}: set ${variable} (npx hardhat keystore set ${variable}, or the environment), or give --from`, { cause: e });
    throw e;
  }
  if (!local && isPubliclyKnown(resolved.address)) {
    throw new InputError(`${resolved.address} is a publicly known Hardhat account (anyone has its key): it signs only for a hub on 127.0.0.1 or localhost, not ${url}; set ${variable} or give --from`);
  }
  const hub = new SnapshotHub(url);
  return { hub, signer: resolved.signer, address: resolved.address, line: `sending to ${hub.url} as ${resolved.address}`, timestamp: await messageTime(o.conn) };
}

/**
 * The voter's power for Snapshot proposal `id`, summed over the chains its space counts at its
 * snapshot, read from the chains (`providers`: an RPC per chain id). Refuses in one line, before
 * a vote is sent, a voter without any.
 */
export async function checkVoterPower(hub: SnapshotHub, id: string, providers: Record<number, Provider>, voter: string): Promise<bigint> {
  const proposal = await hub.proposal(id);
  const chains = powerChains(proposal.strategies, providers, (chainId) => {
    throw new InputError(`proposal ${id} counts chain ${chainId}: give an RPC for it (--networks)`);
  });
  const spaceProvider = providers[Number(proposal.network)];
  if (!spaceProvider) throw new InputError(`proposal ${id} takes its snapshot on chain ${proposal.network}: give an RPC for it (--networks)`);
  const time = await snapshotTime(spaceProvider, Number(proposal.snapshot));
  const { power } = await strategyPower(chains, time, [voter]);
  const total = power.get(voter)!.reduce((a, b) => a + b, 0n);
  if (total === 0n) {
    throw new ChainStateError(`${voter} had no votes on chains ${chains.map((c) => c.chainId).join(", ")} at the snapshot of proposal ${id} (block ${proposal.snapshot} on chain ${proposal.network}): nothing sent`);
  }
  return total;
}

/** `<n> FLUX of votes`, for the line a vote prints. */
export function votesLine(power: bigint): string {
  return `${formatFlux(power)} FLUX of votes at the snapshot`;
}
