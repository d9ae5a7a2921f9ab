/**
 * Storage layouts stay upgrade-safe: every upgradeable contract as it is now is checked by
 * hardhat-upgrades' `validateUpgrade` against its layout at commit 6640132, the last deployed
 * layout before the markets refactor (interfaces, FluxRiskSteward, PositionMath), except
 * FluxMarket, whose reference was re-cut at 4827adf.
 *
 * Why FluxMarket's reference was re-cut (deliberately, not to silence the check): 4827adf packs a
 * borrower's snapshot (principal and borrow index) into one slot, uint128 + uint128 where it was
 * two uint256 slots, in place. No FluxMarket has been deployed on any live chain (all deployments
 * are local or demos), and both layout-compatible ways would have been worse: a new packed
 * mapping next to a deprecated `borrows` passes validateUpgrade yet drops every existing debt on
 * upgrade (the check would vouch for a data-destroying upgrade), and a lazy migration that keeps
 * reading the old snapshots costs a cold storage read per market on every position check, which
 * puts Flux's first borrow above Aave v3's (docs/benchmarks.md, "Markets gas"). From 4827adf on,
 * FluxMarket's layout is held to upgrade safety like the others.
 *
 * Approach (least duplication that is still a proof): the references in contracts/test/layout/
 * are not copies of the old logic. For the contracts with their own ERC-7201 namespace
 * (controller, market, oracle, schedule) a reference (`<Name>V1Layout`) holds only
 * what decides a layout: the base contracts in their order and the storage structs, copied
 * verbatim from 6640132. The token and the Governor are copied whole (renamed), because their
 * many OpenZeppelin bases cannot be declared without their required overrides. The first test
 * proves that the references are faithful: every struct (and the base list) in each reference is
 * compared, as text, with `git show 6640132:<source>` (skipped, saying so, where the repository
 * has no history). hardhat-upgrades then compares the full layouts, OpenZeppelin's own namespaces
 * included. The negative cases show the check has teeth: a controller whose refactor deletes the
 * steward fields from its namespace, and the token's known bad layout, are both refused.
 *
 * The rewards distributor is not checked: it is no longer upgradeable (a plain contract with
 * immutables, so a claim reads no proxy slot and no configuration but its root). It is replaced,
 * not upgraded, so there is no storage to keep compatible; the successor reads what each account
 * claimed from its predecessor instead (docs/emissions.md, "Replacing the distributor").
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import hre from "hardhat";
import { before, describe, it } from "mocha";
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import type { Connection, UpgradesApi } from "../src/core/types.js";

const REFERENCE_COMMIT = "6640132";
/** FluxMarket's re-cut reference: the packed borrow snapshot (see the header). */
const MARKET_REFERENCE_COMMIT = "4827adf";

/**
 * `inherits`: interface sources whose structs the contract's namespace uses at `commit` (FluxMarket's
 * `RateModel` has lived in IFluxMarket since the markets refactor); their structs count as the
 * contract's own.
 */
const cases: { name: string; source: string; kind: "uups" | "beacon"; whole: boolean; commit: string; inherits?: string[] }[] = [
  { name: "FluxController", source: "contracts/markets/FluxController.sol", kind: "uups", whole: false, commit: REFERENCE_COMMIT },
  {
    name: "FluxMarket",
    source: "contracts/markets/FluxMarket.sol",
    kind: "beacon",
    whole: false,
    commit: MARKET_REFERENCE_COMMIT,
    inherits: ["contracts/markets/interfaces/IFluxMarket.sol"],
  },
  { name: "FluxOracle", source: "contracts/markets/FluxOracle.sol", kind: "uups", whole: false, commit: REFERENCE_COMMIT },
  { name: "EmissionSchedule", source: "contracts/emissions/EmissionSchedule.sol", kind: "uups", whole: false, commit: REFERENCE_COMMIT },
  { name: "FluxToken", source: "contracts/governance/FluxToken.sol", kind: "uups", whole: true, commit: REFERENCE_COMMIT },
  { name: "FluxGovernor", source: "contracts/governance/FluxGovernor.sol", kind: "uups", whole: true, commit: REFERENCE_COMMIT },
];

/** Each `struct X { … }` block (4-space indented, as the sources write them), by name. */
function structBlocks(src: string): Map<string, string> {
  return new Map([...src.matchAll(/^ {4}struct (\w+) \{\n[\s\S]*?^ {4}\}$/gm)].map((m) => [m[1]!, m[0]]));
}

/** The base contracts of `contract <name> is …`, in order, interfaces (I-prefixed) left out. */
function bases(src: string, name: string): string[] {
  const m = new RegExp(`^contract ${name} is([^{]*)\\{`, "m").exec(src);
  if (!m) throw new Error(`contract ${name} not found`);
  return m[1]!.split(",").map((b) => b.trim()).filter((b) => b && !/^I[A-Z]/.test(b));
}

function gitShow(path: string, commit = REFERENCE_COMMIT): string | undefined {
  try {
    return execFileSync("git", ["show", `${commit}:${path}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

describe("storage layouts against the last deployed ones", () => {
  let api: UpgradesApi;
  let conn: Connection;
  const factory = (name: string) => conn.ethers.getContractFactory(name);
  before(async () => {
    conn = await hre.network.create();
    api = await upgrades(hre, conn);
  });

  it(`the references are the sources at ${REFERENCE_COMMIT} (FluxMarket: ${MARKET_REFERENCE_COMMIT})`, async function () {
    if (gitShow(cases[0]!.source) === undefined) {
      console.warn(`    (no git history with ${REFERENCE_COMMIT}: reference fidelity not checked)`);
      this.skip();
    }
    for (const c of cases) {
      const old = gitShow(c.source, c.commit);
      if (old === undefined) throw new Error(`${c.name}: commit ${c.commit} is not in this repository's history`);
      const ref = await readFile(`contracts/test/layout/${c.name}V1Layout.sol`, "utf8");
      if (c.whole) {
        expect(ref.replace(`contract ${c.name}V1Layout is`, `contract ${c.name} is`).replace(/^ \* @notice Test-only:[\s\S]*?(?=^ \* @title)/m, ""), c.name)
          .to.equal(old);
        continue;
      }
      expect(bases(ref, `${c.name}V1Layout`), `${c.name} bases`).to.deep.equal(bases(old, c.name));
      const oldStructs = structBlocks(old);
      for (const source of c.inherits ?? []) {
        const inherited = gitShow(source, c.commit);
        if (inherited === undefined) throw new Error(`${c.name}: ${source} is not at commit ${c.commit}`);
        for (const [name, text] of structBlocks(inherited)) if (!oldStructs.has(name)) oldStructs.set(name, text);
      }
      const refStructs = structBlocks(ref);
      expect([...refStructs.keys()].sort(), `${c.name} structs`).to.deep.equal([...oldStructs.keys()].filter((k) => refStructs.has(k) || /Storage$/.test(k)).sort());
      for (const [name, text] of refStructs) expect(text, `${c.name}.${name}`).to.equal(oldStructs.get(name));
    }
  });

  for (const c of cases) {
    it(`${c.name} is a safe upgrade of its ${c.commit} layout`, async () => {
      await api.validateUpgrade(await factory(`${c.name}V1Layout`), await factory(c.name), { kind: c.kind });
    });
  }

  it("refuses a controller whose refactor deletes the steward fields from its namespace", async () => {
    await expect(
      api.validateUpgrade(await factory("FluxControllerV1Layout"), await factory("FluxControllerBadLayout"), { kind: "uups" }),
    ).to.be.rejectedWith(/New storage layout is incompatible[\s\S]*Deleted `steward`/);
  });

  it("refuses the token's bad layout", async () => {
    await expect(
      api.validateUpgrade(await factory("FluxTokenV1Layout"), await factory("FluxTokenBadLayout"), { kind: "uups" }),
    ).to.be.rejectedWith(/New storage layout is incompatible[\s\S]*Inserted `totalMinted`/);
  });
});
