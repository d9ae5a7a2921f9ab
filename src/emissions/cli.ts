/**
 * Shared pieces of the emissions commands: time parsing, progress bars, and the
 * connection + manifest of the selected network.
 */
import cliProgress from "cli-progress";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { readManifest, type Manifest } from "../manifest/index.js";
import { InputError } from "../core/errors.js";
import type { Connection } from "../core/types.js";

/** Unix seconds from "1767225600" or an ISO date-time. */
export function parseTime(text: string, name: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new InputError(`--${name}: "${text}" is neither unix seconds nor an ISO date-time`);
  }
  return Math.floor(ms / 1000);
}

export interface NetworkContext {
  conn: Connection;
  manifest: Manifest;
}

/** Connects to the selected network and reads its deployment manifest. */
export async function networkContext(hre: HardhatRuntimeEnvironment): Promise<NetworkContext> {
  const conn = await hre.network.create();
  const manifest = await readManifest(conn.networkName);
  const chainId = Number((await conn.ethers.provider.getNetwork()).chainId);
  if (chainId !== manifest.chainId) {
    throw new InputError(`deployments/${conn.networkName}.json is for chain ${manifest.chainId}, but the network is chain ${chainId}`);
  }
  return { conn, manifest };
}

/** A progress bar on stderr (silent when not a terminal). */
export function progress(label: string) {
  const bar = new cliProgress.SingleBar(
    { format: `${label} {bar} {percentage}% | {value}/{total}`, stream: process.stderr, noTTYOutput: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
