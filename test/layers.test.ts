/**
 * The layer check (`npm run check:layers`, run by CI) accepts this repository and refuses what
 * it exists to refuse: an import cycle, an upward import between the modules of src/, the toolkit
 * importing the demo or the app, the app's page code importing a local service, and a directory
 * of src/ that is not a declared layer.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "mocha";

const run = promisify(execFile);
const DEPCRUISE = path.resolve("node_modules", ".bin", "depcruise");

async function cruise(cwd: string, dirs: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run(DEPCRUISE, [...dirs, "--config", ".dependency-cruiser.cjs"], { cwd });
    return { ok: true, output: stdout };
  } catch (e) {
    const { stdout = "", stderr = "" } = e as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

describe("layers", function () {
  this.timeout(120_000);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "flux-layers-"));
    await cp(".dependency-cruiser.cjs", path.join(dir, ".dependency-cruiser.cjs"));
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "node16", moduleResolution: "node16", strict: true } }));
    const files: Record<string, string> = {
      // an upward import: core may import nothing else from src/
      "src/core/a.ts": 'import { b } from "../deploy/b.js";\nexport const a = b;\n',
      "src/deploy/b.ts": "export const b = 1;\n",
      // a cycle inside one module
      "src/emissions/x.ts": 'import { y } from "./y.js";\nexport const x = () => y;\n',
      "src/emissions/y.ts": 'import { x } from "./x.js";\nexport const y = () => x;\n',
      // the toolkit importing the demo
      "src/governance/g.ts": 'import { d } from "../../demo/d.js";\nexport const g = d;\n',
      "demo/d.ts": "export const d = 1;\n",
      // a directory of src/ that is not a layer
      "src/misc/m.ts": 'import { b } from "../deploy/b.js";\nexport const m = b;\n',
      "src/snapshot/s.ts": 'import { m } from "../misc/m.js";\nexport const s = m;\n',
      // the app's page code reading a local service, and the toolkit reading the app
      "app/src/p.ts": 'import { l } from "../../local/l.js";\nexport const p = l;\n',
      "local/l.ts": "export const l = 1;\n",
      "src/tally/t.ts": 'import { p } from "../../app/src/p.js";\nexport const t = p;\n',
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("finds no violation in this repository", async () => {
    const r = await cruise(process.cwd(), ["src", "app", "demo", "reports", "bench", "local", "scripts", "test"]);
    expect(r.ok, r.output).to.equal(true);
    expect(r.output).to.match(/no dependency violations found/);
  });

  it("refuses a cycle, an upward import, the toolkit importing the demo, and an undeclared module", async () => {
    const r = await cruise(dir, ["src", "app", "demo", "local"]);
    expect(r.ok).to.equal(false);
    expect(r.output).to.match(/error layer-core: src\/core\/a\.ts → src\/deploy\/b\.ts/);
    expect(r.output).to.match(/error no-circular: src\/emissions\/(x|y)\.ts/);
    expect(r.output).to.match(/error toolkit-stands-alone: src\/governance\/g\.ts → demo\/d\.ts/);
    expect(r.output).to.match(/error unknown-src-module: src\/snapshot\/s\.ts → src\/misc\/m\.ts/);
    expect(r.output).to.match(/error page-stands-alone: app\/src\/p\.ts → local\/l\.ts/);
    expect(r.output).to.match(/error toolkit-stands-alone: src\/tally\/t\.ts → app\/src\/p\.ts/);
  });
});
