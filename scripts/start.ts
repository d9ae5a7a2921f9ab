/**
 * `npm start`: the whole lifecycle on the embedded Hardhat network, printed in plain words.
 * Deploys FLUX governance with the network's validated config, writes the manifest, then carries
 * one governance proposal (halve the voting period) through its whole life.
 */
import hre from "hardhat";
import { runStart } from "../src/start.js";

await runStart(hre, { log: console.log });
