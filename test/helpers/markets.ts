/**
 * Market helpers for tests: funded users, deposits, borrows and price moves on the fixture's
 * mock assets and feeds.
 */
import { parseUnits } from "ethers";
import { mintAndApprove, type DeployedMarket } from "../../src/deploy/markets.js";
import type { Fixture, Signer } from "./fixture.js";

export function market(f: Fixture, symbol: string): DeployedMarket {
  const m = f.markets?.markets[symbol];
  if (!m) throw new Error(`fixture has no ${symbol} market`);
  return m;
}

/** Units of a market's asset from a decimal string. */
export const units = (m: DeployedMarket, amount: string): bigint => parseUnits(amount, m.decimals);

/** Mints `amount` of the mock asset to `user`, approves the market and deposits it. */
export async function supply(m: DeployedMarket, user: Signer, amount: string): Promise<void> {
  const value = units(m, amount);
  await mintAndApprove(m, user, value);
  await (await m.market.connect(user).deposit(value, user.address)).wait();
}

/** Sets a mock feed's price (8-decimal USD) — also refreshes its timestamp. */
export async function setPrice(m: DeployedMarket, usd: string): Promise<void> {
  await (await m.feed.setAnswer(parseUnits(usd, Number(await m.feed.decimals())))).wait();
}
