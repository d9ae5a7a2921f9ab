/**
 * The Tally client against a local Tally-like GraphQL server that checks the key header and
 * validates every query against the schema, serving what it indexed from the embedded chain's
 * FLUX Governor (ProposalCreated / VoteCast events).
 */
import { expect } from "chai";
import { describe, it } from "mocha";
import { proposalId, proposalTitle, runProposal, Support } from "../src/governance/lifecycle.js";
import { governorId, TallyClient, TallyError, GOVERNOR_QUERY } from "../src/tally/client.js";
import { flux, governanceFixture, useFixture, type Env, type Fixture } from "./helpers/fixture.js";
import { startTallyServer, type TallyStore } from "./helpers/tally-server.js";
import { InputError, UnreachableError } from "../src/core/errors.js";
import type { Action } from "../src/core/types.js";

const KEY = "test-key-0123456789";
const SUPPORT = ["against", "for", "abstain"];

/** Indexes a Governor from its events, the way Tally does. */
async function index(env: Env, f: Fixture): Promise<TallyStore> {
  const gov = f.governor;
  const chainId = Number((await env.conn.ethers.provider.getNetwork()).chainId);
  const gid = governorId(chainId, await gov.getAddress());
  const created = await gov.queryFilter(gov.filters.ProposalCreated(), 0);
  const cast = await gov.queryFilter(gov.filters.VoteCast(), 0);
  const now = await env.clock.latest();
  const store: TallyStore = { governors: [], proposals: [], votes: [] };
  const states = ["pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed"];
  let passed = 0;
  for (const [i, ev] of created.entries()) {
    const pid = ev.args.proposalId;
    const state = states[Number(await gov.state(pid))]!;
    if (state === "executed") passed++;
    const [against, forVotes, abstain] = await gov.proposalVotes(pid);
    const votes = cast.filter((v) => v.args.proposalId === pid);
    const total = against + forVotes + abstain;
    store.proposals.push({
      id: String(i + 1),
      governorId: gid,
      onchainId: pid.toString(),
      status: state,
      metadata: { title: proposalTitle(ev.args.description), description: ev.args.description },
      proposer: { address: ev.args.proposer },
      voteStats: [["for", forVotes], ["against", against], ["abstain", abstain]].map(([type, count]) => ({
        type: type as string,
        votesCount: (count as bigint).toString(),
        votersCount: votes.filter((v) => SUPPORT[Number(v.args.support)] === type).length,
        percent: total === 0n ? 0 : Number(((count as bigint) * 10_000n) / total) / 100,
      })),
    });
    for (const v of votes) {
      store.votes.push({
        id: String(store.votes.length + 1),
        proposalId: String(i + 1),
        type: SUPPORT[Number(v.args.support)]!,
        amount: v.args.weight.toString(),
        reason: v.args.reason || null,
        voter: { address: v.args.voter },
      });
    }
  }
  store.governors.push({
    id: gid,
    name: await gov.name(),
    chainId: `eip155:${chainId}`,
    quorum: (await gov.quorum(now - 1)).toString(),
    timelockId: `eip155:${chainId}:${await gov.timelock()}`,
    token: { id: `eip155:${chainId}/erc20:${await f.token.getAddress()}`, symbol: await f.token.symbol(), decimals: 18, supply: (await f.token.totalSupply()).toString() },
    proposalStats: { total: created.length, active: 0, passed, failed: created.length - passed },
  });
  return store;
}

describe("Tally client", () => {
  it("refuses a response that does not have the shape it reads, naming the field", async () => {
    const stub = (async () => new Response(JSON.stringify({ data: { governor: { id: "x", name: "Flux" } } }), { status: 200 })) as typeof fetch;
    const client = new TallyClient({ url: "http://127.0.0.1:1/query", apiKey: KEY, fetch: stub });
    await expect(client.governor("eip155:1:0x0000000000000000000000000000000000000001")).to.be.rejectedWith(InputError, /Tally governor: governor\.chainId/);
    const html = (async () => new Response("<html>bad gateway</html>", { status: 502 })) as typeof fetch;
    await expect(new TallyClient({ apiKey: KEY, fetch: html }).governor("x")).to.be.rejectedWith(TallyError, /Governor: HTTP 502, not JSON/);
  });

  it("reports an API it cannot reach as unreachable, not as a refusal or bad input", async () => {
    const down = await new TallyClient({ url: "http://127.0.0.1:1/query", apiKey: KEY }).governor("x").catch((e: unknown) => e);
    expect(down).to.be.instanceOf(UnreachableError).and.not.instanceOf(TallyError).and.not.instanceOf(InputError);
    expect(String(down)).to.match(/^UnreachableError: Governor: cannot connect to http:\/\/127\.0\.0\.1:1\/query/);
  });

  const suite = useFixture((e: Env) => governanceFixture(e));

  async function withProposals() {
    const f = await suite.load();
    const env = suite.env;
    const action = (seconds: bigint): Action => ({
      target: "", value: 0n, calldata: f.governor.interface.encodeFunctionData("setVotingDelay", [seconds]), summary: "",
    });
    const ids: bigint[] = [];
    for (const [i, seconds] of [3600n, 7200n, 1800n].entries()) {
      const a = { ...action(seconds), target: await f.governor.getAddress() };
      const r = await runProposal({
        governor: f.governor, clock: env.clock, proposer: f.alice, relayer: f.eve, actions: [a],
        description: `# Voting delay ${seconds} s\n\nProposal ${i + 1}.`,
        votes: [
          { voter: f.alice, support: Support.For, reason: "yes" },
          { voter: f.bob, support: Support.Against },
          { voter: f.dave, support: Support.Abstain },
        ],
      });
      ids.push(r.proposalId);
      expect(r.proposalId).to.equal(proposalId([a], `# Voting delay ${seconds} s\n\nProposal ${i + 1}.`));
    }
    const server = await startTallyServer(await index(env, f), KEY);
    return { f, env, ids, server };
  }

  it("reads the governor, every proposal across pages, and a proposal's votes, as indexed from the chain", async () => {
    const { f, env, ids, server } = await withProposals();
    try {
      const client = new TallyClient({ url: server.url, apiKey: KEY, pageSize: 2 });
      const gid = governorId(31337, await f.governor.getAddress());
      const g = await client.governor(gid);
      expect(g.name).to.equal("Flux Governor");
      expect(g.token.symbol).to.equal("FLUX");
      expect(BigInt(g.quorum)).to.equal(await f.governor.quorum((await env.clock.latest()) - 1));
      expect(g.proposalStats.total).to.equal(3);
      const proposals = await client.proposals(gid);
      expect(proposals.map((p) => p.onchainId)).to.deep.equal([...ids].reverse().map(String)); // newest first
      expect(proposals.every((p) => p.status === "executed")).to.equal(true);
      expect(server.requests.filter((r) => r.operationName === "Proposals")).to.have.length(2); // two pages of 2
      const votes = await client.votes(proposals[0]!.id);
      expect(votes.map((v) => [v.voter.address, v.type, BigInt(v.amount)])).to.deep.equal([
        [f.alice.address, "for", flux(4_000_000)],
        [f.bob.address, "against", flux(3_000_000)],
        [f.dave.address, "abstain", flux(1_000_000)],
      ]);
      expect(votes[0]!.reason).to.equal("yes");
      expect(server.requests[0]!.variables).to.deep.equal({ input: { id: gid } });
    } finally {
      await server.close();
    }
  });

  it("fails clearly without a key, with a wrong key, and on an unknown governor; the server refuses invalid queries", async () => {
    const { f, server } = await withProposals();
    try {
      const saved = process.env.TALLY_API_KEY;
      delete process.env.TALLY_API_KEY;
      expect(() => new TallyClient({ url: server.url })).to.throw(InputError, /TALLY_API_KEY is not set/);
      if (saved !== undefined) process.env.TALLY_API_KEY = saved;
      const wrong = new TallyClient({ url: server.url, apiKey: "nope" });
      await expect(wrong.governor(governorId(31337, await f.governor.getAddress()))).to.be.rejectedWith(TallyError, /Unauthorized/);
      const client = new TallyClient({ url: server.url, apiKey: KEY });
      await expect(client.governor(governorId(31337, await f.token.getAddress()))).to.be.rejectedWith(TallyError, /governor not found/);
      // a query asking for a field Tally does not have is refused by schema validation
      const bad = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", "Api-Key": KEY },
        body: JSON.stringify({ query: GOVERNOR_QUERY.replace("quorum", "quorumVotes"), variables: { input: { id: "x" } } }),
      });
      expect(bad.status).to.equal(400);
      const body = (await bad.json()) as { errors: { message: string }[] };
      expect(body.errors[0]!.message).to.match(/Cannot query field "quorumVotes" on type "Governor"/);
    } finally {
      await server.close();
    }
  });
});
