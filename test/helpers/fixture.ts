/**
 * Shared test fixture: FLUX governance deployed through the real deployment code path on a fresh
 * in-process network, with holders self-delegated. One network per test file; `loadFixture`
 * snapshots and reverts between tests.
 */
import hre from "hardhat";
import { before } from "mocha";
import "./chai.js";
import { loadDeployConfig, type DeployConfig } from "../../src/deploy/config.js";
import { deployFlux, type FluxDeployment } from "../../src/deploy/deploy.js";
import { localClock } from "../../src/deploy/local.js";
import { runProposal, Support } from "../../src/governance/lifecycle.js";
import type { Connection, Action, Clock } from "../../src/core/types.js";

export type Signer = Awaited<ReturnType<Connection["ethers"]["getSigners"]>>[number];

export interface Env {
  conn: Connection;
  cfg: DeployConfig;
  clock: Clock;
  /** Moves the chain's time forward by `seconds` (and mines a block). */
  networkTime(seconds: number): Promise<void>;
}

export interface Fixture extends FluxDeployment {
  deployer: Signer;
  alice: Signer; // 4M FLUX
  bob: Signer; // 3M FLUX
  carol: Signer; // 2M FLUX
  dave: Signer; // 1M FLUX
  guardian: Signer; // proposal guardian, no FLUX
  eve: Signer; // no FLUX
}

export async function createEnv(): Promise<Env> {
  const conn = await hre.network.create();
  const cfg = await loadDeployConfig("default");
  return { conn, cfg, clock: localClock(conn), networkTime: (s) => conn.networkHelpers.time.increase(s).then(() => undefined) };
}

/** Returns a fixture function bound to `env`, for `env.conn.networkHelpers.loadFixture`. */
export function governanceFixture(env: Env, opts: { delegate?: boolean } = {}): () => Promise<Fixture> {
  const delegate = opts.delegate ?? true;
  const fixture = async function fluxGovernance(): Promise<Fixture> {
    const d = await deployFlux(hre, env.conn, env.cfg, { manifestDir: null });
    const [deployer, alice, bob, carol, dave, guardian, eve] = await env.conn.ethers.getSigners();
    if (!deployer || !alice || !bob || !carol || !dave || !guardian || !eve) throw new Error("need 7 signers");
    if (delegate) {
      for (const s of [alice, bob, carol, dave]) await (await d.token.connect(s).delegate(s.address)).wait();
      await env.conn.networkHelpers.mine(1);
    }
    return { ...d, deployer, alice, bob, carol, dave, guardian, eve };
  };
  return fixture;
}

/** Parses FLUX whole units into wei. */
export const flux = (n: bigint | number): bigint => BigInt(n) * 10n ** 18n;

/**
 * One network per test file: creates it in `before`, and `load()` returns the fixture built by
 * `make(env)`, snapshotted once and reverted between tests.
 */
export function useFixture<F>(make: (env: Env) => () => Promise<F>): { readonly env: Env; load(): Promise<F> } {
  let env: Env | undefined;
  let fixture: (() => Promise<F>) | undefined;
  before(async () => {
    env = await createEnv();
    fixture = make(env);
  });
  return {
    get env() {
      if (!env) throw new Error("useFixture: the suite's before() has not run");
      return env;
    },
    load() {
      return this.env.conn.networkHelpers.loadFixture(fixture!);
    },
  };
}

/** Passes `actions` through the whole governance lifecycle (alice and bob vote for). */
export function pass(env: Env, f: Fixture, actions: Action[], description: string) {
  return runProposal({
    governor: f.governor,
    clock: env.clock,
    proposer: f.alice,
    relayer: f.eve,
    actions,
    description,
    votes: [{ voter: f.alice, support: Support.For }, { voter: f.bob, support: Support.For }],
  });
}
