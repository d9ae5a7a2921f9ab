/**
 * The operators' monitor of one deployment: what needs a person, said in one line when it
 * happens, never again block after block.
 *
 * - Emission roots: every `RootSubmitted` of the rewards distributor is rebuilt independently
 *   from the chain (`buildEpochFromChain` from the deployment block, hashed with WATCHER_HASHER,
 *   never the builder's keccak) and compared with what was submitted (root, total, content hash).
 *   The watcher keeps its own chain of verified epochs in its state directory: the rebuild of a
 *   root continues the epoch that was active on the distributor when it was submitted, as the
 *   watcher itself rebuilt and verified it (`epochs/<epochEnd>/`); a first epoch starts where
 *   `emissions build` starts one by default. A match is saved as the next previous; a mismatch
 *   still pending is MISMATCH with both roots and the guardian's exact `emissions revoke`
 *   command; a root that cannot be rebuilt (a balances-file epoch, a previous epoch the watcher
 *   never verified) is said once, with its reason.
 * - Positions: each new block every borrower (BorrowerBook) is read (scanHealth); a line when an
 *   account enters the zone `health < liquidation ratio × (1 + margin)`, when it becomes
 *   liquidatable, and when it leaves.
 * - Feeds: a price the oracle refuses (stale, invalid), and a warning when a feed's age passes a
 *   share of its heartbeat; a line when it is fresh again.
 * - Pauses: a market's deposits or borrows, the distributor's claims.
 * - Governance: a proposal queued in the Timelock whose ETA is within `soon`, once; its execution.
 *
 * An RPC outage is one line when it starts and one when it ends; the watcher retries with
 * backoff (1 s doubling to 30 s) and never crashes. `failOn` ends the run (exit 3) after the
 * pass that saw an event of those kinds; `once` runs one pass.
 *
 * State directory (`--state`, default `.watch/<network>/`):
 * - `state.json` (version 1, written atomically): `{ version, chainId, distributor, governor,
 *   block, active, roots, proposals }`: the last block whose distributor and governor events were
 *   read, the distributor's active epoch as of that block, the submitted roots not yet decided
 *   (waiting for confirmations or for the RPC), and the open proposals (title, ETA once queued,
 *   whether "due soon" was said);
 * - `epochs/<epochEnd>/`: each verified epoch as the watcher rebuilt it (an epoch directory);
 * - `borrowers.json`: the watcher's own BorrowerBook checkpoint.
 */
import path from "node:path";
import { Contract, getAddress, Interface, type JsonFragment, type Log, type Provider } from "ethers";
import { z } from "zod";
import { FluxGovernor__factory } from "../../types/ethers-contracts/factories/contracts/governance/FluxGovernor__factory.js";
import { IAggregatorV3__factory } from "../../types/ethers-contracts/factories/contracts/markets/interfaces/IAggregatorV3__factory.js";
import { InputError, messageOf } from "../core/errors.js";
import { formatFlux, iso } from "../core/format.js";
import { toJson, writeFileAtomic } from "../core/fs.js";
import { readBatches, valueOf } from "../core/multicall.js";
import { describeFailure, isUnreachable } from "../core/revert.js";
import { address } from "../core/schemas.js";
import { DISTRIBUTOR_ABI, revokeCommandLine, WATCHER_HASHER } from "../emissions/commands.js";
import { buildEpochFromChain, loadEpoch, writeEpoch } from "../emissions/epoch.js";
import { EmptyEpochError } from "../emissions/allocate.js";
import { confirmedHead, eventsOf, pagedLogs } from "../emissions/events.js";
import { proposalTitle } from "../governance/lifecycle.js";
import type { Manifest } from "../manifest/index.js";
import { BPS, isUnpriced } from "../markets/liquidation.js";
import { readCheckpoint, type BorrowerBook } from "./borrowers.js";
import { pct } from "./keeper.js";
import { MARKETS_DECODER, ORACLE, scanHealth, type MarketsChain, type Scan } from "./scan.js";
import { sleep } from "./sender.js";

/** What an event line is about; `--fail-on` names some of them. */
export const WATCH_KINDS = ["mismatch", "liquidatable", "stale", "paused", "proposal"] as const;
export type WatchKind = (typeof WATCH_KINDS)[number];

/** The exit status of a run that saw an event of a `--fail-on` kind. */
export const EXIT_ALERT = 3;

const DISTRIBUTOR = new Interface(DISTRIBUTOR_ABI as readonly JsonFragment[]);
const GOVERNOR_EVENTS = eventsOf(FluxGovernor__factory.abi);
const FEED = new Interface(IAggregatorV3__factory.abi);
const topic = (iface: Interface, name: string) => iface.getEvent(name)!.topicHash;
const ROOT_TOPICS = ["RootSubmitted", "RootActivated"].map((n) => topic(DISTRIBUTOR, n));
const PROPOSAL_TOPICS = ["ProposalCreated", "ProposalQueued", "ProposalExecuted", "ProposalCanceled"].map((n) => topic(GOVERNOR_EVENTS, n));

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);
const submittedSchema = z.object({
  root: hex32,
  total: z.string().regex(/^\d+$/),
  epochEnd: z.number().int().positive(),
  contentHash: hex32,
  activatableAt: z.number().int().nonnegative(),
  block: z.number().int().nonnegative(),
  /** The distributor's active epoch when it was submitted (null: none, a first epoch). */
  previous: z.object({ root: hex32, epochEnd: z.number().int().positive() }).nullable(),
});
type Submitted = z.output<typeof submittedSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  chainId: z.number().int().positive(),
  distributor: address.nullable(),
  governor: address,
  block: z.number().int().nonnegative(),
  active: z.object({ root: hex32, epochEnd: z.number().int().positive() }).nullable(),
  roots: z.array(submittedSchema),
  proposals: z.record(z.string().regex(/^\d+$/), z.object({ title: z.string(), eta: z.number().int().nonnegative().nullable(), dueSoon: z.boolean() })),
});
type WatchState = z.output<typeof stateSchema>;

export interface WatchOptions {
  provider: Provider;
  manifest: Manifest;
  /** The markets (absent: a deployment without markets). */
  chain?: MarketsChain;
  /** The borrowers (with `chain`). */
  book?: BorrowerBook;
  /** The state directory (see the module comment). */
  stateDir: string;
  /** The near-line zone: health below the liquidation ratio × (1 + marginBps / 10,000). */
  marginBps: bigint;
  /** A queued proposal is "due soon" when its ETA is at most this many seconds away. */
  soonSeconds: number;
  /** A feed older than this share of its heartbeat (bps, default 8,000) is warned about. */
  feedWarnBps?: bigint;
  /** Kinds that end the run with exit status 3. */
  failOn: ReadonlySet<WatchKind>;
  once?: boolean;
  /** Confirmation depth of an epoch's end before its root is rebuilt. */
  confirmations: number;
  /** Blocks per getLogs query. */
  pageSize?: number;
  /** Between polls of the head (default 1,000 ms). */
  pollMs?: number;
  /** The first wait after a failed pass (default 1 s); it doubles up to 30 times this. */
  retryMs?: number;
  /** `once`: how many failed passes in a row before giving up (default 5). */
  maxFailures?: number;
  log: (line: string) => void;
  /** Set `stop` to end the run after the current pass. */
  control?: { stop: boolean };
}

export interface WatchSummary {
  passes: number;
  /** Events seen, by kind. */
  events: Record<WatchKind, number>;
  /** The first event of a `failOn` kind. */
  alert?: string;
  /** The run could not complete (`once` and the RPC stayed unreachable). */
  failed?: string;
  /** 0 nothing of the fail kinds, 1 could not run, 3 an event of a fail kind. */
  exitCode: number;
}

export async function runWatch(o: WatchOptions): Promise<WatchSummary> {
  const w = new Watcher(o, await openState(o));
  return w.run();
}

/** The state of `o.stateDir`, or a fresh one from the deployment block; refuses another deployment's. */
async function openState(o: WatchOptions): Promise<WatchState> {
  const m = o.manifest;
  const distributor = m.contracts.rewardsDistributor ? getAddress(m.contracts.rewardsDistributor) : null;
  const governor = getAddress(m.contracts.governor);
  const file = path.join(o.stateDir, "state.json");
  const s = await readCheckpoint(file, stateSchema, "the watcher's state", "delete the state directory to watch again from the deployment block");
  if (!s) return { version: 1, chainId: m.chainId, distributor, governor, block: m.block - 1, active: null, roots: [], proposals: {} };
  if (s.chainId !== m.chainId || s.distributor !== distributor || s.governor !== governor) {
    throw new InputError(`${file}: the state is for chain ${s.chainId} (distributor ${s.distributor ?? "none"}, governor ${s.governor}), not this deployment of ${m.network}; give another --state`);
  }
  return s;
}

type Zone = "ok" | "near" | "liquidatable";

class Watcher {
  readonly sum: WatchSummary = { passes: 0, events: { mismatch: 0, liquidatable: 0, stale: 0, paused: 0, proposal: 0 }, exitCode: 0 };
  readonly control: { stop: boolean };
  #block = 0;
  #zones = new Map<string, Zone>();
  /** Each feed's state: "ok", "aging" or "refused:<error>". */
  #feeds = new Map<string, string>();
  /** Markets whose price the oracle refused at the last scan. */
  #refused = new Set<string>();
  #paused = new Map<string, string>();
  /** Roots whose "waiting" or "cannot verify yet" was said, by root and reason. */
  #noted = new Set<string>();
  /** Failures of a part of a pass already said (said once until the part works again). */
  #faults = new Map<string, string>();

  constructor(readonly o: WatchOptions, readonly state: WatchState) {
    this.control = o.control ?? { stop: false };
  }

  /** One event line; `kind` counts it (and may end the run). */
  event(kind: WatchKind | null, text: string): void {
    this.o.log(`block ${this.#block} ${text}`);
    if (!kind) return;
    this.sum.events[kind]++;
    if (this.o.failOn.has(kind) && !this.sum.alert) this.sum.alert = `${kind}: ${text}`;
  }

  async run(): Promise<WatchSummary> {
    const o = this.o;
    const retryMs = o.retryMs ?? 1000;
    let backoff = retryMs;
    let seen = -1;
    let failures = 0;
    let outage: { since: number; what: string } | undefined;
    while (!this.control.stop) {
      try {
        const head = await o.provider.getBlockNumber();
        if (head !== seen) {
          await this.pass(head);
          if (seen === -1) o.log(`block ${head} watching: ${this.o.book?.accounts().length ?? 0} borrowers, ${Object.keys(this.state.proposals).length} open proposals, ${this.state.roots.length} roots waiting to be verified`);
          seen = head;
        }
        if (outage) {
          o.log(`rpc reachable again after ${Math.round((Date.now() - outage.since) / 1000)} s (${outage.what})`);
          outage = undefined;
        }
        failures = 0;
        backoff = retryMs;
        if (this.sum.alert || o.once) break;
        await sleep(o.pollMs ?? 1000);
      } catch (e) {
        failures++;
        const unreachable = isUnreachable(e);
        const what = unreachable ? `rpc unreachable (${messageOf(e).split("\n")[0]})` : `error: ${describeFailure(e, { decoder: MARKETS_DECODER })?.message ?? messageOf(e)}`;
        if (o.once && failures >= (o.maxFailures ?? 5)) {
          o.log(`${what}; giving up after ${failures} attempts`);
          this.sum.failed = what;
          break;
        }
        if (!unreachable) o.log(`${what}; retrying in ${backoff / 1000} s`);
        else if (!outage) {
          outage = { since: Date.now(), what };
          o.log(`${what}; retrying with backoff from ${backoff / 1000} s up to ${(30 * retryMs) / 1000} s until it answers`);
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 30 * retryMs);
      }
    }
    if (this.control.stop) o.log("stopped");
    this.sum.exitCode = this.sum.alert ? EXIT_ALERT : this.sum.failed ? 1 : 0;
    return this.sum;
  }

  /** One pass over the state at `head`. An unreachable RPC ends it (the run retries); any other failure of a part is said once and the other parts go on. */
  async pass(head: number): Promise<void> {
    this.#block = head;
    await this.part("events", () => this.readEvents(head));
    await this.part("roots", () => this.verifyRoots());
    if (this.o.chain) {
      await this.part("positions", () => this.markets(head));
      await this.part("feeds", () => this.feedAges(head));
    }
    await this.part("distributor", () => this.distributorPause(head));
    await this.part("proposals", () => this.proposals(head));
    this.sum.passes++;
  }

  async part(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      this.#faults.delete(name);
    } catch (e) {
      if (isUnreachable(e)) throw e;
      const text = describeFailure(e, { decoder: MARKETS_DECODER })?.message ?? messageOf(e);
      if (this.#faults.get(name) !== text) this.o.log(`block ${this.#block} ${name}: cannot read: ${text.split("\n")[0]} (trying again each block)`);
      this.#faults.set(name, text);
    }
  }

  async saveState(): Promise<void> {
    await writeFileAtomic(path.join(this.o.stateDir, "state.json"), toJson(this.state));
  }

  /** The distributor's and the governor's events since the state's block. */
  async readEvents(head: number): Promise<void> {
    const s = this.state;
    if (head <= s.block) return;
    const addresses = [s.governor, ...(s.distributor ? [s.distributor] : [])];
    const logs = await pagedLogs(this.o.provider, { address: addresses, topics: [[...ROOT_TOPICS, ...PROPOSAL_TOPICS]] }, s.block + 1, head, { fromBlock: 0, pageSize: this.o.pageSize });
    for (const log of logs) this.onLog(log);
    s.block = head;
    await this.saveState();
  }

  onLog(log: Log): void {
    const s = this.state;
    if (s.distributor && getAddress(log.address) === s.distributor) {
      const e = DISTRIBUTOR.parseLog(log)!;
      const root = String(e.args.root).toLowerCase();
      if (e.name === "RootActivated") s.active = { root, epochEnd: Number(e.args.epochEnd) };
      else {
        s.roots.push({
          root,
          total: (e.args.total as bigint).toString(),
          epochEnd: Number(e.args.epochEnd),
          contentHash: String(e.args.contentHash).toLowerCase(),
          activatableAt: Number(e.args.activatableAt),
          block: log.blockNumber,
          previous: s.active,
        });
      }
      return;
    }
    const e = GOVERNOR_EVENTS.parseLog(log);
    if (!e) return;
    const id = (e.args.proposalId as bigint).toString();
    const p = s.proposals[id];
    if (e.name === "ProposalCreated") s.proposals[id] = { title: proposalTitle(String(e.args.description)), eta: null, dueSoon: false };
    else if (e.name === "ProposalQueued" && p) p.eta = Number(e.args.etaSeconds);
    else if (e.name === "ProposalExecuted" || e.name === "ProposalCanceled") {
      // said for the proposals said "due soon" (not for history read on a first start)
      if (p?.dueSoon) this.event("proposal", `proposal ${id} "${p.title}" ${e.name === "ProposalExecuted" ? "executed" : "canceled while queued"} (block ${log.blockNumber})`);
      delete s.proposals[id];
    }
  }

  /** Rebuilds and compares every submitted root not yet decided. */
  async verifyRoots(): Promise<void> {
    const s = this.state;
    if (s.roots.length === 0) return;
    const head = await confirmedHead(this.o.provider, this.o.confirmations);
    while (s.roots.length > 0) {
      const r = s.roots[0]!;
      const about = `root ${r.root} for the epoch ending ${iso(r.epochEnd)}`;
      if (r.epochEnd > head.timestamp) {
        this.note(r, "wait", `${about}: waiting until its epoch end has ${this.o.confirmations} confirmations to rebuild it`);
        return;
      }
      try {
        await this.verifyRoot(r, about);
      } catch (e) {
        if (isUnreachable(e)) {
          this.note(r, "rpc", `${about} cannot verify yet: the rpc is unreachable; trying again when it answers`);
          throw e;
        }
        const reason = describeFailure(e, { decoder: MARKETS_DECODER })?.message ?? messageOf(e);
        const hint = /no market weights are in force/.test(reason) ? " (an epoch built from a balances file? verify it with emissions verify --balances <file>)" : "";
        this.event(null, `${about} cannot verify: ${reason}${hint}`);
      }
      s.roots.shift();
      await this.saveState();
    }
  }

  note(r: Submitted, why: string, text: string): void {
    const key = `${r.root}:${r.block}:${why}`;
    if (this.#noted.has(key)) return;
    this.#noted.add(key);
    this.event(null, text);
  }

  async verifyRoot(r: Submitted, about: string): Promise<void> {
    const m = this.o.manifest;
    let previous = null;
    if (r.previous) {
      const dir = this.epochDir(r.previous.epochEnd);
      previous = await loadEpoch(dir).catch(() => null);
      if (!previous || previous.meta.root !== r.previous.root) {
        throw new InputError(`it continues the active epoch ending ${iso(r.previous.epochEnd)} (root ${r.previous.root}), which this watcher has not verified (no ${dir}); verify that one with emissions verify, or watch from a state that has it`);
      }
    }
    const total = BigInt(r.total);
    let build;
    try {
      build = await buildEpochFromChain({
        provider: this.o.provider,
        manifest: m,
        epochEnd: r.epochEnd,
        previous,
        confirmations: this.o.confirmations,
        pageSize: this.o.pageSize,
        fromDeployment: true,
        hasher: WATCHER_HASHER,
      });
    } catch (e) {
      // a first epoch that ends before rewards start owes nothing: a root paying anything is wrong
      if (!(e instanceof EmptyEpochError) || total === 0n) throw e;
      return this.mismatch(r, `MISMATCH: ${about} (total ${formatFlux(total)} FLUX) pays rewards for an epoch that ends before they start (${iso(e.epochStart)}): nothing is owed`);
    }
    const b = build.meta;
    if (b.root === r.root && b.total === total && b.contentHash === r.contentHash) {
      await writeEpoch(this.epochDir(r.epochEnd), build);
      this.event(null, `${about} verified (total ${formatFlux(total)} FLUX, ${b.count} accounts)`);
      return;
    }
    const what = b.root !== r.root
      ? `MISMATCH: ${about} (total ${formatFlux(total)} FLUX) is not the root rebuilt from the chain, ${b.root} (total ${formatFlux(b.total)} FLUX)`
      : `MISMATCH: ${about} is the rebuilt root, but its ${b.total !== total ? `total ${formatFlux(total)} FLUX is not the rebuilt ${formatFlux(b.total)} FLUX` : `content hash ${r.contentHash} is not the rebuilt ${b.contentHash}`}`;
    await this.mismatch(r, what);
  }

  /** Says a wrong root (`what`), with what the guardian can still do about it. */
  async mismatch(r: Submitted, what: string): Promise<void> {
    const m = this.o.manifest;
    const d = new Contract(this.state.distributor!, DISTRIBUTOR_ABI, this.o.provider);
    const [pending, active] = await Promise.all([d.getFunction("pendingRoot")(), d.getFunction("activeRoot")()]);
    if (String(pending.root).toLowerCase() === r.root) {
      this.event("mismatch", `${what}: revoke it before ${iso(r.activatableAt)}, as the guardian: ${revokeCommandLine(m.network, r.root)}`);
    } else if (String(active.root).toLowerCase() === r.root) {
      this.event("mismatch", `${what}: it is ACTIVE already, too late to revoke it: pause claims as the guardian (RewardsDistributor.pause()) and replace it by proposal`);
    } else {
      this.event(null, `${what}; it is no longer pending (revoked)`);
    }
  }

  epochDir(epochEnd: number): string {
    return path.join(this.o.stateDir, "epochs", String(epochEnd));
  }

  /** Positions, refused prices and market pauses at `head`. */
  async markets(head: number): Promise<void> {
    const { chain, book } = this.o;
    if (!chain || !book) return;
    await book.update(this.o.provider, chain.markets.map((m) => m.market), head);
    const scan = await scanHealth(this.o.provider, chain, book.accounts(), { blockTag: head });
    this.zones(scan);
    for (const m of scan.markets) {
      const refused = m.priceError ? `refused:${m.priceError.split("(")[0]}` : undefined;
      if (refused && this.#feeds.get(m.market) !== refused) this.event("stale", `feed ${m.info.symbol}: price refused: ${m.priceError}; positions owing ${m.info.symbol} cannot be valued or liquidated until it is updated`);
      if (refused) {
        this.#feeds.set(m.market, refused);
        this.#refused.add(m.market);
      } else this.#refused.delete(m.market);
      const paused = [m.depositPaused && "deposits", m.borrowPaused && "borrows"].filter(Boolean).join(" and ");
      const was = this.#paused.get(m.market) ?? "";
      if (paused !== was) {
        if (paused) this.event("paused", `market ${m.info.symbol}: ${paused} paused`);
        else this.event(null, `market ${m.info.symbol}: unpaused (deposits and borrows open)`);
      }
      this.#paused.set(m.market, paused);
    }
  }

  /** A line for each account whose zone changed. */
  zones(scan: Scan): void {
    const ratio = scan.risk.liquidationRatioBps;
    const edge = (ratio * (BPS + this.o.marginBps)) / BPS;
    for (const a of scan.accounts) {
      if (isUnpriced(a.position)) continue; // the feed's line says it
      const p = a.position;
      const zone: Zone = p.liquidatable ? "liquidatable" : p.healthBps < edge ? "near" : "ok";
      const before = this.#zones.get(a.account) ?? "ok";
      this.#zones.set(a.account, zone);
      if (zone === before) continue;
      const health = `health ${pct(p.healthBps)}, line ${pct(ratio)}`;
      if (zone === "liquidatable") this.event("liquidatable", `account ${a.account} LIQUIDATABLE: ${health}`);
      else if (zone === "near") this.event(null, `account ${a.account} ${before === "liquidatable" ? "no longer liquidatable, still near" : "near"} the liquidation line: ${health} (zone below ${pct(edge)})`);
      else this.event(null, `account ${a.account} left the zone: ${health}`);
    }
  }

  /**
   * Each feed's age against its heartbeat (the oracle's `feedOf`, the aggregator's
   * `latestRoundData`): a warning past `feedWarnBps` of it, a line when it is fresh again. A
   * price already refused is said by `markets`.
   */
  async feedAges(head: number): Promise<void> {
    const chain = this.o.chain!;
    const feeds = await readBatches(this.o.provider, chain.multicall, chain.markets.map((m) => ({ target: chain.oracle, iface: ORACLE, fn: "feedOf", args: [m.asset] })), { blockTag: head });
    const cfg = chain.markets.map((m, i) => valueOf(feeds.results[i], `oracle.feedOf(${m.symbol})`)[0]);
    const rounds = await readBatches(this.o.provider, chain.multicall, cfg.map((f) => ({ target: f.aggregator as string, iface: FEED, fn: "latestRoundData" })), { blockTag: head });
    const now = Number(rounds.timestamp);
    const warnBps = this.o.feedWarnBps ?? 8_000n;
    chain.markets.forEach((m, i) => {
      const r = rounds.results[i]!;
      // a price the oracle refuses is said by markets(); a reverting aggregator is refused too (OracleFeedFailed)
      if (this.#refused.has(m.market) || !r.ok) return;
      const before = this.#feeds.get(m.market) ?? "ok";
      const heartbeat = Number(cfg[i]!.heartbeat);
      const updatedAt = Number(r.value[3]);
      const age = now - updatedAt;
      const state = BigInt(age) * BPS > BigInt(heartbeat) * warnBps ? "aging" : "ok";
      if (state === before) return;
      this.#feeds.set(m.market, state);
      if (state === "aging") {
        this.event("stale", `feed ${m.symbol}: WARNING its price is ${minutes(age)} old, ${pct((BigInt(age) * BPS) / BigInt(heartbeat))} of its ${minutes(heartbeat)} heartbeat: refused from ${iso(updatedAt + heartbeat + 1)} unless updated`);
      } else this.event(null, `feed ${m.symbol}: fresh again (updated ${iso(updatedAt)})`);
    });
  }

  async distributorPause(head: number): Promise<void> {
    if (!this.state.distributor) return;
    const d = new Contract(this.state.distributor, DISTRIBUTOR_ABI, this.o.provider);
    const paused = Boolean((await d.getFunction("config")({ blockTag: head })).paused);
    const was = this.#paused.get(this.state.distributor) === "claims";
    if (paused && !was) this.event("paused", `rewards distributor ${this.state.distributor}: claims paused`);
    if (!paused && was) this.event(null, `rewards distributor ${this.state.distributor}: claims unpaused`);
    this.#paused.set(this.state.distributor, paused ? "claims" : "");
  }

  /** "Due soon" once for each queued proposal whose ETA is within `soonSeconds` of the head's time. */
  async proposals(head: number): Promise<void> {
    const due = Object.entries(this.state.proposals).filter(([, p]) => p.eta !== null && !p.dueSoon);
    if (due.length === 0) return;
    const now = (await this.o.provider.getBlock(head))!.timestamp;
    let changed = false;
    for (const [id, p] of due) {
      const left = p.eta! - now;
      if (left > this.o.soonSeconds) continue;
      this.event("proposal", `proposal ${id} "${p.title}" ${left > 0 ? `executes soon: ETA ${iso(p.eta!)} (in ${minutes(left)})` : `is executable since its ETA ${iso(p.eta!)}`}`);
      p.dueSoon = true;
      changed = true;
    }
    if (changed) await this.saveState();
  }
}

/** Seconds in words: "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function minutes(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h${s % 3600 >= 60 ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
  return `${Math.floor(s / 86_400)} d${s % 86_400 >= 3600 ? ` ${Math.floor((s % 86_400) / 3600)} h` : ""}`;
}
