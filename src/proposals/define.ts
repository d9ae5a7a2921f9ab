/**
 * Governance proposals as code. A proposal module (`proposals/NNNN-name.ts`) default-exports
 * `defineProposal({...})`: a title, a rationale, the networks it targets, and typed actions. The
 * actions are resolved against each network's deployment manifest into (target, value, calldata),
 * the description is generated from them, and each action declares the postcondition it promises,
 * checked after a simulated execution.
 */
import { z } from "zod";
import { address } from "../core/validate.js";

const bps = z.number().int().min(0).max(65_535);
const wad = z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/, "a decimal number");
const symbol = z.string().regex(/^[A-Za-z0-9]{1,16}$/);
const decimalAmount = z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/, "a decimal amount");

/** Every action a proposal may contain (a discriminated union on `kind`). */
export const actionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("setCollateralRatio"), market: symbol, bps }),
  z.object({ kind: z.literal("setLiquidationRatio"), bps }),
  z.object({ kind: z.literal("setPriceFactor"), bps }),
  z.object({ kind: z.literal("setCloseFactor"), bps }),
  z.object({ kind: z.literal("listMarket"), market: address, collateralRatioBps: bps, supplyCap: decimalAmount, borrowCap: decimalAmount, decimals: z.number().int().min(0).max(36) }),
  z.object({ kind: z.literal("pauseMarket"), market: symbol, deposits: z.boolean(), borrows: z.boolean() }),
  z.object({ kind: z.literal("setCaps"), market: symbol, supplyCap: z.union([decimalAmount, z.literal("unlimited")]), borrowCap: z.union([decimalAmount, z.literal("unlimited")]) }),
  z.object({
    kind: z.literal("setRateModel"),
    market: symbol,
    baseRatePerYear: wad,
    slopeLowPerYear: wad,
    slopeHighPerYear: wad,
    kink: wad,
  }),
  z.object({ kind: z.literal("setChainWeights"), weights: z.record(z.string().regex(/^\d+$/), bps) }),
  z.object({ kind: z.literal("setMarketWeights"), weights: z.record(symbol, z.object({ supplyBps: bps, borrowBps: bps })) }),
  z.object({ kind: z.literal("addLaunchBonus"), chainId: z.number().int().positive(), amountFlux: decimalAmount, start: z.number().int().positive(), durationDays: z.number().positive() }),
  z.object({ kind: z.literal("setEmissionsOperator"), operator: address }),
  z.object({ kind: z.literal("upgradeProxy"), proxy: z.enum(["token", "governor", "timelock", "controller", "oracle", "emissionSchedule", "rewardsDistributor"]), implementation: address }),
  z.object({ kind: z.literal("upgradeMarkets"), implementation: address }),
  z.object({ kind: z.literal("payFromTreasury"), asset: z.union([z.literal("FLUX"), symbol]), to: address, amount: decimalAmount }),
]);

export type ProposalAction = z.input<typeof actionSchema>;

export const proposalSchema = z.object({
  title: z.string().min(3).max(120),
  rationale: z.string().min(1),
  /** Networks (deployment manifests) the same change applies to. */
  networks: z.array(z.string().min(1)).min(1),
  actions: z.array(actionSchema).min(1).max(20),
});

export type ProposalInput = z.input<typeof proposalSchema>;
export type Proposal = z.output<typeof proposalSchema>;

/** Declares a proposal; validated when loaded (see load.ts), typed while written. */
export function defineProposal(p: ProposalInput): ProposalInput {
  return p;
}
