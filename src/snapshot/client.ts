/**
 * A typed Snapshot client: writes go through snapshot.js's `Client712` (EIP-712 signed messages
 * posted to the hub's sequencer), reads through the hub's GraphQL API, and signed envelopes come
 * from the hub's IPFS pins. Every read is validated with zod, so a changed API fails naming the
 * field. The hub URL is configurable (`SNAPSHOT_HUB_URL`, default hub.snapshot.org); Client712
 * itself redirects hub.snapshot.org writes to seq.snapshot.org.
 */
import { getAddress, verifyTypedData, type Signer } from "ethers";
import { z } from "zod";
import { graphqlData } from "../core/graphql.js";
import { parseWith } from "../core/validate.js";
import { messageHash, messageKind, snapshot, v5Signer, type Types } from "./sdk.js";
import type { SpaceSettings } from "./settings.js";

import { SNAPSHOT_HUB_URL } from "./defaults.js";
import { messageOf, RemoteError, UnreachableError } from "../core/errors.js";
import { uintString } from "../core/schemas.js";
import { isUnreachable } from "../core/revert.js";

export { SNAPSHOT_HUB_URL };

/** The hub (or its IPFS gateway) refused a message or a query, or answered something unusable: its own words. */
export class SnapshotError extends RemoteError {}

const strategy = z.object({ name: z.string(), network: z.string(), params: z.record(z.string(), z.unknown()) });

const proposalSchema = z.object({
  id: z.string(),
  ipfs: z.string(),
  author: z.string(),
  created: z.number().int(),
  space: z.object({ id: z.string(), name: z.string() }),
  network: z.string(),
  type: z.string(),
  strategies: z.array(strategy),
  title: z.string(),
  body: z.string(),
  choices: z.array(z.string()),
  start: z.number().int(),
  end: z.number().int(),
  quorum: z.number(),
  snapshot: uintString,
  state: z.enum(["pending", "active", "closed"]),
  scores: z.array(z.number()),
  scores_total: z.number(),
  scores_state: z.string(),
  votes: z.number().int(),
});
export type HubProposal = z.output<typeof proposalSchema>;

const voteSchema = z.object({
  id: z.string(),
  ipfs: z.string(),
  voter: z.string(),
  created: z.number().int(),
  choice: z.number().int(),
  reason: z.string().nullable(),
  vp: z.number(),
  vp_by_strategy: z.array(z.number()),
});
export type HubVote = z.output<typeof voteSchema>;

export const envelopeSchema = z.object({
  address: z.string(),
  sig: z.string(),
  data: z.object({
    domain: z.record(z.string(), z.unknown()),
    types: z.record(z.string(), z.array(z.object({ name: z.string(), type: z.string() }))),
    message: z.record(z.string(), z.unknown()),
  }),
});
export type SignedEnvelope = z.output<typeof envelopeSchema>;

const spaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  network: z.string(),
  strategies: z.array(strategy),
  voting: z.object({ delay: z.number().int().nullable(), period: z.number().int().nullable(), quorum: z.number().nullable() }),
});
export type HubSpace = z.output<typeof spaceSchema>;

const PROPOSAL_FIELDS = "id ipfs author created space { id name } network type strategies { name network params } title body choices start end quorum snapshot state scores scores_total scores_state votes";
const VOTE_FIELDS = "id ipfs voter created choice reason vp vp_by_strategy";
const PAGE = 1000;

export interface NewProposal {
  space: string;
  title: string;
  body: string;
  choices: string[];
  start: number;
  end: number;
  /** Block number on the space's network. */
  snapshot: number;
  discussion?: string;
  type?: "single-choice" | "basic";
  /** Message time (unix seconds); default now. Chains whose clock is moved pass theirs. */
  timestamp?: number;
}

export interface NewVote {
  space: string;
  proposal: string;
  choice: number;
  reason?: string;
  timestamp?: number;
}

export class SnapshotHub {
  readonly url: string;
  readonly #client: InstanceType<typeof snapshot.Client712>;
  readonly #fetch: typeof fetch;

  constructor(url = process.env.SNAPSHOT_HUB_URL ?? SNAPSHOT_HUB_URL, opts: { fetch?: typeof fetch } = {}) {
    this.url = url.replace(/\/+$/, "");
    this.#client = new snapshot.Client712(this.url);
    this.#fetch = opts.fetch ?? fetch;
  }

  async #send<T>(what: string, write: () => Promise<unknown>): Promise<T> {
    try {
      return (await write()) as T;
    } catch (e) {
      const body = e as { error?: string; error_description?: string; message?: string };
      // no answer at all (connection refused, unknown host, timeout): the hub is unreachable, it refused nothing
      if (isUnreachable(e)) throw new UnreachableError(`${this.url}: cannot be reached to send the ${what} (${body.message ?? String(e)})`, { cause: e });
      throw new SnapshotError(`${what} refused by ${this.url}: ${body.error_description ?? body.error ?? body.message ?? String(e)}`);
    }
  }

  /** Sets a space's settings (signed by the space's controller). */
  async setSpace(signer: Signer, space: string, settings: SpaceSettings, timestamp?: number): Promise<{ id: string }> {
    const from = await signer.getAddress();
    return this.#send("space settings", () =>
      this.#client.space(v5Signer(signer) as never, from, { space, settings: JSON.stringify(settings), timestamp } as never),
    );
  }

  /** Creates a proposal signed by `signer`; returns its id (the message's EIP-712 hash). */
  async propose(signer: Signer, p: NewProposal): Promise<{ id: string; ipfs: string }> {
    const from = await signer.getAddress();
    return this.#send("proposal", () =>
      this.#client.proposal(v5Signer(signer) as never, from, {
        space: p.space, type: p.type ?? "single-choice", title: p.title, body: p.body, discussion: p.discussion ?? "",
        choices: p.choices, start: p.start, end: p.end, snapshot: p.snapshot, plugins: "{}", labels: [], app: "flux", timestamp: p.timestamp,
      } as never),
    );
  }

  /** Casts (or replaces) `signer`'s vote. */
  async vote(signer: Signer, v: NewVote): Promise<{ id: string; ipfs: string }> {
    const from = await signer.getAddress();
    return this.#send("vote", () =>
      this.#client.vote(v5Signer(signer) as never, from, {
        space: v.space, proposal: v.proposal, type: "single-choice", choice: v.choice, reason: v.reason ?? "", app: "flux", timestamp: v.timestamp,
      } as never),
    );
  }

  async #query(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
    const where = `${this.url}/graphql`;
    let res: Response;
    try {
      res = await this.#fetch(where, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    } catch (e) {
      throw new UnreachableError(`${where}: cannot connect (${messageOf(e)})`, { cause: e });
    }
    const data = await graphqlData(res, where, (message) => new SnapshotError(message));
    if (!data || typeof data !== "object") throw new SnapshotError(`${where}: HTTP ${res.status}`);
    return data as Record<string, unknown>;
  }

  async space(id: string): Promise<HubSpace> {
    const data = await this.#query(`query Space($id: String!) { space(id: $id) { id name network strategies { name network params } voting { delay period quorum } } }`, { id });
    if (data.space === null) throw new SnapshotError(`space ${id} not found on ${this.url}`);
    return parseWith(spaceSchema, data.space, `${this.url}/graphql space ${id}`);
  }

  async proposal(id: string): Promise<HubProposal> {
    const data = await this.#query(`query Proposal($id: String!) { proposal(id: $id) { ${PROPOSAL_FIELDS} } }`, { id });
    if (data.proposal === null) throw new SnapshotError(`proposal ${id} not found on ${this.url}`);
    return parseWith(proposalSchema, data.proposal, `${this.url}/graphql proposal ${id}`);
  }

  /** The newest proposal of `space` (by creation time), or a SnapshotError when it has none. */
  async latestProposal(space: string): Promise<HubProposal> {
    const data = await this.#query(
      `query Latest($space: String!) { proposals(first: 1, skip: 0, where: { space: $space }, orderBy: "created", orderDirection: desc) { ${PROPOSAL_FIELDS} } }`,
      { space },
    );
    const [latest] = parseWith(z.array(proposalSchema), data.proposals, `${this.url}/graphql proposals of ${space}`);
    if (!latest) throw new SnapshotError(`space ${space} has no proposal on ${this.url}`);
    return latest;
  }

  /** Every vote on a proposal (paged by 1000, oldest first). */
  async votes(proposal: string): Promise<HubVote[]> {
    const out: HubVote[] = [];
    for (let skip = 0; ; skip += PAGE) {
      const data = await this.#query(
        `query Votes($proposal: String!, $first: Int!, $skip: Int!) { votes(first: $first, skip: $skip, where: { proposal: $proposal }, orderBy: "created", orderDirection: asc) { ${VOTE_FIELDS} } }`,
        { proposal, first: PAGE, skip },
      );
      const page = parseWith(z.array(voteSchema), data.votes, `${this.url}/graphql votes of ${proposal}`);
      out.push(...page);
      if (page.length < PAGE) return out;
    }
  }

  /**
   * The signed message behind `id` (fetched from `gateway`, the hub's own pins by default),
   * verified: its EIP-712 hash is `id`, its types are Snapshot's `kind`, and its signature recovers
   * its `address`. Returns the message and the recovered signer.
   */
  async signedMessage(id: string, ipfs: string, kind: string, gateway = `${this.url}/ipfs`): Promise<{ signer: string; message: Record<string, unknown> }> {
    let res: Response;
    try {
      res = await this.#fetch(`${gateway}/${ipfs}`);
    } catch (e) {
      throw new UnreachableError(`${gateway}/${ipfs}: cannot connect (${messageOf(e)})`, { cause: e });
    }
    if (!res.ok) throw new SnapshotError(`${gateway}/${ipfs}: HTTP ${res.status}`);
    const env = parseWith(envelopeSchema, await res.json(), `${gateway}/${ipfs}`);
    return verifyEnvelope(env, id, kind);
  }
}

/** Checks a signed envelope against the id and kind the hub claims for it. */
export function verifyEnvelope(env: SignedEnvelope, id: string, kind: string): { signer: string; message: Record<string, unknown> } {
  const types = env.data.types as Types;
  if (messageKind(types) !== kind) throw new SnapshotError(`message ${id}: not a Snapshot ${kind} message`);
  if (messageHash(env.data as never) !== id) throw new SnapshotError(`message ${id}: its content hashes to ${messageHash(env.data as never)}, not its id`);
  let signer: string;
  try {
    signer = getAddress(verifyTypedData(env.data.domain, types, env.data.message, env.sig));
  } catch (e) {
    throw new SnapshotError(`message ${id}: bad signature (${(e as Error).message})`);
  }
  if (signer !== getAddress(env.address)) throw new SnapshotError(`message ${id}: signed by ${signer}, not ${env.address}`);
  return { signer, message: env.data.message };
}
