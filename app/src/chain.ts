/**
 * Reaching a chain of the config: its JSON-RPC provider (static network: the chain id is the
 * config's, never guessed), and errors said in words: an RPC that does not answer is
 * "unreachable" (src/core/revert.ts isUnreachable), a revert is decoded with the contracts' ABIs.
 */
import { Interface, JsonRpcProvider } from "ethers";
import { IRewardsDistributor__factory } from "../../types/ethers-contracts/factories/contracts/emissions/interfaces/IRewardsDistributor__factory.js";
import { IFluxController__factory } from "../../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxController__factory.js";
import { IFluxMarket__factory } from "../../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxMarket__factory.js";
import { IFluxOracle__factory } from "../../types/ethers-contracts/factories/contracts/markets/interfaces/IFluxOracle__factory.js";
import { IEmissionSchedule__factory } from "../../types/ethers-contracts/factories/contracts/emissions/interfaces/IEmissionSchedule__factory.js";
import { isUnreachable, RevertDecoder } from "../../src/core/revert.js";
import type { ChainConfig } from "./config.js";

export const DISTRIBUTOR = IRewardsDistributor__factory.createInterface();
export const CONTROLLER = IFluxController__factory.createInterface();
export const MARKET = IFluxMarket__factory.createInterface();
export const ORACLE = IFluxOracle__factory.createInterface();
export const SCHEDULE = IEmissionSchedule__factory.createInterface();
export const ERC20 = new Interface([
  "function balanceOf(address) view returns (uint256)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
]);

/** Every custom error the app may meet, for decoding reverts. */
const DECODER = new RevertDecoder([DISTRIBUTOR, CONTROLLER, MARKET, ORACLE, SCHEDULE]);

const providers = new Map<number, JsonRpcProvider>();

/** The provider of `chain` (one per chain id, reused across refreshes). */
export function providerOf(chain: ChainConfig): JsonRpcProvider {
  let p = providers.get(chain.chainId);
  if (!p) {
    p = new JsonRpcProvider(chain.rpc, chain.chainId, { staticNetwork: true, batchMaxCount: 1 });
    providers.set(chain.chainId, p);
  }
  return p;
}

/** A read failure in words: "RPC unreachable (<url>)" or the error's own short message. */
export function readFailure(chain: ChainConfig, e: unknown): string {
  if (isUnreachable(e)) return `RPC unreachable (${chain.rpc}): the chain's data cannot be read right now`;
  return (e as { shortMessage?: string; message?: string }).shortMessage ?? (e as Error).message ?? String(e);
}

/** Revert data as `ErrorName(arg, …)` with the contracts' ABIs (src/core/revert.ts). */
export function revertWords(data: string): string {
  return DECODER.decode(data);
}
