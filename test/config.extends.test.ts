/**
 * A network config may extend another (`"extends": "<network>"`): the shipped localhost config is
 * the embedded network's, and a loop, a missing base or a bad name is refused in one line.
 */
import { expect } from "chai";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "mocha";
import "./helpers/chai.js";
import { CONFIG_DIR, loadDeployConfig } from "../src/deploy/config.js";
import { InputError } from "../src/core/errors.js";

describe("deploy config: extends", () => {
  let root: string;
  const write = (network: string, json: unknown) => writeFile(path.join(root, CONFIG_DIR, `${network}.json`), JSON.stringify(json));

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), "flux-config-"));
    await mkdir(path.join(root, CONFIG_DIR), { recursive: true });
    await write("default", JSON.parse(await readFile(path.join(CONFIG_DIR, "default.json"), "utf8")));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("the shipped localhost config is the default config", async () => {
    expect(await loadDeployConfig("localhost")).to.deep.equal(await loadDeployConfig("default"));
  });

  it("merges objects key by key and replaces values and arrays", async () => {
    await write("child", { extends: "default", governor: { votingDelay: 3600 }, timelock: { minDelay: 600 } });
    const base = await loadDeployConfig("default", root);
    const child = await loadDeployConfig("child", root);
    expect(child.governor.votingDelay).to.equal(3600);
    expect(child.governor.votingPeriod).to.equal(base.governor.votingPeriod);
    expect(child.timelock.minDelay).to.equal(600);
    expect(child.token).to.deep.equal(base.token);
    await write("grandchild", { extends: "child", token: { allocations: [{ account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", amount: "9000000" }] } });
    const g = await loadDeployConfig("grandchild", root);
    expect(g.token.allocations).to.have.length(1);
    expect(g.governor.votingDelay).to.equal(3600);
  });

  it("refuses a loop, a missing base and a bad name, naming the file", async () => {
    await write("a", { extends: "b" });
    await write("b", { extends: "a" });
    await expect(loadDeployConfig("a", root)).to.be.rejectedWith(InputError, /a\.json: "extends" loops: a -> b -> a/);
    await write("orphan", { extends: "nowhere" });
    await expect(loadDeployConfig("orphan", root)).to.be.rejectedWith(InputError, /nowhere\.json: no deployment config for network "nowhere"/);
    await write("bad", { extends: "../default" });
    await expect(loadDeployConfig("bad", root)).to.be.rejectedWith(InputError, /bad\.json: extends: a network name/);
  });
});
