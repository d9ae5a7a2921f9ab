/**
 * Keys by role. The toolkit's commands act as one of six roles, each signing with its own key:
 *
 * | role | configuration variable | acts in |
 * | --- | --- | --- |
 * | deployer | `DEPLOYER_PRIVATE_KEY` | `scripts/deploy.ts` (the network's `accounts`) |
 * | operator | `OPERATOR_PRIVATE_KEY` | `emissions publish` |
 * | proposer | `PROPOSER_PRIVATE_KEY` | `proposal submit`, `proposal from-snapshot`, `snapshot propose`, `snapshot space --publish` |
 * | voter | `VOTER_PRIVATE_KEY` | `snapshot vote` |
 * | keeper | `KEEPER_PRIVATE_KEY` | `keeper` (liquidations and bad-debt write-offs) |
 * | guardian | `GUARDIAN_PRIVATE_KEY` | `emissions revoke` (the emissions guardian: `RewardsDistributor.config().guardian`) |
 *
 * {@link resolveSigner} picks the key: `--from <address or variable name>`, else the role's
 * configuration variable (the environment first, then the Hardhat keystore, as Hardhat resolves
 * `configVariable`), else, on a local chain only (the in-process network, chain id 31337, or a
 * node on 127.0.0.1 such as the devnet's), the well-known account that holds the role there; else it refuses in one line naming the variable
 * to set. {@link unsignedBatch} is the `--unsigned` alternative for a Safe: the transaction as a
 * Safe Transaction Builder batch, written instead of sent.
 */
import { getAddress, HDNodeWallet, isAddress, Wallet, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { configVariable } from "hardhat/config";
import { ChainStateError, InputError } from "../core/errors.js";
import { toJson, writeFileAtomic } from "../core/fs.js";
import type { Connection } from "../core/types.js";
import { isLoopbackUrl } from "../core/validate.js";

export type Role = "deployer" | "operator" | "proposer" | "voter" | "keeper" | "guardian";

/** The configuration variable holding each role's private key. */
export const ROLE_VARIABLES: Record<Role, string> = {
  deployer: "DEPLOYER_PRIVATE_KEY",
  operator: "OPERATOR_PRIVATE_KEY",
  proposer: "PROPOSER_PRIVATE_KEY",
  voter: "VOTER_PRIVATE_KEY",
  keeper: "KEEPER_PRIVATE_KEY",
  guardian: "GUARDIAN_PRIVATE_KEY",
};

/** The chain id of Hardhat's own chains (`npx hardhat node`, the in-process network). */
export const LOCAL_CHAIN_ID = 31337;

/** What {@link readVariable} needs of the Hardhat runtime: its hooks (the keystore plugin's). */
export type VariableSource = Pick<HardhatRuntimeEnvironment, "hooks">;

/**
 * A configuration variable's value as Hardhat resolves `configVariable(name)`: the environment
 * first, then the configuration-variable hooks (the hardhat-keystore plugin: the development
 * keystore, then the production one, which may ask for its password). `undefined` when unset or
 * empty.
 */
export async function readVariable(hre: VariableSource | undefined, name: string): Promise<string | undefined> {
  const env = process.env[name];
  if (env !== undefined) return env === "" ? undefined : env;
  if (!hre) return undefined;
  const value = await hre.hooks.runHandlerChain(
    "configurationVariables",
    "fetchValue",
    [configVariable(name, { default: "" })],
    async (_context, v) => process.env[v.name] ?? v.default ?? "",
  );
  return value === "" ? undefined : value;
}

/**
 * Whether the connection is a local chain, where the well-known Hardhat accounts may sign: the
 * in-process network, chain id 31337, or a node on this machine (`npx hardhat node`, the devnet's
 * chains under the real chains' ids).
 */
export async function isLocalChain(conn: Connection): Promise<boolean> {
  const cfg = conn.networkConfig as { type: string; url?: unknown };
  if (cfg.type === "edr-simulated") return true;
  if (Number((await conn.ethers.provider.getNetwork()).chainId) === LOCAL_CHAIN_ID) return true;
  if (cfg.type !== "http" || !cfg.url) return false;
  const u = cfg.url as string | { getUrl?: () => Promise<string> };
  const url = typeof u === "string" ? u : await u.getUrl?.call(u);
  return url !== undefined && isLoopbackUrl(url);
}

export interface ResolvedSigner {
  signer: Signer;
  address: string;
  /** Where the key came from: "--from OPERATOR_PRIVATE_KEY", "OPERATOR_PRIVATE_KEY", "the local account …". */
  source: string;
  /** `signing as <role> <address> on <network> (chain <id>)`. */
  line: string;
}

export interface SignerRequest {
  /** The Hardhat runtime, for the keystore; without it, only the environment is read. */
  hre?: VariableSource;
  conn: Connection;
  role: Role;
  /** `--from`: an address (an account of the connection) or the name of a configuration variable holding a key. */
  from?: string;
  /**
   * On a local chain, the account that holds the role there (the operator the deployment set, the
   * proposer a description is bound to); without it, the connection's first account.
   */
  localAccount?: string;
  /** Whether the well-known local accounts may sign on a local chain (default true). */
  allowLocalAccounts?: boolean;
}

/** The signer a command acting as `role` signs with (see the module comment), or an InputError. */
export async function resolveSigner(r: SignerRequest): Promise<ResolvedSigner> {
  const { conn, role } = r;
  const variable = ROLE_VARIABLES[role];
  const provider = conn.ethers.provider;
  const chainId = Number((await provider.getNetwork()).chainId);
  const done = (signer: Signer, address: string, source: string): ResolvedSigner => ({
    signer,
    address,
    source,
    line: `signing as ${role} ${address} on ${conn.networkName} (chain ${chainId})`,
  });
  const accounts = async () => ((await provider.send("eth_accounts", [])) as string[]).map((a) => getAddress(a));
  const fromKey = (key: string, name: string) => {
    try {
      const w = new Wallet(key.startsWith("0x") ? key : `0x${key}`, provider);
      return done(w, w.address, name);
    } catch {
      throw new InputError(`${name} is not a private key (32 bytes of hex)`);
    }
  };
  if (r.from) {
    if (isAddress(r.from)) {
      const address = getAddress(r.from);
      if (!(await accounts()).includes(address)) {
        throw new InputError(`--from ${address}: ${conn.networkName} has no key for this address; name a configuration variable that holds its key (--from ${variable}), or use --unsigned`);
      }
      return done(await conn.ethers.getSigner(address), address, `--from ${address}`);
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(r.from)) throw new InputError(`--from "${r.from}": neither an address nor a configuration variable name`);
    const key = await readVariable(r.hre, r.from);
    if (key === undefined) throw new InputError(`--from ${r.from}: the configuration variable ${r.from} is not set (npx hardhat keystore set ${r.from}, or the environment)`);
    return fromKey(key, `--from ${r.from}`);
  }
  const key = await readVariable(r.hre, variable);
  if (key !== undefined) return fromKey(key, variable);
  if (r.allowLocalAccounts !== false && (await isLocalChain(conn))) {
    const list = await accounts();
    const wanted = r.localAccount ? getAddress(r.localAccount) : list[0];
    if (wanted && list.includes(wanted)) return done(await conn.ethers.getSigner(wanted), wanted, `the local account of the ${role}`);
  }
  const safe = role === "operator" || role === "proposer" || role === "guardian" ? " (or --unsigned <file> for a Safe)" : "";
  throw new InputError(`no key for the ${role} on ${conn.networkName}: set ${variable} (npx hardhat keystore set ${variable}, or the environment), or give --from${safe}`);
}

/**
 * The deployer: the network's first account (`accounts: [configVariable("DEPLOYER_PRIVATE_KEY")]`
 * in hardhat.config.ts for a real chain, the first well-known account on a local one). Refuses in
 * one line, before anything is sent, when there is none or it has no funds for gas.
 */
export async function resolveDeployer(conn: Connection): Promise<ResolvedSigner> {
  const [signer] = await conn.ethers.getSigners();
  const network = conn.networkName;
  if (!signer) throw new InputError(`no key for the deployer on ${network}: set ${ROLE_VARIABLES.deployer} (npx hardhat keystore set ${ROLE_VARIABLES.deployer}, or the environment)`);
  const chainId = Number((await conn.ethers.provider.getNetwork()).chainId);
  const address = getAddress(signer.address);
  if ((await conn.ethers.provider.getBalance(address)) === 0n) {
    throw new ChainStateError(`the deployer ${address} has no funds for gas on ${network} (chain ${chainId}): fund it first; nothing sent`);
  }
  return { signer, address, source: ROLE_VARIABLES.deployer, line: `signing as deployer ${address} on ${network} (chain ${chainId})` };
}

/** The mnemonic of Hardhat's (and Anvil's) default accounts: their keys are public. */
const PUBLIC_MNEMONIC = "test test test test test test test test test test test junk";
let publicAccounts: Set<string> | undefined;

/** Whether `address` is one of the first 20 default Hardhat accounts, whose keys anyone can read. */
export function isPubliclyKnown(address: string): boolean {
  if (!publicAccounts) {
    const root = HDNodeWallet.fromPhrase(PUBLIC_MNEMONIC, undefined, "m/44'/60'/0'/0");
    publicAccounts = new Set(Array.from({ length: 20 }, (_, i) => root.deriveChild(i).address));
  }
  return publicAccounts.has(getAddress(address));
}

/** One transaction for a Safe (or any multisig) to propose instead of this tool sending it. */
export interface UnsignedTransaction {
  chainId: number;
  to: string;
  value: bigint;
  data: string;
  /** What it does, in words (the batch's description). */
  description?: string;
}

/**
 * The Safe Transaction Builder batch file of `tx` (the JSON its "Load" accepts): version,
 * chainId (decimal string), createdAt (ms), meta (name, description, createdFromSafeAddress) and
 * the one transaction: to, value (decimal wei), data.
 */
export function unsignedBatch(tx: UnsignedTransaction, o: { name: string; safe?: string; now?: number }) {
  return {
    version: "1.0",
    chainId: String(tx.chainId),
    createdAt: o.now ?? Date.now(),
    meta: {
      name: o.name,
      description: tx.description ?? "",
      txBuilderVersion: "1.16.5",
      createdFromSafeAddress: o.safe ?? "",
      createdFromOwnerAddress: "",
    },
    // raw calldata (no contractMethod): the builder shows it as a custom-data transaction
    transactions: [{ to: getAddress(tx.to), value: tx.value.toString(), data: tx.data }],
  };
}

/** Writes the batch of `tx` to `file` atomically; the line to print. */
export async function writeUnsigned(file: string, tx: UnsignedTransaction, o: { name: string; safe?: string }): Promise<string> {
  await writeFileAtomic(file, toJson(unsignedBatch(tx, o)));
  return `unsigned: wrote the transaction to ${getAddress(tx.to)} on chain ${tx.chainId} as a Safe Transaction Builder batch to ${file}; nothing sent`;
}
