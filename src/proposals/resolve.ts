/**
 * Resolves a proposal's typed actions against one network's deployment manifest: target, value,
 * calldata, a one-line summary, and the postcondition the action promises (a read that must hold
 * after execution). An unknown market, a network without the needed contracts, or a bad value
 * fails here, naming the action, before anything is sent.
 */
import { Contract, Interface, parseUnits, type Provider } from "ethers";
import type { ArtifactManager } from "hardhat/types/artifacts";
import type { Manifest } from "../manifest/index.js";
import { MAX_UINT256, parseUnitsStrict } from "../core/amounts.js";
import type { Proposal } from "./define.js";
import { DAY_SECONDS as DAY } from "../emissions/schedule.js";
import { InputError } from "../core/errors.js";
import type { Action } from "../core/types.js";

export interface Postcondition {
  what: string;
  /** Records what the check compares against, before execution (optional). */
  prepare?(provider: Provider): Promise<void>;
  /** Returns null when the postcondition holds, else what was found instead. */
  check(provider: Provider): Promise<string | null>;
}

export interface ResolvedAction extends Action {
  postcondition: Postcondition;
}

export interface ResolvedProposal {
  network: string;
  chainId: number;
  governor: string;
  actions: ResolvedAction[];
  description: string;
}


async function ifaces(artifacts: ArtifactManager) {
  const names = ["FluxController", "FluxMarket", "EmissionSchedule", "RewardsDistributor", "FluxToken", "UpgradeableBeacon"] as const;
  const out = {} as Record<(typeof names)[number], Interface>;
  for (const n of names) out[n] = new Interface((await artifacts.readArtifact(n)).abi as never);
  return out;
}

/** Equality postcondition on a view call. */
function expectView(target: string, iface: Interface, fn: string, args: unknown[], expected: unknown, what: string, pick?: (r: unknown) => unknown): Postcondition {
  return {
    what,
    async check(provider) {
      const c = new Contract(target, iface, provider);
      const raw: unknown = await c.getFunction(fn).staticCall(...args);
      const got = pick ? pick(raw) : raw;
      return String(got) === String(expected) ? null : `${fn} returned ${String(got)}, expected ${String(expected)}`;
    },
  };
}

export async function resolveProposal(p: Proposal, network: string, m: Manifest, artifacts: ArtifactManager): Promise<ResolvedProposal> {
  const I = await ifaces(artifacts);
  const need = (name: string, where: string) => {
    const a = m.contracts[name];
    if (!a) throw new InputError(`${where}: deployments/${network}.json has no ${name}`);
    return a;
  };
  const marketOf = (symbol: string, where: string) => {
    const mk = m.markets?.[symbol];
    if (!mk) throw new InputError(`${where}: unknown market "${symbol}" on ${network} (known: ${Object.keys(m.markets ?? {}).join(", ") || "none"})`);
    return mk;
  };
  const actions: ResolvedAction[] = [];
  for (const [i, a] of p.actions.entries()) {
    const where = `action ${i + 1} (${a.kind})`;
    const call = (target: string, iface: Interface, fn: string, args: unknown[], summary: string, postcondition: Postcondition, value = 0n) =>
      actions.push({ target, value, calldata: iface.encodeFunctionData(fn, args), summary, postcondition });
    switch (a.kind) {
      case "setCollateralRatio": {
        const c = need("controller", where);
        const mk = marketOf(a.market, where);
        call(c, I.FluxController, "setCollateralRatio", [mk.market, a.bps], `${a.market} collateral ratio → ${a.bps / 100}%`,
          expectView(c, I.FluxController, "marketConfig", [mk.market], a.bps, `${a.market} collateral ratio is ${a.bps} bps`, (r) => (r as { collateralRatioBps: bigint }).collateralRatioBps));
        break;
      }
      case "setLiquidationRatio":
      case "setPriceFactor":
      case "setCloseFactor": {
        const c = need("controller", where);
        const field = { setLiquidationRatio: 0, setPriceFactor: 1, setCloseFactor: 2 }[a.kind];
        const label = { setLiquidationRatio: "liquidation ratio", setPriceFactor: "liquidation price factor", setCloseFactor: "close factor" }[a.kind];
        call(c, I.FluxController, a.kind, [a.bps], `${label} → ${a.bps / 100}%`,
          expectView(c, I.FluxController, "riskParameters", [], a.bps, `${label} is ${a.bps} bps`, (r) => (r as bigint[])[field]));
        break;
      }
      case "listMarket": {
        const c = need("controller", where);
        const cap = (x: string) => parseUnitsStrict(x, a.decimals);
        call(c, I.FluxController, "listMarket", [a.market, a.collateralRatioBps, cap(a.supplyCap), cap(a.borrowCap)], `list market ${a.market} at ${a.collateralRatioBps / 100}%`,
          expectView(c, I.FluxController, "isListed", [a.market], true, `${a.market} is listed`));
        break;
      }
      case "pauseMarket": {
        const c = need("controller", where);
        const mk = marketOf(a.market, where);
        call(c, I.FluxController, "setPaused", [mk.market, a.deposits, a.borrows], `${a.market}: deposits ${a.deposits ? "paused" : "open"}, borrows ${a.borrows ? "paused" : "open"}`,
          expectView(c, I.FluxController, "marketConfig", [mk.market], `${a.deposits},${a.borrows}`, `${a.market} pause flags`, (r) => `${(r as { depositPaused: boolean }).depositPaused},${(r as { borrowPaused: boolean }).borrowPaused}`));
        break;
      }
      case "setCaps": {
        const c = need("controller", where);
        const mk = marketOf(a.market, where);
        const cap = (x: string) => (x === "unlimited" ? MAX_UINT256 : parseUnitsStrict(x, mk.decimals));
        call(c, I.FluxController, "setCaps", [mk.market, cap(a.supplyCap), cap(a.borrowCap)], `${a.market} caps: supply ${a.supplyCap}, borrow ${a.borrowCap}`,
          expectView(c, I.FluxController, "marketConfig", [mk.market], `${cap(a.supplyCap)},${cap(a.borrowCap)}`, `${a.market} caps`, (r) => `${(r as { supplyCap: bigint }).supplyCap},${(r as { borrowCap: bigint }).borrowCap}`));
        break;
      }
      case "setRateModel": {
        const mk = marketOf(a.market, where);
        const model = [a.baseRatePerYear, a.slopeLowPerYear, a.slopeHighPerYear, a.kink].map((x) => parseUnits(x, 18));
        call(mk.market, I.FluxMarket, "setRateModel", [model], `${a.market} rate model: base ${a.baseRatePerYear}, slopes ${a.slopeLowPerYear}/${a.slopeHighPerYear}, kink ${a.kink}`,
          expectView(mk.market, I.FluxMarket, "marketState", [], model.join(","), `${a.market} rate model`, (r) => (r as { rateModel: bigint[] }).rateModel.join(",")));
        break;
      }
      case "setChainWeights": {
        const s = need("emissionSchedule", where);
        const ids = Object.keys(a.weights).map(Number);
        const w = ids.map((id) => a.weights[String(id)]!);
        call(s, I.EmissionSchedule, "setChainWeightsBps", [ids, w], `chain weights: ${ids.map((id, k) => `${id} ${w[k]! / 100}%`).join(", ")}`,
          { what: `chain weights ${ids.join(", ")} in force`, async check(provider) {
            const sched = new Contract(s, I.EmissionSchedule, provider);
            const last = ((await sched.getFunction("segmentCount").staticCall()) as bigint) - 1n;
            for (const [k, id] of ids.entries()) {
              const got = (await sched.getFunction("weightAt").staticCall(last, id)) as bigint;
              if (got !== BigInt(w[k]!) * 420n) return `chain ${id} weight is ${got}, expected ${w[k]! * 420}`;
            }
            return null;
          } });
        break;
      }
      case "setMarketWeights": {
        const s = need("emissionSchedule", where);
        const symbols = Object.keys(a.weights);
        const markets = symbols.map((sym) => marketOf(sym, where).market);
        call(s, I.EmissionSchedule, "setMarketWeights", [markets, symbols.map((k) => a.weights[k]!.supplyBps), symbols.map((k) => a.weights[k]!.borrowBps)],
          `market weights: ${symbols.map((k) => `${k} ${a.weights[k]!.supplyBps / 100}%/${a.weights[k]!.borrowBps / 100}%`).join(", ")}`,
          expectView(s, I.EmissionSchedule, "marketWeights", [], markets.join(","), "market weights set", (r) => (r as { market: string }[]).map((x) => x.market).join(",")));
        break;
      }
      case "addLaunchBonus": {
        const s = need("emissionSchedule", where);
        const amount = parseUnitsStrict(a.amountFlux);
        const duration = Math.round(a.durationDays * DAY);
        call(s, I.EmissionSchedule, "addLaunchBonus", [a.chainId, amount, a.start, duration], `launch bonus for chain ${a.chainId}: ${a.amountFlux} FLUX over ${a.durationDays} days`,
          { what: `chain ${a.chainId} has a bonus of ${a.amountFlux} FLUX`, async check(provider) {
            const bonuses = (await new Contract(s, I.EmissionSchedule, provider).getFunction("bonusesOf").staticCall(a.chainId)) as { amount: bigint }[];
            return bonuses.some((b) => b.amount === amount) ? null : "no such bonus";
          } });
        break;
      }
      case "setEmissionsOperator": {
        const d = need("rewardsDistributor", where);
        call(d, I.RewardsDistributor, "setOperator", [a.operator], `emissions operator → ${a.operator}`,
          expectView(d, I.RewardsDistributor, "config", [], a.operator, "operator set", (r) => (r as string[])[3]));
        break;
      }
      case "upgradeProxy": {
        const target = need(a.proxy, where);
        const uups = new Interface(["function upgradeToAndCall(address,bytes)"]);
        call(target, uups, "upgradeToAndCall", [a.implementation, "0x"], `upgrade ${a.proxy} to ${a.implementation}`, {
          what: `${a.proxy} runs ${a.implementation}`,
          async check(provider) {
            const slot = await provider.getStorage(target, "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc");
            return `0x${slot.slice(26)}`.toLowerCase() === a.implementation.toLowerCase() ? null : `implementation is 0x${slot.slice(26)}`;
          },
        });
        break;
      }
      case "replaceDistributor": {
        // the distributor is not upgradeable: a successor takes over (docs/emissions.md)
        const d = need("rewardsDistributor", where);
        const t = m.contracts.token;
        const allowance = parseUnitsStrict(a.allowanceFlux);
        call(d, I.RewardsDistributor, "retire", [a.successor], `retire the rewards distributor ${d} in favour of ${a.successor}`,
          expectView(d, I.RewardsDistributor, "successor", [], a.successor, "the distributor retired in favour of the successor"));
        call(t, I.FluxToken, "setMinterAllowance", [a.successor, allowance], `the successor ${a.successor} may mint ${a.allowanceFlux} FLUX`,
          expectView(t, I.FluxToken, "minterAllowance", [a.successor], allowance, "successor's minter allowance"));
        call(t, I.FluxToken, "setMinterAllowance", [d, 0n], `the retired distributor ${d} may mint nothing`,
          expectView(t, I.FluxToken, "minterAllowance", [d], 0n, "retired distributor's minter allowance is zero"));
        break;
      }
      case "upgradeMarkets": {
        const b = need("marketBeacon", where);
        call(b, I.UpgradeableBeacon, "upgradeTo", [a.implementation], `upgrade every market to ${a.implementation}`,
          expectView(b, I.UpgradeableBeacon, "implementation", [], a.implementation, "beacon points to the new implementation"));
        break;
      }
      case "payFromTreasury": {
        const timelock = m.contracts.timelock;
        const token = a.asset === "FLUX" ? m.contracts.token : marketOf(a.asset, where).asset;
        const decimals = a.asset === "FLUX" ? 18 : marketOf(a.asset, where).decimals;
        const amount = parseUnitsStrict(a.amount, decimals);
        const erc20 = new Interface(["function transfer(address,uint256) returns (bool)", "function balanceOf(address) view returns (uint256)"]);
        let before: bigint | null = null;
        call(token, erc20, "transfer", [a.to, amount], `pay ${a.amount} ${a.asset} from the treasury (Timelock ${timelock}) to ${a.to}`, {
          what: `${a.to} received ${a.amount} ${a.asset}`,
          async prepare(provider) {
            before = (await new Contract(token, erc20, provider).getFunction("balanceOf").staticCall(a.to)) as bigint;
          },
          async check(provider) {
            if (before === null) return "the balance before execution was not recorded";
            const bal = (await new Contract(token, erc20, provider).getFunction("balanceOf").staticCall(a.to)) as bigint;
            return bal - before >= amount ? null : `balance grew by ${bal - before}`;
          },
        });
        break;
      }
    }
  }
  const description = [
    `# ${p.title}`,
    "",
    p.rationale.trim(),
    "",
    "## Actions",
    ...actions.map((x, k) => `${k + 1}. ${x.summary} — \`${x.target}\``),
    "",
    "## Promised after execution",
    ...actions.map((x) => `- ${x.postcondition.what}`),
  ].join("\n");
  return { network, chainId: m.chainId, governor: m.contracts.governor, actions, description };
}
