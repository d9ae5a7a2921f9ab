/**
 * A local stand-in for Tally's GraphQL API, started by tests on 127.0.0.1. It checks what the
 * real API checks — POST with a JSON body, the `Api-Key` header, and a query that parses and
 * validates against the schema (a faithful subset of Tally's: the types, inputs, union nodes and
 * pagination the client uses) — and answers from data it indexed from a chain's Governor events.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSchema, graphql, parse, validate, type GraphQLError } from "graphql";

export const TALLY_SCHEMA = buildSchema(`
  scalar AccountID
  scalar Address
  scalar IntID
  scalar Uint256
  scalar ChainID

  type Query {
    governor(input: GovernorInput!): Governor!
    proposals(input: ProposalsInput!): PaginatedOutput!
    votes(input: VotesInput!): PaginatedOutput!
  }

  input GovernorInput { id: AccountID, slug: String }
  input PageInput { afterCursor: String, beforeCursor: String, limit: Int }
  enum ProposalsSortBy { id }
  input ProposalsSortInput { isDescending: Boolean!, sortBy: ProposalsSortBy! }
  input ProposalsFiltersInput { governorId: AccountID, organizationId: IntID, includeArchived: Boolean, isDraft: Boolean }
  input ProposalsInput { filters: ProposalsFiltersInput, page: PageInput, sort: ProposalsSortInput }
  input VotesFiltersInput { proposalId: IntID, voter: Address }
  input VotesInput { filters: VotesFiltersInput, page: PageInput }

  type Token { id: String!, symbol: String!, decimals: Int!, supply: Uint256! }
  type GovernorProposalStats { total: Int!, active: Int!, passed: Int!, failed: Int! }
  type Governor {
    id: AccountID!
    name: String!
    chainId: ChainID!
    quorum: Uint256!
    timelockId: AccountID
    token: Token!
    proposalStats: GovernorProposalStats!
  }
  type Account { address: Address! }
  type ProposalMetadata { title: String, description: String! }
  type VoteStats { type: String!, votesCount: Uint256!, votersCount: Int!, percent: Float! }
  type Proposal {
    id: IntID!
    onchainId: String
    status: String!
    metadata: ProposalMetadata!
    proposer: Account
    voteStats: [VoteStats!]
  }
  type OnchainVote { id: IntID!, type: String!, amount: Uint256!, reason: String, voter: Account! }
  union Node = Governor | Proposal | OnchainVote
  type PageInfo { firstCursor: String, lastCursor: String, count: Int }
  type PaginatedOutput { nodes: [Node!]!, pageInfo: PageInfo! }
`);

export interface IndexedGovernor {
  id: string;
  name: string;
  chainId: string;
  quorum: string;
  timelockId: string | null;
  token: { id: string; symbol: string; decimals: number; supply: string };
  proposalStats: { total: number; active: number; passed: number; failed: number };
}
export interface IndexedProposal {
  id: string;
  governorId: string;
  onchainId: string;
  status: string;
  metadata: { title: string | null; description: string };
  proposer: { address: string };
  voteStats: { type: string; votesCount: string; votersCount: number; percent: number }[];
}
export interface IndexedVote {
  id: string;
  proposalId: string;
  type: string;
  amount: string;
  reason: string | null;
  voter: { address: string };
}

export interface TallyStore {
  governors: IndexedGovernor[];
  proposals: IndexedProposal[];
  votes: IndexedVote[];
}

export interface TallyServer {
  url: string;
  requests: { operationName: string; variables: Record<string, unknown> }[];
  close(): Promise<void>;
}

function page<T extends { id: string }>(items: T[], input: { page?: { afterCursor?: string; limit?: number } }) {
  const limit = Math.min(input.page?.limit ?? 20, 20);
  const start = input.page?.afterCursor ? items.findIndex((x) => x.id === input.page!.afterCursor) + 1 : 0;
  const nodes = items.slice(start, start + limit);
  return {
    nodes,
    pageInfo: { firstCursor: nodes[0]?.id ?? null, lastCursor: nodes[nodes.length - 1]?.id ?? null, count: items.length },
  };
}

export async function startTallyServer(store: TallyStore, apiKey: string): Promise<TallyServer> {
  const requests: TallyServer["requests"] = [];
  const root = {
    governor: ({ input }: { input: { id?: string } }) => {
      const g = store.governors.find((x) => x.id === input.id);
      if (!g) throw new Error(`governor not found: ${input.id}`);
      return { __typename: "Governor", ...g };
    },
    proposals: ({ input }: { input: { filters?: { governorId?: string }; sort?: { isDescending: boolean }; page?: { afterCursor?: string; limit?: number } } }) => {
      let items = store.proposals.filter((p) => !input.filters?.governorId || p.governorId === input.filters.governorId);
      items = [...items].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
      if (input.sort?.isDescending) items.reverse();
      const r = page(items, input);
      return { ...r, nodes: r.nodes.map((n) => ({ __typename: "Proposal", ...n })) };
    },
    votes: ({ input }: { input: { filters?: { proposalId?: string }; page?: { afterCursor?: string; limit?: number } } }) => {
      const r = page(store.votes.filter((v) => !input.filters?.proposalId || v.proposalId === input.filters.proposalId), input);
      return { ...r, nodes: r.nodes.map((n) => ({ __typename: "OnchainVote", ...n })) };
    },
  };
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST") return reply(405, { errors: [{ message: "only POST is supported" }] });
    if (req.headers["api-key"] !== apiKey) return reply(401, { errors: [{ message: "Unauthorized: a valid Api-Key header is required" }] });
    if (!String(req.headers["content-type"]).startsWith("application/json")) {
      return reply(415, { errors: [{ message: "content-type must be application/json" }] });
    }
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString("utf8")));
    req.on("end", () => {
      void (async () => {
        let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          return reply(400, { errors: [{ message: "body is not JSON" }] });
        }
        let errors: readonly GraphQLError[] = [];
        try {
          errors = validate(TALLY_SCHEMA, parse(body.query ?? ""));
        } catch (e) {
          return reply(400, { errors: [{ message: (e as Error).message }] });
        }
        if (errors.length) return reply(400, { errors: errors.map((e) => ({ message: e.message })) });
        requests.push({ operationName: body.operationName ?? "", variables: body.variables ?? {} });
        const result = await graphql({
          schema: TALLY_SCHEMA,
          source: body.query!,
          rootValue: root,
          variableValues: body.variables,
          operationName: body.operationName,
        });
        reply(result.errors?.length ? 200 : 200, result);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/query`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
