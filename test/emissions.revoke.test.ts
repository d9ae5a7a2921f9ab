/**
 * `emissions revoke`, through the command's own code on the embedded chain: the guardian revokes
 * the pending root it names; a wrong root, no pending root, a signer that is not the guardian are
 * refused before anything is sent; `--unsigned` writes a Safe batch; `--dry-run` sends nothing.
 */
import { expect } from "chai";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "mocha";
import { ZeroHash } from "ethers";
import { revokeCommand } from "../src/emissions/commands.js";
import { flux, useFixture, type Env } from "./helpers/fixture.js";
import { emissionsFixture, referenceTree, type EmissionsFixture } from "./helpers/emissions.js";

describe("emissions revoke", () => {
  const suite = useFixture((e: Env) => emissionsFixture(e));

  /** The fixture with a root submitted by the operator and pending. */
  async function pending(): Promise<{ f: EmissionsFixture; root: string; ctx: { conn: Env["conn"]; manifest: EmissionsFixture["manifest"] } }> {
    const f = await suite.load();
    const e = f.emissions!;
    await suite.env.networkTime(3 * 86_400);
    const end = (await suite.env.clock.latest()) - 60;
    const t = referenceTree([[f.alice.address, flux(10)], [f.bob.address, flux(5)]]);
    await (await e.distributor.connect(f.operator).submitRoot(t.root, t.total, end, t.contentHash)).wait();
    return { f, root: t.root, ctx: { conn: suite.env.conn, manifest: f.manifest } };
  }

  it("revokes the pending root as the guardian (the local guardian account), printing the transaction", async () => {
    const { f, root, ctx } = await pending();
    const lines: string[] = [];
    const out = await revokeCommand(ctx, { root, dryRun: false, log: (l) => lines.push(l) });
    expect(lines[0]).to.match(new RegExp(`^signing as guardian ${f.guardian.address} on `));
    expect(out).to.match(new RegExp(`^revokePendingRoot\\(${root}\\) \\(total 15 FLUX, epoch end .*\\) from ${f.guardian.address}\\n  tx 0x[0-9a-f]{64} in block \\d+: revoked$`));
    expect((await f.emissions!.distributor.pendingRoot()).root).to.equal(ZeroHash);
    const logs = await f.emissions!.distributor.queryFilter(f.emissions!.distributor.filters.RootRevoked());
    expect(logs.map((l) => [l.args.root, l.args.by])).to.deep.equal([[root, f.guardian.address]]);
    // nothing pending any more: refused
    await expect(revokeCommand(ctx, { root, dryRun: false })).to.be.rejectedWith(/no root is pending .*: nothing sent/);
  });

  it("refuses a root that is not the pending one, sending nothing", async () => {
    const { f, root, ctx } = await pending();
    const other = `0x${"ab".repeat(32)}`;
    const nonce = await f.guardian.getNonce();
    await expect(revokeCommand(ctx, { root: other, dryRun: false })).to.be.rejectedWith(new RegExp(`the pending root .* is ${root}, not ${other}: nothing sent`));
    await expect(revokeCommand(ctx, { root: "0x1234", dryRun: false })).to.be.rejectedWith(/--root: "0x1234" is not a root/);
    expect(await f.guardian.getNonce()).to.equal(nonce);
    expect((await f.emissions!.distributor.pendingRoot()).root).to.equal(root);
  });

  it("refuses a signer that is not the guardian, sending nothing", async () => {
    const { f, root, ctx } = await pending();
    const nonce = await f.eve.getNonce();
    await expect(revokeCommand(ctx, { root, dryRun: false, from: f.eve.address }))
      .to.be.rejectedWith(new RegExp(`${f.eve.address} is not the guardian of RewardsDistributor .* \\(the guardian is ${f.guardian.address}\\): nothing sent; .*GUARDIAN_PRIVATE_KEY`));
    expect(await f.eve.getNonce()).to.equal(nonce);
    expect((await f.emissions!.distributor.pendingRoot()).root).to.equal(root);
  });

  it("--unsigned writes the call as a Safe Transaction Builder batch from the guardian, and sends nothing", async () => {
    const { f, root, ctx } = await pending();
    const file = path.join(await mkdtemp(path.join(tmpdir(), "flux-revoke-")), "revoke.json");
    const nonce = await f.guardian.getNonce();
    const out = await revokeCommand(ctx, { root, dryRun: false, unsigned: file });
    expect(out).to.match(/unsigned: wrote the transaction .* as a Safe Transaction Builder batch .*; nothing sent/);
    const batch = JSON.parse(await readFile(file, "utf8"));
    const d = f.emissions!.distributor;
    expect(batch.meta.createdFromSafeAddress).to.equal(f.guardian.address);
    expect(batch.meta.name).to.include(root);
    expect(batch.transactions).to.deep.equal([{ to: await d.getAddress(), value: "0", data: d.interface.encodeFunctionData("revokePendingRoot", [root]) }]);
    expect(await f.guardian.getNonce()).to.equal(nonce);
    expect((await d.pendingRoot()).root).to.equal(root);
  });

  it("--dry-run simulates and sends nothing", async () => {
    const { f, root, ctx } = await pending();
    const nonce = await f.guardian.getNonce();
    const out = await revokeCommand(ctx, { root, dryRun: true });
    expect(out).to.match(new RegExp(`^dry run: revokePendingRoot\\(${root}\\) .* would succeed; nothing sent$`));
    expect(await f.guardian.getNonce()).to.equal(nonce);
    expect((await f.emissions!.distributor.pendingRoot()).root).to.equal(root);
  });
});
