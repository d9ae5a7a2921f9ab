/**
 * The parts of `@snapshot-labs/snapshot.js` this toolkit uses, behind one typed seam: the schemas
 * and validator, the EIP-712 message types and their hashes (how the hub recognises a message's
 * kind), the voting classes, and an adapter that lets an ethers v6 signer sign for `Client712`
 * (which calls the ethers v5 `_signTypedData`).
 *
 * Dependency note: snapshot.js pins ajv 8.11 while ajv-errors is hoisted against ajv 8.20; with
 * two ajv copies `validateSchema` fails with "Error compiling schema". package.json's `overrides`
 * gives snapshot.js the same ajv (test/snapshot.settings.test.ts fails if that regresses).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import snapshotModule from "@snapshot-labs/snapshot.js";
import type { Signer, TypedDataDomain, TypedDataField } from "ethers";

/**
 * The package is CommonJS with `module.exports = index`, typed as `export default`: under Node's
 * ESM the default import *is* the object, while TypeScript (node16) types it as `{ default }`.
 */
type SnapshotJs = typeof snapshotModule.default;
export const snapshot: SnapshotJs = ((snapshotModule as { default?: SnapshotJs }).default ?? snapshotModule) as SnapshotJs;

const require = createRequire(import.meta.url);

/** The EIP-712 domain every Snapshot message is signed under (no chain id: messages are off-chain). */
export const SNAPSHOT_DOMAIN = { name: "snapshot", version: "0.1.4" } as const;

export type Types = Record<string, TypedDataField[]>;

/** Snapshot's message types by the sha256 of `JSON.stringify(types)`, as the sequencer looks them up. */
const HASHED_TYPES = packageJson("src/sign/hashedTypes.json") as Record<string, string>;

/** A JSON file shipped inside the snapshot.js package (it has no exports map; these are data files). */
export function packageJson(file: string): unknown {
  return JSON.parse(readFileSync(require.resolve(`@snapshot-labs/snapshot.js/${file}`), "utf8"));
}

/** The kind of message ("proposal", "vote", "settings", …) these types sign, or undefined. */
export function messageKind(types: Types): string | undefined {
  return HASHED_TYPES[createHash("sha256").update(JSON.stringify(types)).digest("hex")];
}

/** Validates `data` against one of snapshot.js's JSON schemas; returns the error lines (empty when valid). */
export function schemaErrors(schema: keyof typeof snapshot.schemas, data: unknown): string[] {
  const r = snapshot.utils.validateSchema(snapshot.schemas[schema], data) as true | { instancePath: string; message?: string; params?: Record<string, unknown> }[];
  if (r === true) return [];
  return r.map((e) => {
    const extra = e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : "";
    return `${e.instancePath || "(root)"}: ${e.message ?? "invalid"}${extra}`;
  });
}

/** snapshot.js's EIP-712 message hash (the id the hub gives a message). */
export function messageHash(data: { domain: TypedDataDomain; types: Types; message: Record<string, unknown> }): string {
  return snapshot.utils.getHash(data as never);
}

/**
 * Makes an ethers v6 signer usable where Client712 expects an ethers v5 signer: Client712 calls
 * `_signTypedData(domain, types, message)`, which is `signTypedData` in v6.
 */
export function v5Signer(signer: Signer): unknown {
  return {
    _signTypedData: (domain: TypedDataDomain, types: Types, message: Record<string, unknown>) => signer.signTypedData(domain, types, message),
    getAddress: () => signer.getAddress(),
  };
}

export type VotingType = keyof typeof snapshot.utils.voting;

/** Snapshot's own result for a single-choice (or basic) vote: scores per choice, as the hub computes them. */
export function votingScores(
  type: VotingType,
  choices: string[],
  votes: { choice: unknown; balance: number; scores: number[] }[],
  strategies: { name: string; network: string; params: Record<string, unknown> }[],
): { scores: number[]; scoresByStrategy: number[][]; total: number } {
  const Voting = snapshot.utils.voting[type];
  const v = new Voting({ choices } as never, votes as never, strategies, 0 as never);
  return { scores: v.getScores(), scoresByStrategy: v.getScoresByStrategy(), total: v.getScoresTotal() };
}
