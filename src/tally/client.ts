/**
 * A small typed client for Tally's public GraphQL API (there is no Tally SDK on the npm registry).
 * Tally indexes the FLUX Governor as the standard OpenZeppelin Governor it is; this client reads
 * what it indexed: a governor, its proposals and a proposal's votes, with cursor pagination.
 *
 * The API key comes from the environment (`TALLY_API_KEY`) and travels in the `Api-Key` header.
 * Governor ids are CAIP-10-like: `eip155:<chainId>:<address>`. Every response is validated with
 * zod, so a changed API fails loudly, naming the field.
 */
import { getAddress } from "ethers";
import { z } from "zod";
import { graphqlData } from "../core/graphql.js";
import { parseWith } from "../core/validate.js";
import { InputError, messageOf, RemoteError, UnreachableError } from "../core/errors.js";

export const TALLY_API_URL = "https://api.tally.xyz/query";

/** Tally refused a query or answered something unusable: its own words. */
export class TallyError extends RemoteError {}

/** The Tally governor id of a Governor deployed at `address` on `chainId`. */
export function governorId(chainId: number, address: string): string {
  return `eip155:${chainId}:${getAddress(address)}`;
}

const pageInfo = z.object({ firstCursor: z.string().nullable(), lastCursor: z.string().nullable(), count: z.number().int().nullable().optional() });

const governorSchema = z.object({
  id: z.string(),
  name: z.string(),
  chainId: z.string(),
  quorum: z.string(),
  timelockId: z.string().nullable(),
  token: z.object({ id: z.string(), symbol: z.string(), decimals: z.number().int(), supply: z.string() }),
  proposalStats: z.object({ total: z.number().int(), active: z.number().int(), passed: z.number().int(), failed: z.number().int() }),
});
export type TallyGovernor = z.output<typeof governorSchema>;

const proposalSchema = z.object({
  id: z.string(),
  onchainId: z.string().nullable(),
  status: z.string(),
  metadata: z.object({ title: z.string().nullable(), description: z.string() }),
  proposer: z.object({ address: z.string() }).nullable(),
  voteStats: z.array(z.object({ type: z.string(), votesCount: z.string(), votersCount: z.number().int(), percent: z.number() })),
});
export type TallyProposal = z.output<typeof proposalSchema>;

const voteSchema = z.object({
  id: z.string(),
  type: z.string(),
  amount: z.string(),
  reason: z.string().nullable(),
  voter: z.object({ address: z.string() }),
});
export type TallyVote = z.output<typeof voteSchema>;

export const GOVERNOR_QUERY = `query Governor($input: GovernorInput!) {
  governor(input: $input) {
    id name chainId quorum timelockId
    token { id symbol decimals supply }
    proposalStats { total active passed failed }
  }
}`;

export const PROPOSALS_QUERY = `query Proposals($input: ProposalsInput!) {
  proposals(input: $input) {
    nodes {
      ... on Proposal {
        id onchainId status
        metadata { title description }
        proposer { address }
        voteStats { type votesCount votersCount percent }
      }
    }
    pageInfo { firstCursor lastCursor count }
  }
}`;

export const VOTES_QUERY = `query Votes($input: VotesInput!) {
  votes(input: $input) {
    nodes {
      ... on OnchainVote { id type amount reason voter { address } }
    }
    pageInfo { firstCursor lastCursor count }
  }
}`;

export interface TallyClientOptions {
  /** Defaults to Tally's public endpoint; tests point it at a local server. */
  url?: string;
  /** Defaults to process.env.TALLY_API_KEY. */
  apiKey?: string;
  /** Page size for lists (Tally caps it at 20). */
  pageSize?: number;
  fetch?: typeof fetch;
}

export class TallyClient {
  readonly url: string;
  readonly #apiKey: string;
  readonly #pageSize: number;
  readonly #fetch: typeof fetch;

  constructor(opts: TallyClientOptions = {}) {
    const key = opts.apiKey ?? process.env.TALLY_API_KEY;
    if (!key) throw new InputError("TALLY_API_KEY is not set (create a key in Tally's user settings)");
    this.url = opts.url ?? TALLY_API_URL;
    this.#apiKey = key;
    this.#pageSize = Math.min(opts.pageSize ?? 20, 20);
    this.#fetch = opts.fetch ?? fetch;
  }

  async #request(operationName: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
    let res: Response;
    try {
      res = await this.#fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", "Api-Key": this.#apiKey },
        body: JSON.stringify({ operationName, query, variables }),
      });
    } catch (e) {
      throw new UnreachableError(`${operationName}: cannot connect to ${this.url} (${messageOf(e)})`, { cause: e });
    }
    return graphqlData(res, operationName, (message) => new TallyError(message));
  }

  /** The governor Tally indexed for `id` (`eip155:<chainId>:<address>`). */
  async governor(id: string): Promise<TallyGovernor> {
    const data = await this.#request("Governor", GOVERNOR_QUERY, { input: { id } });
    return parseWith(z.object({ governor: governorSchema }), data, "Tally governor").governor;
  }

  /** Every proposal of a governor, newest first, following the cursors. */
  async proposals(governor: string, limit = Infinity): Promise<TallyProposal[]> {
    return this.#paged("Proposals", PROPOSALS_QUERY, "proposals", proposalSchema, { filters: { governorId: governor }, sort: { sortBy: "id", isDescending: true } }, limit);
  }

  /** Every vote on a proposal (Tally's proposal id), following the cursors. */
  async votes(proposalId: string, limit = Infinity): Promise<TallyVote[]> {
    return this.#paged("Votes", VOTES_QUERY, "votes", voteSchema, { filters: { proposalId } }, limit);
  }

  async #paged<S extends z.ZodType>(
    op: string,
    query: string,
    field: string,
    node: S,
    input: Record<string, unknown>,
    limit: number,
  ): Promise<z.output<S>[]> {
    const out: z.output<S>[] = [];
    let afterCursor: string | null = null;
    const schema = z.object({ [field]: z.object({ nodes: z.array(node), pageInfo }) });
    for (;;) {
      const page: Record<string, unknown> = { limit: this.#pageSize, ...(afterCursor ? { afterCursor } : {}) };
      const data = parseWith(schema, await this.#request(op, query, { input: { ...input, page } }), `Tally ${field}`) as Record<
        string,
        { nodes: z.output<S>[]; pageInfo: z.output<typeof pageInfo> }
      >;
      const { nodes, pageInfo: info } = data[field]!;
      out.push(...nodes);
      if (out.length >= limit || nodes.length < this.#pageSize || !info.lastCursor) return out.slice(0, limit);
      afterCursor = info.lastCursor;
    }
  }
}
