/**
 * The typed, validated deployment config of one network: `ignition/config/<network>.json`.
 * Every value is checked here, before any transaction, and a bad one fails with a message that
 * names the file and the field.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { fluxAmount } from "../util/amounts.js";
import { address, InputError, parseWith } from "../util/validate.js";

const DAY = 86_400;
const seconds = (max: number) => z.number().int().nonnegative().max(max);

export const deployConfigSchema = z
  .object({
    /** Expected chain id: deploying to another chain is refused. */
    chainId: z.number().int().positive(),
    token: z.object({
      name: z.string().min(1).max(64),
      symbol: z.string().min(1).max(16),
      /** Hard cap on supply, FLUX (decimal string). */
      maxSupply: fluxAmount,
      allocations: z.array(z.object({ account: address, amount: fluxAmount })).default([]),
    }),
    governor: z.object({
      name: z.string().min(1).max(64),
      /** Seconds between proposal and vote start (ERC-6372 timestamp clock). */
      votingDelay: seconds(30 * DAY),
      /** Seconds of voting; at least one hour. */
      votingPeriod: seconds(60 * DAY).min(3600),
      /** FLUX of votes needed to propose. */
      proposalThreshold: fluxAmount,
      /** Quorum in percent of total supply at the snapshot. */
      quorumPercent: z.number().int().min(1).max(100),
      /** Minimum seconds of voting left after quorum is reached late. */
      lateQuorumExtension: seconds(30 * DAY),
      /** May cancel any proposal before execution; null for none. */
      proposalGuardian: address.nullable(),
    }),
    timelock: z.object({
      /** Seconds between queue and execution. */
      minDelay: seconds(30 * DAY),
    }),
  })
  .superRefine((cfg, ctx) => {
    const total = cfg.token.allocations.reduce((sum, a) => sum + a.amount, 0n);
    if (cfg.token.maxSupply === 0n) {
      ctx.addIssue({ code: "custom", path: ["token", "maxSupply"], message: "must be positive" });
    }
    if (cfg.token.maxSupply >= 1n << 208n) {
      ctx.addIssue({ code: "custom", path: ["token", "maxSupply"], message: "exceeds ERC20Votes' uint208 limit" });
    }
    if (total > cfg.token.maxSupply) {
      ctx.addIssue({
        code: "custom",
        path: ["token", "allocations"],
        message: `allocations total ${total} wei exceeds maxSupply ${cfg.token.maxSupply} wei`,
      });
    }
    const seen = new Set<string>();
    cfg.token.allocations.forEach((a, i) => {
      if (seen.has(a.account)) {
        ctx.addIssue({ code: "custom", path: ["token", "allocations", i, "account"], message: `duplicate account ${a.account}` });
      }
      seen.add(a.account);
    });
    if (cfg.governor.proposalThreshold > cfg.token.maxSupply) {
      ctx.addIssue({ code: "custom", path: ["governor", "proposalThreshold"], message: "exceeds maxSupply" });
    }
    if (cfg.governor.lateQuorumExtension > cfg.governor.votingPeriod) {
      ctx.addIssue({ code: "custom", path: ["governor", "lateQuorumExtension"], message: "exceeds votingPeriod" });
    }
  });

export type DeployConfig = z.output<typeof deployConfigSchema>;
export type DeployConfigInput = z.input<typeof deployConfigSchema>;

/** Directory of the per-network configs. */
export const CONFIG_DIR = path.join("ignition", "config");

/** Validates an in-memory config; `where` names its origin in error messages. */
export function parseDeployConfig(data: unknown, where = "deploy config"): DeployConfig {
  return parseWith(deployConfigSchema, data, where);
}

/** Reads and validates `ignition/config/<network>.json` (relative to `root`). */
export async function loadDeployConfig(network: string, root = process.cwd()): Promise<DeployConfig> {
  const file = path.join(CONFIG_DIR, `${network}.json`);
  let text: string;
  try {
    text = await readFile(path.join(root, file), "utf8");
  } catch {
    throw new InputError(`${file}: no deployment config for network "${network}"`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseDeployConfig(json, file);
}
