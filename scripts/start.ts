/**
 * `npm start`: the whole lifecycle on three embedded Hardhat networks standing in for Conflux
 * eSpace (1030), BNB Chain (56) and HECO (128), printed in plain words and summed up at the end:
 * deployments and manifests, market activity, a risk proposal with its liquidation scene on the
 * first chain, and emissions launched, built, published and claimed on every chain (src/start.ts).
 */
import hre from "hardhat";
import { runStart } from "../src/start.js";

await runStart(hre, { log: console.log });
