/**
 * A local Snapshot hub on 127.0.0.1, for tests and for `npm start` (there is no network here).
 * It accepts what Snapshot's sequencer accepts and refuses what it refuses, with the same
 * `{ error, error_description }` answers, so the client is tested against real rules:
 *
 * - an envelope `{ address, sig, data: { domain, types, message } }`, domain "snapshot" 0.1.4,
 *   types recognised by their hash (snapshot.js's hashedTypes.json), the EIP-712 signature
 *   recovering `address`, and `message.from` equal to it;
 * - message timestamps no more than 30 s ahead of the hub's clock nor 5 minutes behind it;
 * - space settings (`settings` messages) only from the space's controller, valid by snapshot.js's
 *   space schema;
 * - proposals valid by snapshot.js's proposal schema, body ≤ 10,000 characters, the space's
 *   voting type, delay and period, a snapshot block that exists on the space's network, and an
 *   author with at least the space's `basic` validation minScore of voting power;
 * - votes valid by the vote schema, on an active proposal, with a valid choice and non-zero power;
 *   a later vote from the same voter replaces the earlier one.
 *
 * Voting power is counted the ERC-5805 way (`pastVotesPower`), summed over the space's chains.
 * Reads go through GraphQL at `/graphql` (a subset of hub.snapshot.org's schema: `space`,
 * `proposal`, `proposals`, `votes`); signed envelopes are served at `/ipfs/<id>`, as Snapshot pins them to IPFS.
 * Only EOA signatures are verified (no EIP-1271 contract wallets): a documented limit of the local hub.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSchema, graphql } from "graphql";
import { getAddress, verifyTypedData, type Provider } from "ethers";
import { messageHash, messageKind, schemaErrors, SNAPSHOT_DOMAIN, votingScores, type Types } from "../src/snapshot/sdk.js";
import { type SpaceSettings, validateSpaceSettings } from "../src/snapshot/settings.js";
import { pastVotesPower, powerChains, snapshotTime, toScore } from "../src/snapshot/power.js";
import { FluxError, InputError, messageOf } from "../src/core/errors.js";

export const MAX_BODY_LENGTH = 10_000;
const FUTURE_TOLERANCE = 30;
const PAST_TOLERANCE = 300;

export interface Envelope {
  address: string;
  sig: string;
  data: { domain: Record<string, unknown>; types: Types; message: Record<string, unknown> };
}

export interface StoredProposal {
  id: string;
  ipfs: string;
  author: string;
  created: number;
  space: string;
  network: string;
  symbol: string;
  type: string;
  strategies: SpaceSettings["strategies"];
  title: string;
  body: string;
  discussion: string;
  choices: string[];
  start: number;
  end: number;
  snapshot: number;
  quorum: number;
  plugins: string;
}

export interface StoredVote {
  id: string;
  ipfs: string;
  voter: string;
  created: number;
  proposal: string;
  space: string;
  choice: number;
  reason: string;
  app: string;
  vp: number;
  vp_by_strategy: number[];
}

export interface HubStore {
  spaces: Map<string, SpaceSettings>;
  proposals: Map<string, StoredProposal>;
  /** proposal id → voter → vote */
  votes: Map<string, Map<string, StoredVote>>;
  envelopes: Map<string, Envelope>;
}

export interface LocalHubOptions {
  /** Space id → the address allowed to set its settings (the ENS name's controller on Snapshot). */
  controllers: Record<string, string>;
  /** RPC provider per chain id, for every chain a space counts. */
  providers: Record<number, Provider>;
  /** The hub's clock, unix seconds (default: wall clock). Local chains whose time is moved pass theirs. */
  now?: () => Promise<number>;
  /** Port on 127.0.0.1 (default: any free port). */
  port?: number;
}

export interface LocalHub {
  url: string;
  store: HubStore;
  close(): Promise<void>;
}

/** A request the hub refuses (answered with HTTP 400 and the reason). */
class HubError extends InputError {}
const fail = (description: string): never => {
  throw new HubError(description);
};

const HUB_SCHEMA = buildSchema(`
  scalar Any # a custom scalar from buildSchema passes values through unchanged
  type Strategy { name: String!, network: String, params: Any }
  type SpaceVoting { delay: Int, period: Int, type: String, quorum: Float }
  type Space { id: String!, name: String, network: String, symbol: String, strategies: [Strategy], admins: [String], voting: SpaceVoting, validation: Strategy }
  type Proposal {
    id: String!, ipfs: String, author: String!, created: Int!, space: Space, network: String!, symbol: String!,
    type: String, strategies: [Strategy]!, title: String!, body: String, discussion: String!, choices: [String]!,
    start: Int!, end: Int!, quorum: Float!, snapshot: String, state: String, scores: [Float], scores_by_strategy: Any,
    scores_total: Float, scores_state: String, votes: Int
  }
  type Vote { id: String!, ipfs: String, voter: String!, created: Int!, space: Space!, proposal: Proposal, choice: Any!, reason: String, app: String, vp: Float, vp_by_strategy: [Float], vp_state: String }
  input VoteWhere { proposal: String, voter: String }
  input ProposalWhere { space: String, author: String }
  enum OrderDirection { asc desc }
  type Query {
    space(id: String!): Space
    proposal(id: String!): Proposal
    proposals(first: Int, skip: Int, where: ProposalWhere, orderBy: String, orderDirection: OrderDirection): [Proposal]
    votes(first: Int, skip: Int, where: VoteWhere, orderBy: String, orderDirection: OrderDirection): [Vote]
  }
`);

export async function startLocalHub(opts: LocalHubOptions): Promise<LocalHub> {
  const store: HubStore = { spaces: new Map(), proposals: new Map(), votes: new Map(), envelopes: new Map() };
  const now = opts.now ?? (async () => Math.floor(Date.now() / 1000));
  const controllers = Object.fromEntries(Object.entries(opts.controllers).map(([k, v]) => [k, getAddress(v)]));

  const spaceProvider = (network: string) => opts.providers[Number(network)] ?? fail(`network ${network} not supported by this hub`);
  const power = async (strategies: SpaceSettings["strategies"], network: string, snapshot: number, voter: string) => {
    const time = await snapshotTime(spaceProvider(network), snapshot);
    const chains = powerChains(strategies, opts.providers, (chainId) => fail(`no provider for network ${chainId}`));
    const perChain = await pastVotesPower(chains, time, voter);
    const total = perChain.reduce((a, b) => a + b, 0n);
    // one top-level strategy (multichain): vp_by_strategy has one entry
    return { vp: toScore(total), vp_by_strategy: [toScore(total)] };
  };

  async function ingest(body: unknown): Promise<{ id: string; ipfs: string; relayer: { address: string; receipt: string } }> {
    const env = body as Envelope;
    if (!env || typeof env !== "object" || typeof env.address !== "string" || typeof env.sig !== "string" || !env.data?.message || !env.data.types) {
      fail("wrong envelope format");
    }
    const { domain, types, message } = env.data;
    if (domain?.name !== SNAPSHOT_DOMAIN.name || domain?.version !== SNAPSHOT_DOMAIN.version) fail("wrong domain");
    const kind = messageKind(types) ?? fail("wrong types");
    let signer: string;
    try {
      signer = verifyTypedData(domain, types, message, env.sig);
    } catch {
      return fail("signature validation failed");
    }
    if (getAddress(signer) !== getAddress(env.address)) fail("signature validation failed");
    if (typeof message.from !== "string" || getAddress(message.from) !== getAddress(env.address)) fail("wrong from");
    const ts = Number(message.timestamp);
    const t = await now();
    if (!Number.isInteger(ts) || ts > t + FUTURE_TOLERANCE) fail("wrong timestamp");
    if (ts < t - PAST_TOLERANCE) fail("timestamp too old");
    const id = messageHash(env.data);
    if (store.envelopes.has(id)) fail("duplicate message");
    const from = getAddress(env.address);
    const space = String(message.space);

    if (kind === "settings") {
      if (!controllers[space] || controllers[space] !== from) fail("not allowed");
      let settings: SpaceSettings;
      try {
        settings = JSON.parse(String(message.settings)) as SpaceSettings;
      } catch {
        return fail("wrong space format");
      }
      try {
        validateSpaceSettings(settings, space);
      } catch (e) {
        return fail(`wrong space format: ${(e as Error).message}`);
      }
      store.spaces.set(space, settings);
    } else if (kind === "proposal") {
      const s = store.spaces.get(space) ?? fail("unknown space");
      const payload = {
        name: message.title, body: message.body, discussion: message.discussion, choices: message.choices, labels: message.labels,
        type: message.type, snapshot: Number(message.snapshot), start: message.start, end: message.end, app: message.app, privacy: message.privacy,
      };
      const errors = schemaErrors("proposal", payload);
      if (errors.length) fail(`wrong proposal format: ${errors.join("; ")}`);
      if (String(message.body).length > MAX_BODY_LENGTH) fail(`proposal body too long (> ${MAX_BODY_LENGTH} characters)`);
      const start = Number(message.start);
      const end = Number(message.end);
      if (s.voting.type && message.type !== s.voting.type) fail("invalid proposal type");
      if (end <= start) fail("wrong proposal period");
      if (s.voting.delay && start !== ts + s.voting.delay) fail("invalid voting delay");
      if (s.voting.period && end - start !== s.voting.period) fail("invalid voting period");
      const snapshot = Number(message.snapshot);
      const latest = await spaceProvider(s.network).getBlockNumber();
      if (snapshot > latest) fail("proposal snapshot must be in past");
      const { vp } = await power(s.strategies, s.network, snapshot, from);
      if (vp < s.validation.params.minScore) fail("validation failed");
      store.proposals.set(id, {
        id, ipfs: id, author: from, created: ts, space, network: s.network, symbol: s.symbol, type: String(message.type),
        strategies: s.strategies, title: String(message.title), body: String(message.body), discussion: String(message.discussion),
        choices: message.choices as string[], start, end, snapshot, quorum: s.voting.quorum, plugins: String(message.plugins),
      });
    } else if (kind === "vote") {
      const errors = schemaErrors("vote", { proposal: message.proposal, choice: message.choice, reason: message.reason, app: message.app });
      if (errors.length) fail(`wrong vote format: ${errors.join("; ")}`);
      const p = store.proposals.get(String(message.proposal)) ?? fail("unknown proposal");
      if (p.space !== space) fail("wrong space");
      if (t < p.start) fail("voting has not started");
      if (t > p.end) fail("voting period has ended");
      const choice = Number(message.choice);
      if (!Number.isInteger(choice) || choice < 1 || choice > p.choices.length) fail("invalid choice");
      const { vp, vp_by_strategy } = await power(p.strategies, p.network, p.snapshot, from);
      if (vp <= 0) fail("no voting power");
      const votes = store.votes.get(p.id) ?? new Map<string, StoredVote>();
      const previous = votes.get(from);
      if (previous && previous.created > ts) fail("a newer vote from this voter exists");
      votes.set(from, {
        id, ipfs: id, voter: from, created: ts, proposal: p.id, space, choice,
        reason: String(message.reason ?? ""), app: String(message.app ?? ""), vp, vp_by_strategy,
      });
      store.votes.set(p.id, votes);
    } else {
      fail(`unsupported message type "${kind}"`);
    }
    store.envelopes.set(id, env);
    return { id, ipfs: id, relayer: { address: "", receipt: "" } };
  }

  const spaceView = (id: string) => {
    const s = store.spaces.get(id);
    return s ? { id, ...s } : null;
  };
  const proposalView = async (p: StoredProposal) => {
    const t = await now();
    const votes = [...(store.votes.get(p.id)?.values() ?? [])];
    const r = votingScores(p.type as "single-choice", p.choices, votes.map((v) => ({ choice: v.choice, balance: v.vp, scores: v.vp_by_strategy })), p.strategies);
    return {
      ...p,
      snapshot: String(p.snapshot),
      space: spaceView(p.space),
      state: t < p.start ? "pending" : t > p.end ? "closed" : "active",
      scores: r.scores,
      scores_by_strategy: r.scoresByStrategy,
      scores_total: r.total,
      scores_state: t > p.end ? "final" : "pending",
      votes: votes.length,
    };
  };
  const root = {
    space: ({ id }: { id: string }) => spaceView(id),
    proposal: async ({ id }: { id: string }) => {
      const p = store.proposals.get(id);
      return p ? proposalView(p) : null;
    },
    proposals: async (a: { first?: number; skip?: number; where?: { space?: string; author?: string }; orderDirection?: "asc" | "desc" }) => {
      let all = [...store.proposals.values()];
      if (a.where?.space) all = all.filter((p) => p.space === a.where!.space);
      if (a.where?.author) all = all.filter((p) => p.author.toLowerCase() === a.where!.author!.toLowerCase());
      all.sort((x, y) => (x.created - y.created) * (a.orderDirection === "asc" ? 1 : -1) || x.id.localeCompare(y.id));
      const first = Math.min(a.first ?? 20, 1000);
      return Promise.all(all.slice(a.skip ?? 0, (a.skip ?? 0) + first).map(proposalView));
    },
    votes: async (a: { first?: number; skip?: number; where?: { proposal?: string; voter?: string }; orderDirection?: "asc" | "desc" }) => {
      let all = a.where?.proposal ? [...(store.votes.get(a.where.proposal)?.values() ?? [])] : [...store.votes.values()].flatMap((m) => [...m.values()]);
      if (a.where?.voter) all = all.filter((v) => v.voter.toLowerCase() === a.where!.voter!.toLowerCase());
      all.sort((x, y) => (x.created - y.created) * (a.orderDirection === "asc" ? 1 : -1) || x.id.localeCompare(y.id));
      const first = Math.min(a.first ?? 20, 1000);
      const page = all.slice(a.skip ?? 0, (a.skip ?? 0) + first);
      return Promise.all(page.map(async (v) => ({ ...v, space: spaceView(v.space), proposal: await root.proposal({ id: v.proposal }), vp_state: "final" })));
    },
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://hub");
    if (req.method === "GET" && url.pathname.startsWith("/ipfs/")) {
      const env = store.envelopes.get(url.pathname.slice("/ipfs/".length));
      return env ? reply(200, env) : reply(404, { error: "not found" });
    }
    if (req.method !== "POST") return reply(405, { error: "client_error", error_description: "only POST is supported" });
    let text = "";
    for await (const chunk of req) text += String(chunk);
    let body: { query?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return reply(400, { error: "client_error", error_description: "the body is not JSON" });
    }
    if (url.pathname === "/graphql") {
      if (typeof body.query !== "string") return reply(400, { errors: [{ message: "query is required" }] });
      const result = await graphql({ schema: HUB_SCHEMA, source: body.query, rootValue: root, variableValues: body.variables ?? {} });
      return reply(result.errors ? 400 : 200, result);
    }
    if (url.pathname !== "/") return reply(404, { error: "not found" });
    try {
      return reply(200, await ingest(body));
    } catch (e) {
      if (e instanceof HubError) return reply(400, { error: "client_error", error_description: e.message });
      return reply(500, { error: "server_error", error_description: (e as Error).message });
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => reject(new FluxError(`local Snapshot hub: cannot listen on 127.0.0.1:${opts.port ?? 0} (${messageOf(e)})`, { cause: e })));
    server.listen(opts.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
