/**
 * The devnet as a process: in the foreground until Ctrl-C, or detached with a pid file so that
 * scripts and tests can wait for it and stop it cleanly.
 *
 * State directory (`.devnet` by default, ignored by git):
 * - `devnet.pid`: `{ "pid": …, "group": true|false }` while a devnet runs (`group`: the pid leads
 *   its own process group, nodes included, as a detached devnet does);
 * - `devnet.json`: written once everything is up: `{ pid, hubUrl, chains: [{ network, chainId, url }] }`;
 * - `devnet.log` (detached only): everything the devnet printed; `<network>.log`: each node's log.
 */
import { spawn } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { z } from "zod";
import { FluxError, InputError } from "../src/core/errors.js";
import { toJson, writeFileAtomic } from "../src/core/fs.js";
import { parseWith } from "../src/core/validate.js";
import { DEVNET_SPACE, HARDHAT_CLI, rpc, startDevnet } from "./devnet.js";


const pidSchema = z.object({ pid: z.number().int().positive(), group: z.boolean() });
export const devnetStateSchema = z.object({
  pid: z.number().int().positive(),
  hubUrl: z.string(),
  chains: z.array(z.object({ network: z.string(), chainId: z.number().int(), url: z.string() })),
});
export type DevnetState = z.output<typeof devnetStateSchema>;

const files = (dir: string) => ({
  pid: path.join(dir, "devnet.pid"),
  state: path.join(dir, "devnet.json"),
  log: path.join(dir, "devnet.log"),
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function readJson<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | null> {
  if (!existsSync(file)) return null;
  return parseWith(schema, JSON.parse(await readFile(file, "utf8")), file);
}

/** The running devnet's pid record, or null (a stale record of a dead process is removed). */
async function runningPid(dir: string): Promise<z.output<typeof pidSchema> | null> {
  const f = files(dir);
  const rec = await readJson(f.pid, pidSchema);
  if (rec && alive(rec.pid)) return rec;
  await rm(f.pid, { force: true });
  await rm(f.state, { force: true });
  return null;
}

/** What the devnet is, and what to try next. */
export function readyText(s: DevnetState, dir: string): string {
  const first = s.chains[0]!.network;
  return [
    "Devnet ready:",
    ...s.chains.map((c) => `  ${c.network.padEnd(15)} chain ${String(c.chainId).padEnd(5)} ${c.url}   deployments/${c.network}.json`),
    `  Snapshot hub    ${s.hubUrl} (space ${DEVNET_SPACE})`,
    "Try:",
    `  npx hardhat emissions status --network ${first}`,
    `  npx hardhat emissions status --networks ${s.chains.map((c) => c.network).join(",")}`,
    `  npx hardhat proposal simulate proposals/0001-raise-weth-collateral-ratio.ts`,
    `Logs in ${dir}/. Stop: Ctrl-C in its terminal, or npx hardhat devnet --stop for a detached devnet.`,
  ].join("\n");
}

/** Runs the devnet in this process until SIGINT or SIGTERM. */
export async function runDevnet(hre: HardhatRuntimeEnvironment, dir: string, log: (line: string) => void): Promise<void> {
  const running = await runningPid(dir);
  if (running) throw new InputError(`a devnet is already running (pid ${running.pid}); stop it with: npx hardhat devnet --stop`);
  const f = files(dir);
  const group = process.env.FLUX_DEVNET_DETACHED === "1";
  await writeFileAtomic(f.pid, toJson({ pid: process.pid, group }));
  let stopped = false;
  let devnet: Awaited<ReturnType<typeof startDevnet>> | undefined;
  const done = new Promise<void>((resolve) => {
    const onSignal = () => {
      if (stopped) return;
      stopped = true;
      log("\nStopping the devnet…");
      void (devnet?.stop() ?? Promise.resolve()).finally(resolve);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  try {
    devnet = await startDevnet(hre, { stateDir: dir, log });
    const state: DevnetState = { pid: process.pid, hubUrl: devnet.hubUrl, chains: devnet.chains.map((c) => ({ network: c.network, chainId: c.chainId, url: c.url })) };
    await writeFileAtomic(f.state, toJson(state));
    log(`\n${readyText(state, dir)}`);
    await done;
  } finally {
    await rm(f.state, { force: true });
    await rm(f.pid, { force: true });
  }
  log("Devnet stopped.");
}

/**
 * Starts the devnet as a detached process group writing to `<dir>/devnet.log`, and returns the
 * ready text once `<dir>/devnet.json` names it (or fails with the log's last lines).
 */
export async function startDetached(dir: string, timeoutMs = 600_000): Promise<string> {
  const running = await runningPid(dir);
  if (running) throw new InputError(`a devnet is already running (pid ${running.pid}); stop it with: npx hardhat devnet --stop`);
  const f = files(dir);
  await writeFileAtomic(f.log, "");
  const out = openSync(f.log, "a");
  const child = spawn(process.execPath, [HARDHAT_CLI, "devnet", "--state", dir], {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, FLUX_DEVNET_DETACHED: "1" },
  });
  closeSync(out);
  child.unref();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await readJson(f.state, devnetStateSchema).catch(() => null);
    if (state && state.pid === child.pid) return `${readyText(state, dir)}\n(detached: pid ${child.pid}, output in ${f.log})`;
    if (child.exitCode !== null || (child.pid !== undefined && !alive(child.pid))) {
      const tail = (await readFile(f.log, "utf8")).trim().split("\n").slice(-3).join(" | ");
      throw new FluxError(`the devnet did not start: ${tail || "no output"} (log: ${f.log})`);
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, "SIGTERM");
      throw new FluxError(`the devnet was not ready within ${timeoutMs / 1000} s (log: ${f.log})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Stops the running devnet (its whole process group when detached) and waits until it is gone. */
export async function stopDevnet(dir: string): Promise<string> {
  const running = await runningPid(dir);
  if (!running) throw new InputError(`no devnet is running (no live pid in ${files(dir).pid})`);
  process.kill(running.group ? -running.pid : running.pid, "SIGTERM");
  const deadline = Date.now() + 30_000;
  while (alive(running.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  if (alive(running.pid)) process.kill(running.group ? -running.pid : running.pid, "SIGKILL");
  await rm(files(dir).pid, { force: true });
  await rm(files(dir).state, { force: true });
  return `devnet stopped (pid ${running.pid})`;
}

/** Seconds from "90", "90s", "15m", "6h" or "3d". */
export function parseDuration(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!m) throw new InputError(`--advance: "${text}" is not a duration (seconds, or a number with s, m, h or d)`);
  return Number(m[1]) * { "": 1, s: 1, m: 60, h: 3_600, d: 86_400 }[m[2] as "" | "s" | "m" | "h" | "d"];
}

/**
 * Moves the clock of every chain of the running devnet `seconds` ahead (evm_increaseTime, then a
 * block), as waiting would: voting periods, timelock delays and challenge windows pass at once.
 */
export async function advanceDevnet(dir: string, seconds: number): Promise<string> {
  const state = (await runningPid(dir)) ? await readJson(files(dir).state, devnetStateSchema) : null;
  if (!state) throw new InputError(`no devnet is running (no live pid in ${files(dir).pid})`);
  const lines: string[] = [];
  for (const c of state.chains) {
    await rpc(c.url, "evm_increaseTime", [seconds]);
    await rpc(c.url, "evm_mine", []);
    const block = (await rpc(c.url, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
    lines.push(`${c.network}: ${new Date(Number(block.timestamp) * 1000).toISOString()}`);
  }
  return `advanced ${seconds} s: ${lines.join(", ")}`;
}
