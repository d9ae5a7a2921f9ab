/** The compiler is the npm `solc` package, so its version must equal the configured one. */
import { expect } from "chai";
import { createRequire } from "node:module";
import { describe, it } from "mocha";
import { SOLC_VERSION } from "../hardhat.config.js";

describe("toolchain", () => {
  it("compiles with the installed npm solc version", () => {
    const require = createRequire(import.meta.url);
    const pkg = require("solc/package.json") as { version: string };
    expect(pkg.version).to.equal(SOLC_VERSION);
    expect(Number(process.versions.node.split(".")[0])).to.be.at.least(22);
  });
});
