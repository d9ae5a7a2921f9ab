/**
 * `npx hardhat keeper --network <name>`: the keeper of one deployment, from its options to its
 * exit status. The task module only connects and calls {@link keeperCommand}; `npm start` and the
 * tests call it the same way.
 */
import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { parseUnitsStrict } from "../core/amounts.js";
import { InputError } from "../core/errors.js";
import { isLocalChain, resolveSigner } from "../keys/index.js";
import type { NetworkContext } from "../emissions/cli.js";
import { BorrowerBook } from "./borrowers.js";
import { runKeeper, type KeeperOptions, type KeeperSummary } from "./keeper.js";
import { marketsChain, type MarketsChain } from "./scan.js";

/** The keeper's account on local chains (the devnet funds it): Hardhat's account 10. */
export const LOCAL_KEEPER = "0xBcd4042DE499D14e55001CcbB24a551F3b954096";

/** The wrapped native coin of each chain, whose market's oracle price values gas. */
export const WRAPPED_NATIVE: Record<number, string> = { 1: "WETH", 56: "WBNB", 128: "WHT", 1030: "WCFX", 31337: "WETH" };

export interface KeeperArgs {
  once: boolean;
  dryRun: boolean;
  /** USD, decimal ("25", "0.5"). */
  minProfitUsd: string;
  /** USD price of the native coin, decimal; "" = from the oracle. */
  nativeUsd: string;
  /** The checkpoint file ("" = `.keeper/<network>.json`; null = none, kept in memory). */
  checkpoint: string | null;
  confirmations: number;
  pollMs: number;
  txTimeout: number;
  from: string;
}

/** The USD amount of `--<name>`, 18 decimals, or an InputError naming it. */
export function usdOption(text: string, name: string): bigint {
  try {
    return parseUnitsStrict(text.trim(), 18);
  } catch {
    throw new InputError(`--${name}: "${text}" is not a USD amount (a decimal number such as 25 or 0.5)`);
  }
}

/** How gas is valued: `--native-usd`, else the oracle price of the chain's wrapped native coin (WETH on a local chain). */
export async function nativePriceOf(ctx: NetworkContext, chain: MarketsChain, nativeUsd: string): Promise<{ price: KeeperOptions["nativePrice"]; line: string }> {
  if (nativeUsd) return { price: { usd: usdOption(nativeUsd, "native-usd") }, line: `gas valued at $${nativeUsd} per native coin (--native-usd)` };
  const wanted = WRAPPED_NATIVE[ctx.manifest.chainId];
  const local = await isLocalChain(ctx.conn);
  const symbol = chain.markets.some((m) => m.symbol === wanted) ? wanted : local ? "WETH" : undefined;
  const market = chain.markets.find((m) => m.symbol === symbol);
  if (!market) {
    throw new InputError(`no market for the native coin${wanted ? ` (${wanted})` : ""} on ${ctx.manifest.network} to value gas: give --native-usd <USD price of one coin>`);
  }
  return { price: { market: market.market }, line: `gas valued at the oracle price of ${market.symbol}${symbol !== wanted ? " (a local chain)" : ""}` };
}

/** Runs the keeper as the command does; returns its summary (the exit status for --once is `exitCode`). */
export async function keeperCommand(
  ctx: NetworkContext,
  args: KeeperArgs,
  o: { hre?: HardhatRuntimeEnvironment; log: (line: string) => void; control?: { stop: boolean }; onRound?: KeeperOptions["onRound"] },
): Promise<KeeperSummary> {
  if (!Number.isInteger(args.confirmations) || args.confirmations < 0) throw new InputError(`--confirmations: must be a whole number of blocks, got ${args.confirmations}`);
  if (!Number.isInteger(args.pollMs) || args.pollMs < 10) throw new InputError(`--poll-ms: must be at least 10, got ${args.pollMs}`);
  if (!(args.txTimeout > 0)) throw new InputError(`--tx-timeout: must be a positive number of seconds, got ${args.txTimeout}`);
  const minProfitUsd = usdOption(args.minProfitUsd || "0", "min-profit-usd");
  const { conn, manifest } = ctx;
  const provider = conn.ethers.provider;
  const chain = await marketsChain(provider, manifest);
  const native = await nativePriceOf(ctx, chain, args.nativeUsd);
  let signer;
  let address: string | undefined;
  try {
    const s = await resolveSigner({ hre: o.hre, conn, role: "keeper", from: args.from || undefined, localAccount: LOCAL_KEEPER });
    signer = s.signer;
    address = getAddress(s.address);
    o.log(args.dryRun ? `${s.line} (dry run: nothing is sent)` : s.line);
  } catch (e) {
    if (!args.dryRun || !(e instanceof InputError)) throw e;
    o.log(`dry run without a key (${e.message}): inventory not read, gas assumed where it cannot be estimated`);
  }
  const checkpoint = args.checkpoint === null ? undefined : args.checkpoint || `.keeper/${manifest.network}.json`;
  const book = await BorrowerBook.open({ file: checkpoint, chainId: manifest.chainId, controller: chain.controller, fromBlock: manifest.block, confirmations: args.confirmations });
  o.log(`${chain.markets.length} markets (${chain.markets.map((m) => m.symbol).join(", ")}); ${native.line}; minimum profit $${args.minProfitUsd || "0"}; ${checkpoint ? `checkpoint ${checkpoint} (block ${book.block})` : `from block ${book.block + 1}`}`);
  return runKeeper({
    provider,
    chain,
    book,
    signer,
    address,
    dryRun: args.dryRun,
    once: args.once,
    minProfitUsd,
    nativePrice: native.price,
    pollMs: args.pollMs,
    sender: { receiptTimeoutMs: args.txTimeout * 1000 },
    log: o.log,
    control: o.control,
    onRound: o.onRound,
  });
}
