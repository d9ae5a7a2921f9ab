/**
 * `npm start`: the whole lifecycle on three embedded Hardhat networks standing in for Conflux
 * eSpace (1030), BNB Chain (56) and HECO (128), printed in plain words and summed up at the end
 * (demo/start.ts): deployments and manifests, market activity, a Snapshot signal counted across the
 * chains, the risk proposal it carries proposed, voted and executed on the first chain with its
 * liquidation scene, and emissions launched, built, published and claimed on every chain. The
 * summary is also written as a page with charts, reports/start.html.
 */
import hre from "hardhat";
import { runStart } from "../demo/start.js";
import { runCommand } from "../src/core/command.js";

await runCommand(() => runStart(hre, { log: console.log, reportFile: "reports/start.html" }).then(() => undefined), { hre });
