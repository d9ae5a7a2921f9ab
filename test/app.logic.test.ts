/**
 * The app's logic that needs no browser: what the claim page says for each combination of roots,
 * claims, pause and tree entries (app/src/claim.ts), the countdown, the config file's checks
 * (app/src/config.ts), and the static build (`npm run app:build`).
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer } from "vite";
import { describe, it } from "mocha";
import { claimView, countdown, ZERO_ROOT, type ClaimInput, type RootView } from "../app/src/claim.js";
import { parseAppConfig, proofsUrl } from "../app/src/config.js";
import { InputError } from "../src/core/errors.js";

const root = (r: string, submittedAt = 1_000n): RootView => ({ root: r, total: 10n ** 21n, epochEnd: 900n, submittedAt, contentHash: `0x${"cd".repeat(32)}` });
const A = `0x${"aa".repeat(32)}`;
const B = `0x${"bb".repeat(32)}`;
const base: ClaimInput = { active: root(A), pending: root(ZERO_ROOT), challengeWindow: 86_400n, paused: false, claimed: 0n, now: 2_000n, activeEntry: { amount: 500n, proof: [] }, pendingEntry: undefined };

describe("app: what the claim page says", () => {
  it("claimable: the active amount minus what was claimed", () => {
    const v = claimView({ ...base, claimed: 200n });
    expect([v.status, v.cumulative, v.claimed, v.claimable, v.pendingAdds, v.pendingActivatesAt]).to.deep.equal(["claimable", 500n, 200n, 300n, 0n, null]);
    expect(v.words).to.equal("Ready to claim.");
  });

  it("nothing to claim, not in the tree, no root, paused, root pending", () => {
    expect(claimView({ ...base, claimed: 500n }).status).to.equal("nothing-to-claim");
    // a claimed amount above the tree's (a predecessor's record) never makes a negative claim
    expect(claimView({ ...base, claimed: 900n }).claimable).to.equal(0n);
    expect(claimView({ ...base, activeEntry: null }).words).to.match(/^This account is not in the current rewards tree/);
    expect(claimView({ ...base, active: root(ZERO_ROOT), activeEntry: undefined }).words).to.equal("No rewards have been published on this chain yet.");
    expect(claimView({ ...base, active: root(ZERO_ROOT), activeEntry: undefined, pending: root(B) }).status).to.equal("no-root");
    const paused = claimView({ ...base, paused: true });
    expect([paused.status, paused.words]).to.deep.equal(["paused", "Claims are paused on this chain by the guardian; try again once they resume."]);
    // paused with nothing to claim: nothing to claim is what matters
    expect(claimView({ ...base, paused: true, claimed: 500n }).status).to.equal("nothing-to-claim");
    const pending = claimView({ ...base, claimed: 500n, pending: root(B, 1_500n), pendingEntry: { amount: 800n, proof: [] } });
    expect([pending.status, pending.pendingAdds, pending.pendingActivatesAt]).to.deep.equal(["root-pending", 300n, 1_500n + 86_400n]);
    // a new account only in the pending tree
    expect(claimView({ ...base, activeEntry: null, pending: root(B), pendingEntry: { amount: 800n, proof: [] } }).pendingAdds).to.equal(800n);
    // with something claimable, the pending root is shown beside it
    const both = claimView({ ...base, pending: root(B), pendingEntry: { amount: 800n, proof: [] } });
    expect([both.status, both.pendingAdds]).to.deep.equal(["claimable", 300n]);
  });

  it("counts down in days, hours, minutes and seconds", () => {
    expect(countdown(100n, 100n)).to.equal("now");
    expect(countdown(100n, 200n)).to.equal("now");
    expect(countdown(145n, 100n)).to.equal("45 s");
    expect(countdown(100n + 61n, 100n)).to.equal("1 min 1 s");
    expect(countdown(100n + 3_600n * 5n + 720n, 100n)).to.equal("5 h 12 min");
    expect(countdown(100n + 86_400n * 2n + 3_600n * 3n + 59n, 100n)).to.equal("2 d 3 h");
  });
});

describe("app: flux-app.json", () => {
  const chain = {
    network: "devnet-bsc", name: "BNB Chain", chainId: 56, rpc: "http://127.0.0.1:8646", nativeCurrency: { name: "BNB", symbol: "BNB", decimals: 18 }, deployBlock: 1,
    contracts: { token: "0x5FbDB2315678afecb367f032d93F642f64180aa3", governor: "0x5FbDB2315678afecb367f032d93F642f64180aa3", timelock: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }, markets: {},
  };

  it("parses, with Multicall3's canonical address by default, and places proof files by chain and root", () => {
    const c = parseAppConfig({ version: 1, proofs: "/proofs/", chains: [chain] });
    expect(c.multicall).to.equal("0xcA11bde05977b3631167028862bE2a173976CA11");
    expect(proofsUrl(c, 56, B.toUpperCase().replace("0X", "0x"))).to.equal(`/proofs/56/${B}/`);
  });

  it("refuses a bad file in one line naming the field", () => {
    expect(() => parseAppConfig({ version: 2, proofs: "/p", chains: [chain] })).to.throw(InputError, /^flux-app\.json: version: /);
    expect(() => parseAppConfig({ version: 1, proofs: "ftp://x", chains: [chain] })).to.throw(InputError, /flux-app\.json: proofs: an http\(s\) URL or a path/);
    expect(() => parseAppConfig({ version: 1, proofs: "/p", chains: [chain, chain] })).to.throw(InputError, /flux-app\.json: chains: chain 56 appears twice/);
    expect(() => parseAppConfig({ version: 1, proofs: "/p", chains: [{ ...chain, contracts: { ...chain.contracts, token: "0x12" } }] })).to.throw(InputError, /flux-app\.json: chains\.0\.contracts\.token: /);
    expect(() => parseAppConfig({ version: 1, proofs: "/p", chains: [] })).to.throw(InputError, /flux-app\.json: chains: /);
  });
});

describe("app: npm run app:build", function () {
  this.timeout(120_000);

  it("builds static pages with flux-app.json from FLUX_APP_CONFIG, refuses a bad config file naming it, and the dev server serves it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flux-app-"));
    const vite = (env: Record<string, string>) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(path.resolve("node_modules/.bin/vite"), ["build", "--config", "app/vite.config.ts", "--outDir", path.join(dir, "dist"), "--emptyOutDir", "--logLevel", "error"], { env: { ...process.env, ...env } }, (e, stdout, stderr) =>
          resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
      });
    try {
      const config = { version: 1, proofs: "https://proofs.example/flux", chains: [{ network: "bsc", name: "BNB Chain", chainId: 56, rpc: "https://bsc-dataseed.bnbchain.org", nativeCurrency: { name: "BNB", symbol: "BNB", decimals: 18 }, deployBlock: 1, contracts: { token: "0x5FbDB2315678afecb367f032d93F642f64180aa3", governor: "0x5FbDB2315678afecb367f032d93F642f64180aa3", timelock: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }, markets: {} }] };
      await writeFile(path.join(dir, "config.json"), JSON.stringify(config));
      const ok = await vite({ FLUX_APP_CONFIG: path.join(dir, "config.json") });
      expect(ok.code, ok.out).to.equal(0);
      expect((await readdir(path.join(dir, "dist"))).sort()).to.include.members(["index.html", "dashboard.html", "flux-app.json", "assets"]);
      expect(parseAppConfig(JSON.parse(await readFile(path.join(dir, "dist", "flux-app.json"), "utf8"))).proofs).to.equal("https://proofs.example/flux");
      // relative asset paths: the pages work from any base URL (a CDN path, an IPFS gateway)
      expect(await readFile(path.join(dir, "dist", "index.html"), "utf8")).to.match(/src="\.\/assets\//);
      await writeFile(path.join(dir, "bad.json"), JSON.stringify({ ...config, proofs: "ftp://x" }));
      const bad = await vite({ FLUX_APP_CONFIG: path.join(dir, "bad.json") });
      expect(bad.code).to.not.equal(0);
      expect(bad.out).to.include(`${path.join(dir, "bad.json")}: proofs: an http(s) URL or a path`);
      // the dev server (npm run app) answers flux-app.json with the config, or with its one-line error
      const saved = process.env.FLUX_APP_CONFIG;
      for (const [file, status, body] of [["config.json", 200, /"proofs":"https:\/\/proofs\.example\/flux"/], ["missing.json", 500, /^FLUX_APP_CONFIG .*missing\.json: cannot read/]] as const) {
        process.env.FLUX_APP_CONFIG = path.join(dir, file);
        const server = await createServer({ configFile: "app/vite.config.ts", logLevel: "error", server: { port: 0 } });
        try {
          await server.listen();
          const res = await fetch(`${server.resolvedUrls!.local[0]!}flux-app.json`);
          expect(res.status).to.equal(status);
          expect(await res.text()).to.match(body);
        } finally {
          await server.close();
          if (saved === undefined) delete process.env.FLUX_APP_CONFIG;
          else process.env.FLUX_APP_CONFIG = saved;
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
