/**
 * The Snapshot path on three in-process chains (56, 1030, 128) with FLUX governance deployed on
 * each: space settings validated by snapshot.js, proposals and votes signed with Client712 and
 * checked by a local hub (signatures, schemas, timing, power), a recount from the chains that
 * agrees with an honest hub and catches a dishonest one, and a passed signal turned into the
 * on-chain proposal it carries.
 */
import { expect } from "chai";
import hre from "hardhat";
import { after, before, describe, it } from "mocha";
import { Interface, type Provider } from "ethers";
import "./helpers/chai.js";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadDeployConfig } from "../src/deploy/config.js";
import { writeManifest } from "../src/manifest/index.js";
import { networkNames, parseChoice, parseProposalId, resolveProposalId, spaceFromManifests } from "../src/snapshot/commands.js";
import { deployFlux, type FluxDeployment } from "../src/deploy/deploy.js";
import { PROPOSAL_STATES, proposalId } from "../src/governance/lifecycle.js";
import { toExport, type TallyExport } from "../src/proposals/run.js";
import { proposeFromSnapshot } from "../src/snapshot/from-snapshot.js";
import { SnapshotError, SnapshotHub } from "../src/snapshot/client.js";
import { startLocalHub, type LocalHub } from "../local/snapshot-hub.js";
import { blockAtOrBefore } from "../src/core/blocks.js";
import { messageHash } from "../src/snapshot/sdk.js";
import { buildSpaceSettings, validateSpaceSettings, type SpaceSettings } from "../src/snapshot/settings.js";
import { createSignal, parseSignalBody, signalBody } from "../src/snapshot/signal.js";
import { renderTally, tallyProposal } from "../src/snapshot/tally.js";
import { parseWith } from "../src/core/validate.js";
import { proposalSchema } from "../src/proposals/define.js";
import { resolveProposal } from "../src/proposals/resolve.js";
import { flux, type Signer } from "./helpers/fixture.js";
import { ChainStateError, InputError, UnreachableError } from "../src/core/errors.js";
import { checkVoterPower, messageTime } from "../src/snapshot/signing.js";
import type { Connection } from "../src/core/types.js";

const SPACE = "fluxprotocol.eth";
const CHAINS = [56, 1030, 128] as const;
const DELAY = 3600;
const PERIOD = 86_400;

interface Chain {
  chainId: number;
  conn: Connection;
  d: FluxDeployment;
}

describe("Snapshot: space, hub, tally, from-snapshot", () => {
  let chains: Chain[];
  let providers: Record<number, Provider>;
  let hub: LocalHub;
  let client: SnapshotHub;
  let settings: SpaceSettings;
  let s: Record<"admin" | "alice" | "bob" | "carol" | "dave" | "eve" | "nobody", Signer>;
  const bsc = () => chains[0]!;
  const now = async () => (await bsc().conn.ethers.provider.getBlock("latest"))!.timestamp;
  /** Moves every chain to the same time (their clocks are independent). */
  const advanceAll = async (t: number) => {
    for (const c of chains) await c.conn.networkHelpers.time.increaseTo(t);
  };
  const signer = (c: Chain, who: Signer) => c.conn.ethers.getSigner(who.address);

  before(async () => {
    const base = await loadDeployConfig("default");
    chains = [];
    for (const chainId of CHAINS) {
      const conn = await hre.network.create({ network: "default", override: { chainId } });
      const cfg = { ...base, chainId, markets: undefined, emissions: undefined };
      chains.push({ chainId, conn, d: await deployFlux(hre, conn, cfg, { manifestDir: null, networkName: `snapshot-${chainId}` }) });
    }
    const [admin, alice, bob, carol, dave, , eve, nobody] = await chains[0]!.conn.ethers.getSigners();
    s = { admin: admin!, alice: alice!, bob: bob!, carol: carol!, dave: dave!, eve: eve!, nobody: nobody! };
    for (const c of chains) {
      for (const w of [s.alice, s.bob, s.carol, s.dave]) await (await c.d.token.connect(await signer(c, w)).delegate(w.address)).wait();
    }
    // the chains differ: on 1030 dave moves 500k to eve; on 128 carol delegates to bob
    const conflux = chains[1]!;
    await (await conflux.d.token.connect(await signer(conflux, s.dave)).transfer(s.eve.address, flux(500_000))).wait();
    await (await conflux.d.token.connect(await signer(conflux, s.eve)).delegate(s.eve.address)).wait();
    const heco = chains[2]!;
    await (await heco.d.token.connect(await signer(heco, s.carol)).delegate(s.bob.address)).wait();
    await advanceAll(Math.max(...(await Promise.all(chains.map((c) => c.conn.networkHelpers.time.latest())))) + 60);
    providers = Object.fromEntries(chains.map((c) => [c.chainId, c.conn.ethers.provider]));
    hub = await startLocalHub({ controllers: { [SPACE]: s.admin.address }, providers, now });
    client = new SnapshotHub(hub.url);
    const built = buildSpaceSettings({
      name: "Flux",
      network: 56,
      chains: await Promise.all(chains.map(async (c) => ({ chainId: c.chainId, token: await c.d.token.getAddress() }))),
      votingDelay: DELAY,
      votingPeriod: PERIOD,
      quorum: 1_000_000,
      proposalThreshold: 100_000,
      admins: [s.admin.address],
    });
    settings = built.settings;
  });
  after(async () => hub?.close());

  describe("space settings", () => {
    it("sum erc20-votes (delegated votes) over the three chains with the multichain strategy, valid by snapshot.js's schema", async () => {
      expect(settings.network).to.equal("56");
      const [multi] = settings.strategies;
      expect(multi!.name).to.equal("multichain");
      const subs = multi!.params.strategies as { name: string; network: string; params: { address: string } }[];
      expect(subs.map((x) => x.network)).to.deep.equal(["56", "1030", "128"]);
      expect(subs.every((x) => x.name === "erc20-votes")).to.equal(true);
      expect(subs[1]!.params.address).to.equal(await chains[1]!.d.token.getAddress());
      expect(settings.voting).to.deep.include({ delay: DELAY, period: PERIOD, quorum: 1_000_000, type: "single-choice" });
      expect(settings.validation).to.deep.equal({ name: "basic", params: { minScore: 100_000 } });
      expect(() => validateSpaceSettings(settings)).not.to.throw();
    });

    it("warn that Snapshot's hosted score API has no RPC for 1030 and 128", () => {
      const { warnings } = buildSpaceSettings({ name: "Flux", network: 56, chains: settings.strategies[0]!.params.strategies === undefined ? [] : CHAINS.map((chainId, i) => ({ chainId, token: `0x${String(i + 1).padStart(40, "0")}` })), votingDelay: 0, votingPeriod: 3600, quorum: 0, proposalThreshold: 0 });
      expect(warnings).to.have.length(2);
      expect(warnings[0]).to.match(/^chain 1030 is not in Snapshot's network list/);
      expect(warnings[1]).to.match(/^chain 128 /);
    });

    it("refuse bad input, naming the field: snapshot.js's own schema rules included", () => {
      const base = { name: "Flux", network: 56, chains: [{ chainId: 56, token: "0x0000000000000000000000000000000000000001" }], votingDelay: 0, votingPeriod: 3600, quorum: 0, proposalThreshold: 0 };
      expect(() => buildSpaceSettings({ ...base, name: "x".repeat(33) }, "space.json")).to.throw(InputError, /space\.json: name: /);
      expect(() => buildSpaceSettings({ ...base, network: 1030 })).to.throw(InputError, /network: 1030 is not one of the chains \(56\)/);
      expect(() => buildSpaceSettings({ ...base, chains: [...base.chains, ...base.chains] })).to.throw(InputError, /chain 56 appears twice/);
      expect(() => buildSpaceSettings({ ...base, chains: [{ chainId: 56, token: "0x12" }] })).to.throw(InputError, /chains\.0\.token: "0x12" is not a 20-byte hex address/);
      expect(() => buildSpaceSettings({ ...base, votingPeriod: 60 })).to.throw(InputError, /votingPeriod/);
      // rules only snapshot.js knows: a network Snapshot does not list, an unknown field, a bad quorum
      expect(() => validateSpaceSettings({ ...settings, network: "31337" }, "s")).to.throw(InputError, /s: \/network: network not allowed/);
      expect(() => validateSpaceSettings({ ...settings, color: "red" }, "s")).to.throw(InputError, /must NOT have additional properties \(color\)/);
      expect(() => validateSpaceSettings({ ...settings, voting: { ...settings.voting, quorum: -1 } }, "s")).to.throw(InputError, /\/voting\/quorum: must be >= 0/);
    });
  });

  describe("the hub checks what Snapshot's sequencer checks", () => {
    it("accepts space settings only from the space's controller, signed", async () => {
      await expect(client.setSpace(await signer(bsc(), s.alice), SPACE, settings, await now())).to.be.rejectedWith(SnapshotError, /space settings refused by .*: not allowed/);
      await expect(client.setSpace(await signer(bsc(), s.admin), SPACE, { ...settings, network: "31337" }, await now())).to.be.rejectedWith(SnapshotError, /wrong space format: .*network not allowed/);
      await client.setSpace(await signer(bsc(), s.admin), SPACE, settings, await now());
      const space = await client.space(SPACE);
      expect(space.network).to.equal("56");
      expect(space.voting).to.deep.equal({ delay: DELAY, period: PERIOD, quorum: 1_000_000 });
    });

    it("refuses forged, stale, mistimed and powerless proposals", async () => {
      const t = await now();
      const snapshot = await bsc().conn.ethers.provider.getBlockNumber();
      const p = { space: SPACE, title: "t", body: "b", choices: ["For", "Against", "Abstain"], start: t + DELAY, end: t + DELAY + PERIOD, snapshot, timestamp: t };
      const alice = await signer(bsc(), s.alice);
      await expect(client.propose(alice, { ...p, start: t + 60, end: t + 60 + PERIOD })).to.be.rejectedWith(SnapshotError, /invalid voting delay/);
      await expect(client.propose(alice, { ...p, end: p.end + 1 })).to.be.rejectedWith(SnapshotError, /invalid voting period/);
      await expect(client.propose(alice, { ...p, snapshot: snapshot + 1000 })).to.be.rejectedWith(SnapshotError, /snapshot must be in past/);
      await expect(client.propose(alice, { ...p, timestamp: t - 600 })).to.be.rejectedWith(SnapshotError, /timestamp too old/);
      await expect(client.propose(alice, { ...p, timestamp: t + 600, start: t + 600 + DELAY, end: t + 600 + DELAY + PERIOD })).to.be.rejectedWith(SnapshotError, /wrong timestamp/);
      await expect(client.propose(alice, { ...p, choices: [] })).to.be.rejectedWith(SnapshotError, /wrong proposal format: \/choices: must NOT have fewer than 1 items/);
      await expect(client.propose(alice, { ...p, body: "x".repeat(10_001) })).to.be.rejectedWith(SnapshotError, /body too long/);
      await expect(client.propose(await signer(bsc(), s.nobody), p)).to.be.rejectedWith(SnapshotError, /validation failed/);
      await expect(client.propose(alice, { ...p, space: "unknown.eth" })).to.be.rejectedWith(SnapshotError, /unknown space/);
    });

    it("refuses an envelope whose signature, signer, types or domain are wrong", async () => {
      const t = await now();
      const message = { from: s.alice.address, space: SPACE, timestamp: t, type: "single-choice", title: "t", body: "b", discussion: "", choices: ["For"], labels: [], start: t + DELAY, end: t + DELAY + PERIOD, snapshot: 1, plugins: "{}", privacy: "", app: "" };
      const types = { Proposal: [["from", "string"], ["space", "string"], ["timestamp", "uint64"], ["type", "string"], ["title", "string"], ["body", "string"], ["discussion", "string"], ["choices", "string[]"], ["labels", "string[]"], ["start", "uint64"], ["end", "uint64"], ["snapshot", "uint64"], ["plugins", "string"], ["privacy", "string"], ["app", "string"]].map(([name, type]) => ({ name: name!, type: type! })) };
      const domain = { name: "snapshot", version: "0.1.4" };
      const alice = await signer(bsc(), s.alice);
      const sig = await alice.signTypedData(domain, types, message);
      const post = async (body: unknown) => {
        const res = await fetch(hub.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as { error_description?: string } };
      };
      const tampered = await post({ address: s.alice.address, sig, data: { domain, types, message: { ...message, title: "changed" } } });
      expect(tampered).to.deep.equal({ status: 400, body: { error: "client_error", error_description: "signature validation failed" } });
      expect((await post({ address: s.bob.address, sig, data: { domain, types, message } })).body.error_description).to.equal("signature validation failed");
      expect((await post({ address: s.alice.address, sig, data: { domain: { ...domain, version: "0.1.3" }, types, message } })).body.error_description).to.equal("wrong domain");
      const extraTypes = { Proposal: [...types.Proposal, { name: "extra", type: "string" }] };
      expect((await post({ address: s.alice.address, sig, data: { domain, types: extraTypes, message } })).body.error_description).to.equal("wrong types");
      expect((await post({ address: s.alice.address, data: {} })).body.error_description).to.equal("wrong envelope format");
      const graphqlBad = await fetch(`${hub.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ proposal(id: 1) { nope } }" }) });
      expect(graphqlBad.status).to.equal(400);
    });
  });

  describe("a signal vote", () => {
    let id: string;
    let exports: TallyExport[];
    const gov = new Interface(["function setVotingDelay(uint48)"]);

    before(async () => {
      // the signal carries, for each chain, the call that sets its Governor's voting delay to 2 days
      const description = "# Set the voting delay to 2 days\n\nSignal first, then each chain's Governor.";
      exports = await Promise.all(chains.map(async (c) => {
        const governor = await c.d.governor.getAddress();
        const actions = [{ target: governor, value: 0n, calldata: gov.encodeFunctionData("setVotingDelay", [2 * 86_400]), summary: "" }];
        return toExport({ chainId: c.chainId, governor, actions, description }, s.alice.address);
      }));
      const snapshot = await bsc().conn.ethers.provider.getBlockNumber();
      ({ id } = await createSignal(client, await signer(bsc(), s.alice), { space: SPACE, title: "Set the voting delay to 2 days", exports, snapshot, timestamp: await now() }));
    });

    it("is stored under the hash of its signed message, which the hub pins", async () => {
      const p = await client.proposal(id);
      expect(p.author).to.equal(s.alice.address);
      expect(p.state).to.equal("pending");
      expect(p.choices).to.deep.equal(["For", "Against", "Abstain"]);
      expect(messageHash(hub.store.envelopes.get(id)!.data as never)).to.equal(id);
      expect(parseSignalBody(p.body, "p").chains.map((c) => c.chainId)).to.deep.equal([56, 1030, 128]);
    });

    it("refuses votes before the start, an invalid choice, and a voter without power", async () => {
      const t = await now();
      await expect(client.vote(await signer(bsc(), s.bob), { space: SPACE, proposal: id, choice: 1, timestamp: t })).to.be.rejectedWith(SnapshotError, /voting has not started/);
      const p = await client.proposal(id);
      await advanceAll(p.start + 1);
      const t2 = await now();
      await expect(client.vote(await signer(bsc(), s.bob), { space: SPACE, proposal: id, choice: 4, timestamp: t2 })).to.be.rejectedWith(SnapshotError, /invalid choice/);
      await expect(client.vote(await signer(bsc(), s.nobody), { space: SPACE, proposal: id, choice: 1, timestamp: t2 })).to.be.rejectedWith(SnapshotError, /no voting power/);
      // `snapshot vote --networks` refuses a voter without power before sending, reading the chains itself
      await expect(checkVoterPower(client, id, providers, s.nobody.address)).to.be.rejectedWith(ChainStateError, new RegExp(`^${s.nobody.address} had no votes on chains 56, 1030, 128 at the snapshot of proposal ${id} \\(block \\d+ on chain 56\\): nothing sent$`));
      expect(await checkVoterPower(client, id, providers, s.bob.address)).to.equal(flux(3_000_000 + 3_000_000 + 5_000_000)); // carol delegates to bob on 128
      await expect(client.vote(await signer(bsc(), s.bob), { space: SPACE, proposal: "0x" + "00".repeat(32), choice: 1, timestamp: t2 })).to.be.rejectedWith(SnapshotError, /unknown proposal/);
    });

    it("counts power summed over the chains at the snapshot; a later vote replaces an earlier one", async () => {
      const t = await now();
      const vote = async (who: Signer, choice: number, reason = "") => client.vote(await signer(bsc(), who), { space: SPACE, proposal: id, choice, reason, timestamp: t });
      await vote(s.alice, 1, "shorter windows are risky");
      await vote(s.bob, 2);
      await vote(s.carol, 3);
      await vote(s.eve, 1);
      await vote(s.dave, 2);
      // power moved after the snapshot does not count
      await (await chains[1]!.d.token.connect(await signer(chains[1]!, s.bob)).transfer(s.alice.address, flux(1_000_000))).wait();
      await bsc().conn.networkHelpers.mine(1);
      await client.vote(await signer(bsc(), s.dave), { space: SPACE, proposal: id, choice: 1, timestamp: t + 1 });
      const votes = await client.votes(id);
      expect(votes).to.have.length(5);
      const byVoter = Object.fromEntries(votes.map((v) => [v.voter, v]));
      expect(byVoter[s.dave.address]!.choice).to.equal(1);
      // alice 4M on each chain; bob 3M + carol's 2M on 128; eve 500k on 1030 only
      expect(byVoter[s.alice.address]!.vp).to.equal(12_000_000);
      expect(byVoter[s.bob.address]!.vp).to.equal(11_000_000);
      expect(byVoter[s.carol.address]!.vp).to.equal(4_000_000);
      expect(byVoter[s.eve.address]!.vp).to.equal(500_000);
      expect(byVoter[s.dave.address]!.vp).to.equal(2_500_000);
    });

    it("cannot be turned into an on-chain proposal while voting is open", async () => {
      await expect(proposeFromSnapshot({ hre, conn: bsc().conn, manifest: bsc().d.manifest, hub: client, id, providers })).to.be.rejectedWith(InputError, /has not passed \(voting is active\)/);
    });

    it("tally recomputes the result from the signed votes and the chains, and agrees with an honest hub", async () => {
      const p = await client.proposal(id);
      await advanceAll(p.end + 1);
      const r = await tallyProposal(client, id, providers);
      expect(r.agrees).to.equal(true);
      expect(r.exact).to.deep.equal([flux(12_000_000 + 500_000 + 2_500_000), flux(11_000_000), flux(4_000_000)]);
      expect(r.quorumReached).to.equal(true);
      expect(r.passed).to.equal(true);
      // each chain's block is the last at or before the snapshot's time
      for (const [i, c] of chains.entries()) expect(r.chains[i]!.block).to.equal(await blockAtOrBefore(c.conn.ethers.provider, r.snapshotTime));
      expect(r.chains[0]!.block).to.equal(Number(p.snapshot));
      const text = renderTally(r).join("\n");
      expect(text).to.include("5 signed votes, every signature verified");
      expect(text).to.match(/For +█{15} +15,000,000(\.0+)? FLUX +hub 15000000 +agrees/); // 15M of 30M cast: half the bar
      expect(text).to.include("PASSED");
      expect(text).to.include("the hub's reported scores agree with the chains");
    });

    it("tally shows where a dishonest hub disagrees, and refuses a vote whose signed content differs from what the hub lists", async () => {
      const stored = hub.store.votes.get(id)!.get(s.eve.address)!;
      const honest = { ...stored };
      const envelope = hub.store.envelopes.get(stored.id)!;
      try {
        stored.vp = 5_000_000;
        const r = await tallyProposal(client, id, providers);
        expect(r.agrees).to.equal(false);
        expect(r.voters.find((v) => v.voter === s.eve.address)!.agrees).to.equal(false);
        expect(r.scoresAgree).to.equal(false);
        expect(renderTally(r).join("\n")).to.match(/hub 19500000 +DIFFERS/);
        stored.vp = honest.vp;
        stored.choice = 2;
        await expect(tallyProposal(client, id, providers)).to.be.rejectedWith(InputError, /signed choice 1, the hub lists 2/);
        stored.choice = honest.choice;
        hub.store.envelopes.set(stored.id, { ...hub.store.envelopes.get(stored.id)!, sig: "0x" + "11".repeat(65) });
        await expect(tallyProposal(client, id, providers)).to.be.rejectedWith(SnapshotError, /bad signature|signed by/);
      } finally {
        Object.assign(stored, honest);
        hub.store.envelopes.set(stored.id, envelope);
      }
    });

    it("needs an RPC for every chain the space counts", async () => {
      const { 128: _, ...two } = providers;
      await expect(tallyProposal(client, id, two)).to.be.rejectedWith(InputError, /counts chain 128: give an RPC for it/);
    });

    it("from-snapshot proposes the carried calls on a chain's Governor with the signal's exact description and id", async () => {
      const heco = chains[2]!;
      await expect(proposeFromSnapshot({ hre, conn: heco.conn, manifest: { ...heco.d.manifest, contracts: { ...heco.d.manifest.contracts, governor: "0x000000000000000000000000000000000000dEaD" } }, hub: client, id, providers })).to.be.rejectedWith(InputError, /targets Governor 0x[0-9a-fA-F]{40} on chain 128, but .*'s is/);
      await expect(proposeFromSnapshot({ hre, conn: heco.conn, manifest: { ...heco.d.manifest, chainId: 10 }, hub: client, id, providers })).to.be.rejectedWith(InputError, /carries no calls for chain 10 \(it has 56, 1030, 128\)/);
      // bound to alice: bob (above the threshold) is refused in one line, before anything is sent
      await expect(proposeFromSnapshot({ hre, conn: heco.conn, manifest: heco.d.manifest, hub: client, id, providers, proposer: await signer(heco, s.bob) }))
        .to.be.rejectedWith(InputError, new RegExp(`^Snapshot proposal ${id} is bound to proposer ${s.alice.address}; the signer ${s.bob.address} cannot propose it \\(GovernorRestrictedProposer\\)$`));
      // … and proposing the signal's exact calls and description directly reverts on the Governor
      const ex = exports[2]!;
      await expect(heco.d.governor.connect(await signer(heco, s.bob)).propose(ex.targets, ex.values, ex.calldatas, ex.description))
        .to.be.revertedWithCustomError(heco.d.governor, "GovernorRestrictedProposer").withArgs(s.bob.address);
      const r = await proposeFromSnapshot({ hre, conn: heco.conn, manifest: heco.d.manifest, hub: client, id, providers, proposer: await signer(heco, s.alice) });
      expect(r.proposalId.toString()).to.equal(exports[2]!.proposalId);
      expect(PROPOSAL_STATES[Number(await heco.d.governor.state(r.proposalId))]).to.equal("Pending");
      await expect(proposeFromSnapshot({ hre, conn: heco.conn, manifest: heco.d.manifest, hub: client, id, providers, proposer: await signer(heco, s.alice) })).to.be.rejected; // GovernorUnexpectedProposalState: already proposed
    });

    it("a defeated signal is refused", async () => {
      const t = await now();
      const { id: lost, start, end } = await createSignal(client, await signer(bsc(), s.bob), { space: SPACE, title: "Lose", exports, snapshot: await bsc().conn.ethers.provider.getBlockNumber(), timestamp: t });
      await advanceAll(start + 1);
      await client.vote(await signer(bsc(), s.bob), { space: SPACE, proposal: lost, choice: 2, timestamp: await now() });
      await advanceAll(end + 1);
      await expect(proposeFromSnapshot({ hre, conn: bsc().conn, manifest: bsc().d.manifest, hub: client, id: lost, providers })).to.be.rejectedWith(InputError, /has not passed \(For did not beat Against\)/);
      const r = await tallyProposal(client, lost, providers);
      expect(r.quorumReached).to.equal(true);
      expect(r.passed).to.equal(false);
    });
  });

  describe("a signal built from a proposal module", () => {
    it("from-snapshot checks the calls against the module and refuses calls that would revert when the Timelock makes them", async () => {
      const bscChain = bsc();
      const module = (amount: string) => parseWith(proposalSchema, {
        title: "Pay eve from the treasury", rationale: "A grant.", networks: [bscChain.d.manifest.network],
        actions: [{ kind: "payFromTreasury", asset: "FLUX", to: s.eve.address, amount }],
      }, "module");
      const r = await resolveProposal(module("1000"), bscChain.d.manifest.network, bscChain.d.manifest, hre.artifacts);
      const ex = toExport(r, s.alice.address);
      const { id: grant, start, end } = await createSignal(client, await signer(bscChain, s.alice), { space: SPACE, title: "Grant", exports: [ex], snapshot: await bscChain.conn.ethers.provider.getBlockNumber(), timestamp: await now() });
      await advanceAll(start + 1);
      await client.vote(await signer(bscChain, s.alice), { space: SPACE, proposal: grant, choice: 1, timestamp: await now() });
      await advanceAll(end + 1);
      const args = { hre, conn: bscChain.conn, manifest: bscChain.d.manifest, hub: client, id: grant, providers, proposer: await signer(bscChain, s.alice) };
      await expect(proposeFromSnapshot({ ...args, module: module("2000") })).to.be.rejectedWith(InputError, /does not carry the calls and description of the given proposal module/);
      // the treasury holds no FLUX yet: the transfer would revert
      await expect(proposeFromSnapshot({ ...args, module: module("1000") })).to.be.rejectedWith(InputError, /action 1 \(pay 1000 FLUX from the treasury .*\) would revert on snapshot-56: ERC20InsufficientBalance/);
      await (await bscChain.d.token.connect(await signer(bscChain, s.alice)).transfer(bscChain.d.manifest.contracts.timelock, flux(1000))).wait();
      const done = await proposeFromSnapshot({ ...args, module: module("1000") });
      expect(done.proposalId.toString()).to.equal(ex.proposalId);
      expect(done.actions[0]!.summary).to.match(/^pay 1000 FLUX from the treasury/);
    });
  });

  describe("naming a proposal", () => {
    it("latest is the space's newest proposal; it needs --space, and a space without proposals is named", async () => {
      const t = (await now()) + 10;
      await advanceAll(t);
      const bscChain = bsc();
      const governor = bscChain.d.manifest.contracts.governor;
      const ex = toExport({ chainId: 56, governor, actions: [{ target: governor, value: 0n, calldata: "0x", summary: "" }], description: "# Newest" }, s.alice.address);
      const { id: newest } = await createSignal(client, await signer(bscChain, s.alice), { space: SPACE, title: "Newest", exports: [ex], snapshot: await bscChain.conn.ethers.provider.getBlockNumber(), timestamp: t });
      const r = await resolveProposalId(client, "latest", SPACE);
      expect(r.id).to.equal(newest);
      expect(r.line).to.equal(`latest proposal of ${SPACE}: ${newest} "Newest" (pending)`);
      expect(await resolveProposalId(client, newest.toUpperCase().replace("0X", "0x"), undefined)).to.deep.equal({ id: newest });
      await expect(resolveProposalId(client, "latest", undefined)).to.be.rejectedWith(InputError, /proposal "latest": give --space/);
      await expect(resolveProposalId(client, "latest", "nobody.eth")).to.be.rejectedWith(SnapshotError, /space nobody\.eth has no proposal on http:\/\/127\.0\.0\.1:\d+/);
      await expect(resolveProposalId(client, "newest", SPACE)).to.be.rejectedWith(InputError, /proposal id "newest": expected 0x followed by 64 hex digits/);
    });

    it("a signed message carries the later of the wall clock and the chain's latest block time", async () => {
      const chainTime = await now();
      expect(await messageTime(bsc().conn, (chainTime - 600) * 1000)).to.equal(chainTime);
      expect(await messageTime(bsc().conn, (chainTime + 600) * 1000 + 999)).to.equal(chainTime + 600);
    });
  });

  describe("the client refuses what it cannot trust", () => {
    it("names a missing proposal or space, an unreachable hub, a non-JSON answer and an answer of the wrong shape", async () => {
      await expect(client.proposal("0x" + "00".repeat(32))).to.be.rejectedWith(SnapshotError, /proposal 0x0+ not found on http:\/\/127\.0\.0\.1:\d+/);
      await expect(client.space("nobody.eth")).to.be.rejectedWith(SnapshotError, /space nobody\.eth not found/);
      const server = createServer((req, res) => {
        if (req.url === "/graphql" && req.headers["x-shape"] === undefined) {
          res.writeHead(502, { "content-type": "text/html" });
          res.end("<html>bad gateway</html>");
        }
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as AddressInfo).port;
      try {
        await expect(new SnapshotHub(`http://127.0.0.1:${port}`).proposal("0x" + "11".repeat(32))).to.be.rejectedWith(SnapshotError, /HTTP 502, not JSON: <html>bad gateway/);
      } finally {
        server.close();
      }
      // a port nobody listens on: unreachable, which is neither the hub's refusal nor bad input
      const down = await new SnapshotHub(`http://127.0.0.1:${port}`).proposal("0x" + "11".repeat(32)).catch((e: unknown) => e);
      expect(down).to.be.instanceOf(UnreachableError).and.not.instanceOf(InputError).and.not.instanceOf(SnapshotError);
      expect(String(down)).to.match(/^UnreachableError: http:\/\/127\.0\.0\.1:\d+\/graphql: cannot connect/);
      // a hub whose answer lacks fields: the field is named
      const wrong = new SnapshotHub(hub.url, {
        fetch: async () => new Response(JSON.stringify({ data: { proposal: { id: "x", title: 1 } } }), { status: 200, headers: { "content-type": "application/json" } }),
      });
      await expect(wrong.proposal("x")).to.be.rejectedWith(InputError, /graphql proposal x: title: /);
    });

    it("takes the hub from SNAPSHOT_HUB_URL, else hub.snapshot.org", () => {
      const saved = process.env.SNAPSHOT_HUB_URL;
      try {
        process.env.SNAPSHOT_HUB_URL = "http://127.0.0.1:9/";
        expect(new SnapshotHub().url).to.equal("http://127.0.0.1:9");
        delete process.env.SNAPSHOT_HUB_URL;
        expect(new SnapshotHub().url).to.equal("https://hub.snapshot.org");
      } finally {
        if (saved === undefined) delete process.env.SNAPSHOT_HUB_URL;
        else process.env.SNAPSHOT_HUB_URL = saved;
      }
    });
  });

  describe("command input", () => {
    it("space settings from the manifests, with the Governor's voting delay and period; bad options named", async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "flux-space-"));
      const names = { 56: "bsc", 1030: "conflux", 128: "heco" } as Record<number, string>;
      for (const c of chains) await writeManifest({ ...c.d.manifest, network: names[c.chainId]! }, dir);
      const { settings: s2, warnings } = await spaceFromManifests({ networks: ["bsc", "conflux", "heco"], spaceChainId: 56, name: "Flux", quorum: "4000000", threshold: "100000", manifestDir: dir });
      const gov = (await loadDeployConfig("bsc")).governor;
      expect(s2.voting).to.deep.include({ delay: gov.votingDelay, period: gov.votingPeriod, quorum: 4_000_000 });
      expect(s2.strategies).to.deep.equal(settings.strategies);
      expect(warnings).to.have.length(2);
      await expect(spaceFromManifests({ networks: ["bsc"], spaceChainId: 1030, name: "Flux", quorum: "1", threshold: "1", manifestDir: dir })).to.be.rejectedWith(InputError, /--space-network: chain 1030 is not one of the deployments \(bsc: 56\)/);
      await expect(spaceFromManifests({ networks: ["bsc"], spaceChainId: 56, name: "Flux", quorum: "4M", threshold: "1", manifestDir: dir })).to.be.rejectedWith(InputError, /--quorum: /);
      await expect(spaceFromManifests({ networks: ["nosuch"], spaceChainId: 56, name: "Flux", quorum: "1", threshold: "1", manifestDir: dir })).to.be.rejectedWith(InputError, /nosuch/);
      await rm(dir, { recursive: true });
    });

    it("networks, choices and proposal ids are checked before anything is sent", () => {
      expect(networkNames(hre, "conflux, bsc,heco")).to.deep.equal(["conflux", "bsc", "heco"]);
      expect(() => networkNames(hre, "conflux,nosuch")).to.throw(InputError, /--networks: no network "nosuch" in hardhat.config.ts/);
      expect(() => networkNames(hre, "bsc,bsc")).to.throw(InputError, /named twice/);
      expect(() => networkNames(hre, " , ")).to.throw(InputError, /name at least one network/);
      expect([parseChoice("For"), parseChoice("against"), parseChoice("ABSTAIN")]).to.deep.equal([1, 2, 3]);
      expect(() => parseChoice("yes")).to.throw(InputError, /choice "yes": expected one of for, against, abstain/);
      expect(parseProposalId("0x" + "AB".repeat(32))).to.equal("0x" + "ab".repeat(32));
      expect(() => parseProposalId("0x1234")).to.throw(InputError, /expected 0x followed by 64 hex digits/);
    });
  });

  describe("signal bodies", () => {
    const description = "# D\n\ntext";
    const actions = [{ target: "0x0000000000000000000000000000000000000001", value: 0n, calldata: "0x1234", summary: "" }];
    const proposer = "0x0000000000000000000000000000000000000003";
    const ex = toExport({ chainId: 56, governor: "0x0000000000000000000000000000000000000002", actions, description }, proposer);

    it("round-trip the description (bound to its proposer) and calls", () => {
      const back = parseSignalBody(signalBody([ex]), "b");
      expect(back.description).to.equal(`${description}\n\n#proposer=${proposer}`);
      expect(back.chains[0]!.proposer).to.equal(proposer);
      expect(back.chains[0]!.calldatas).to.deep.equal(["0x1234"]);
    });

    it("carry a chain's own description when its actions differ from the first chain's (other addresses), and check it", () => {
      const own = `# D\n\ntext on BSC\n\n#proposer=${proposer}`;
      const bsc = { ...ex, chainId: 1030, description: own, proposalId: proposalId(actions, own).toString() };
      const body = signalBody([ex, bsc]);
      expect(body.startsWith(`${description}\n\n#proposer=${proposer}\n\n`)).to.equal(true);
      const back = parseSignalBody(body, "b");
      expect(back.chains.map((c) => c.description)).to.deep.equal([`${description}\n\n#proposer=${proposer}`, own]);
      // the chain's description is bound by its proposal id and to its proposer like the body's
      expect(() => parseSignalBody(body.replace("text on BSC", "text on BNB"), "b")).to.throw(InputError, /b: chain 1030: the calls and description hash to proposal \d+, not the \d+ the block states/);
      const unbound = { ...bsc, description: "# D\n\nother", proposalId: proposalId(actions, "# D\n\nother").toString() };
      expect(() => parseSignalBody(signalBody([ex, unbound]), "b")).to.throw(InputError, /b: chain 1030: the block names proposer 0x0+3, but the description is bound to no proposer/);
    });

    it("refuse a body without calls, an edited description or call, a broken block, mismatched chains", () => {
      expect(() => parseSignalBody(description, "b")).to.throw(InputError, /b: the body carries no ```flux-proposal block/);
      expect(() => parseSignalBody(signalBody([ex]).replace("text", "other"), "b")).to.throw(InputError, /chain 56: the calls and description hash to proposal \d+, not the \d+ the block states/);
      expect(() => parseSignalBody(signalBody([ex]).replace("0x1234", "0x1235"), "b")).to.throw(InputError, /hash to proposal/);
      expect(() => parseSignalBody(signalBody([ex]).replace('"version": 1', '"version": 2'), "b")).to.throw(InputError, /version/);
      expect(() => parseSignalBody(signalBody([ex]).replace("{", "{{"), "b")).to.throw(InputError, /is not JSON/);
      expect(() => parseSignalBody(signalBody([ex]).replace(/\n```\n$/, "\n"), "b")).to.throw(InputError, /not closed/);
      expect(() => signalBody([])).to.throw(InputError, /at least one chain/);
      // the block's proposer must be the one the description is bound to
      const other = "0x0000000000000000000000000000000000000004";
      expect(() => parseSignalBody(signalBody([ex]).replace(`\n\n#proposer=${proposer}`, ""), "b")).to.throw(InputError, /b: chain 56: the block names proposer 0x0+3, but the description is bound to no proposer \(no #proposer= suffix\)$/);
      expect(() => parseSignalBody(signalBody([{ ...ex, proposer: other }]), "b")).to.throw(InputError, /b: chain 56: the block names proposer 0x0+4, but the description is bound to 0x0+3$/);
    });
  });
});
