/**
 * Governance proposals as code. A proposal module (`proposals/NNNN-name.ts`) default-exports
 * `defineProposal({...})`: a title, a rationale, the networks it targets, and typed actions. The
 * actions are resolved against each network's deployment manifest into (target, value, calldata),
 * the description is generated from them, and each action declares the postcondition it promises,
 * checked after a simulated execution.
 */
import { z } from "zod";
import { address, bps, decimalString, marketSymbol, uintString } from "../core/schemas.js";

/* Fractions and amounts stay decimal text here; `resolve` converts them with the right decimals. */
/** Every action a proposal may contain (a discriminated union on `kind`). */
export const actionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("setCollateralRatio"), market: marketSymbol, bps }),
  z.object({ kind: z.literal("setLiquidationRatio"), bps }),
  z.object({ kind: z.literal("setPriceFactor"), bps }),
  z.object({ kind: z.literal("setCloseFactor"), bps }),
  z.object({ kind: z.literal("listMarket"), market: address, collateralRatioBps: bps, supplyCap: decimalString, borrowCap: decimalString, decimals: z.number().int().min(0).max(36) }),
  z.object({ kind: z.literal("pauseMarket"), market: marketSymbol, deposits: z.boolean(), borrows: z.boolean() }),
  z.object({ kind: z.literal("setCaps"), market: marketSymbol, supplyCap: z.union([decimalString, z.literal("unlimited")]), borrowCap: z.union([decimalString, z.literal("unlimited")]) }),
  z.object({
    kind: z.literal("setRateModel"),
    market: marketSymbol,
    baseRatePerYear: decimalString,
    slopeLowPerYear: decimalString,
    slopeHighPerYear: decimalString,
    kink: decimalString,
  }),
  z.object({ kind: z.literal("setChainWeights"), weights: z.record(uintString, bps) }),
  z.object({ kind: z.literal("setMarketWeights"), weights: z.record(marketSymbol, z.object({ supplyBps: bps, borrowBps: bps })) }),
  z.object({ kind: z.literal("addLaunchBonus"), chainId: z.number().int().positive(), amountFlux: decimalString, start: z.number().int().positive(), durationDays: z.number().positive() }),
  z.object({ kind: z.literal("setEmissionsOperator"), operator: address }),
  z.object({ kind: z.literal("upgradeProxy"), proxy: z.enum(["token", "governor", "timelock", "controller", "oracle", "emissionSchedule"]), implementation: address }),
  z.object({ kind: z.literal("upgradeMarkets"), implementation: address }),
  /** Retires the rewards distributor in favour of `successor` (deployed with it as predecessor) and moves its minter allowance. */
  z.object({ kind: z.literal("replaceDistributor"), successor: address, allowanceFlux: decimalString }),
  z.object({ kind: z.literal("payFromTreasury"), asset: z.union([z.literal("FLUX"), marketSymbol]), to: address, amount: decimalString }),
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
