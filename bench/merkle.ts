/**
 * Benchmark of the reward Merkle tree builder (`src/merkle/`) against its peers, for
 * `npm run bench`: tree plus every proof for 10k, 100k and 1M accounts, with
 * - the keccak floor: raw keccak256 throughput on 64-byte messages (our generated WebAssembly,
 *   and ethers' keccak256, which is @noble/hashes, one call per hash) and the time 4n-1 hashes
 *   take at that rate — a build hashes n checksums, 2n leaf hashes and n-1 nodes;
 * - ours: `buildRewardTree` (every proof materialized as node indices), and optionally the whole
 *   output directory written (tree.json, root.json, proof files), and the whole command
 *   (`npx hardhat emissions tree`) as a child process; verify's rebuild with @noble/hashes;
 * - @openzeppelin/merkle-tree: `StandardMerkleTree.of` + `getProof` of every value (same tree:
 *   the root is compared with ours);
 * - merkletreejs: `new MerkleTree(leaves, keccak256, { sortPairs: true })` + `getHexProof` of
 *   every leaf, leaves hashed with ethers. A throughput peer only: its tree differs (leaves are
 *   not sorted, an odd node is promoted rather than paired), so its root differs.
 *
 * Every measurement runs in a fresh child process (`merkle-runner.ts`), so its peak RSS
 * (`process.resourceUsage().maxRSS`) is its own; the input is the same JSON file for all (what an
 * operator reads), parsed before the clock starts. Peers are capped by a timeout and skipped at a
 * size where their previous size's time, scaled linearly, already exceeds it.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildRewardTree } from "../src/merkle/index.js";
import { keccakModule } from "../src/merkle/wasm/keccak-module.js";
import type { RunnerImpl, RunnerResult, RunnerSpec } from "./merkle-runner.js";
import { rng } from "./random.js";

export type MerklePeer = "openzeppelin" | "merkletreejs";

export interface MerkleBenchOptions {
  /** Numbers of accounts (default 10k, 100k, 1M). */
  sizes?: number[];
  /** Hard cap of one peer run, ms (default 120 s). */
  peerTimeoutMs?: number;
  /** Hard cap of one of our runs, ms (default 300 s). */
  oursTimeoutMs?: number;
  /** Peers to measure (default both). */
  peers?: MerklePeer[];
  /** Also measure writing the output directory (default true). */
  write?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

export type MerkleRowKind = "keccak-floor" | "ours" | "ours-write" | "command" | "verify" | MerklePeer;

export interface MerkleBenchRow {
  size: number;
  kind: MerkleRowKind;
  label: string;
  status: "ok" | "timeout" | "skipped" | "failed" | "unavailable";
  seconds?: number;
  cpuSeconds?: number;
  peakRssMiB?: number;
  /** RSS with the input loaded, before the measured work. */
  baseRssMiB?: number;
  /** For peers: peer time / our time in the same run (how many times faster ours is). */
  oursFaster?: number;
  /** For ours: our time / the one-core keccak floor at this size. */
  ofKeccakFloor?: number;
  /** For ours: share of the hashing tasks the helper thread ran. */
  workerShare?: number;
  root?: string;
  phases?: Record<string, number>;
  /** For the whole command: the largest index file plus the largest node file (KiB), the most one lookup fetches. */
  lookupKiB?: number;
  note?: string;
}

export interface KeccakRate {
  label: string;
  hashesPerSecond: number;
}

export interface MerkleBenchResult {
  title: string;
  text: string;
  rows: MerkleBenchRow[];
  keccak: KeccakRate[];
}

const RUNNER = fileURLToPath(new URL("./merkle-runner.ts", import.meta.url));
const REPO = fileURLToPath(new URL("..", import.meta.url));
const LABELS: Record<MerkleRowKind, string> = {
  "keccak-floor": "keccak floor (4n-1 hashes, 1 core)",
  ours: "ours (tree + all proofs)",
  "ours-write": "ours + write output dir",
  command: "npx hardhat emissions tree (whole command)",
  verify: "verify's rebuild (@noble/hashes)",
  openzeppelin: "@openzeppelin/merkle-tree",
  merkletreejs: "merkletreejs (other tree)",
};

type ChildOutcome = { status: "ok"; result: RunnerResult } | { status: "timeout" } | { status: "failed" | "unavailable"; error: string };

/** Runs one measurement in a fresh Node process. */
function runChild(spec: RunnerSpec, timeoutMs: number): Promise<ChildOutcome> {
  let loader: string;
  try {
    loader = import.meta.resolve("tsx/esm");
  } catch {
    return Promise.resolve({ status: "failed", error: "cannot resolve tsx (Hardhat's TypeScript loader) for the child process" });
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", loader, "--expose-gc", "--max-old-space-size=8192", RUNNER, JSON.stringify(spec)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ status: "timeout" });
      const line = stdout.trim().split("\n").pop() ?? "";
      if (code === 0 && line.startsWith("{")) return resolve({ status: "ok", result: JSON.parse(line) as RunnerResult });
      const error = /Cannot find (package|module) 'merkletreejs'/.test(stderr)
        ? "not installed"
        : /heap out of memory|Allocation failed/.test(stderr)
          ? "out of memory"
          : (stderr.trim().split("\n").find((l) => /Error/.test(l)) ?? `exit ${code ?? signal}`).slice(0, 120);
      resolve({ status: error === "not installed" ? "unavailable" : "failed", error });
    });
  });
}

/** Deterministic input: n distinct accounts (checksummed, as an allocation yields them) and wei amounts. */
function makeInput(n: number, seed: number): [string, string][] {
  const rnd = rng(seed);
  const raw = Buffer.alloc(20);
  const entries: { account: string; amount: bigint }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 5; j++) raw.writeUInt32BE(rnd(), 4 * j);
    // up to ~4.3e9 FLUX-wei multiples of 1e9: realistic 1e9..1e24 wei amounts, some repeated
    entries.push({ account: "0x" + raw.toString("hex"), amount: BigInt(rnd() % 1000 === 0 ? 1000 : rnd()) * BigInt(rnd() % 1_000_000_000 || 1) * 1_000_000n });
  }
  // checksummed spellings (the builder verifies them), computed with our own builder
  const accounts = buildRewardTree(entries).accounts;
  return entries.map((e, i) => [accounts[i]!, e.amount.toString()]);
}

/**
 * The whole `npx hardhat emissions tree` as an operator runs it, in a child process from its start
 * to every file written and flushed: wall time, peak RSS (/usr/bin/time -v), its progress lines,
 * and the largest index and node files it wrote.
 */
async function measureCommand(size: number, jsonInput: string, dir: string, timeoutMs: number, log: (line: string) => void): Promise<MerkleBenchRow> {
  log(`${fmtCount(size)} entries: ${LABELS.command} …`);
  const csv = path.join(dir, `input-${size}.csv`);
  const rows = JSON.parse(await readFile(jsonInput, "utf8")) as [string, string][];
  await writeFile(csv, "account,amount\n" + rows.map(([a, v]) => `${a},${v}`).join("\n") + "\n");
  const out = path.join(dir, `out-${size}`);
  const row: MerkleBenchRow = { size, kind: "command", label: LABELS.command, status: "failed" };
  flushDisk();
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-v", "npx", "hardhat", "emissions", "tree", "--input", csv, "--out", out], {
    cwd: REPO, encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 26,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) return { ...row, note: (r.stderr ?? "").trim().split("\n").slice(-3).join(" ").slice(0, 160) };
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const sizes = async (sub: string) => Math.max(...(await Promise.all((await readdir(path.join(out, "proofs", sub))).map(async (f) => (await stat(path.join(out, "proofs", sub, f))).size))));
  const [maxIndex, maxNode] = [await sizes("index"), await sizes("nodes")];
  const steps = r.stderr.split("\n").filter((l) => /… .*\(\d+\.\d s\)$/.test(l)).join("; ");
  const cpu = ["User", "System"].map((k) => Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN));
  await rm(csv, { force: true }); // (the output stays until the bench ends: see `flushDisk`)
  return {
    ...row,
    status: "ok",
    seconds: ms / 1000,
    cpuSeconds: cpu[0]! + cpu[1]!,
    peakRssMiB: rss ? Number(rss[1]) / 1024 : undefined,
    lookupKiB: (maxIndex + maxNode) / 1024,
    note: `largest index file ${(maxIndex / 1024).toFixed(1)} KiB, node file ${(maxNode / 1024).toFixed(1)} KiB (one lookup ≤ ${((maxIndex + maxNode) / 1024).toFixed(1)} KiB); ${steps}`,
  };
}

/**
 * Flushes the file system before a measured write (outside its clock), so that the measured
 * command's own flush (syncfs) writes only its own files. The outputs written by the bench stay
 * in its directory until the bench ends, rather than being removed after each measurement:
 * ext4 without a journal (as on the machine these figures come from) skips inodes freed in the
 * last minute when it allocates one, looking each of them up, so creating the proof files of 1M
 * accounts within a minute of removing another such directory took 1 to 3 s more system time
 * (12,288 files in the v1 layout). That cost belongs to the bench's own clean-up, not to the
 * command an operator runs once an epoch. (An operator who replaces a directory with `--force`
 * and runs the command again within the minute pays it.)
 */
function flushDisk(): void {
  spawnSync("sync", [], { stdio: "ignore" });
}

/** A peer's time and CPU as multiples of another row's ("12.3× time, 8.0× CPU of"). */
function ratios(peer: MerkleBenchRow, of: MerkleBenchRow): string {
  const cpu = peer.cpuSeconds && of.cpuSeconds ? `, ${(peer.cpuSeconds / of.cpuSeconds).toFixed(1)}× CPU of` : " of";
  return `${(peer.seconds! / of.seconds!).toFixed(1)}× time${cpu}`;
}

function fmtSeconds(ms: number): string {
  const s = ms / 1000;
  return s >= 100 ? s.toFixed(0) + " s" : s >= 10 ? s.toFixed(1) + " s" : s >= 0.1 ? s.toFixed(2) + " s" : s.toFixed(3) + " s";
}

function fmtCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** Runs the benchmark; `text` is a printable section, `rows` the same data. */
export async function merkleBench(opts: MerkleBenchOptions = {}): Promise<MerkleBenchResult> {
  const sizes = opts.sizes ?? [10_000, 100_000, 1_000_000];
  const peerTimeoutMs = opts.peerTimeoutMs ?? 120_000;
  const oursTimeoutMs = opts.oursTimeoutMs ?? 300_000;
  const peers = opts.peers ?? ["openzeppelin", "merkletreejs"];
  const write = opts.write ?? true;
  const log = opts.log ?? ((): void => undefined);
  const loadStart = os.loadavg()[0]!;
  const rows: MerkleBenchRow[] = [];
  const dir = await mkdtemp(path.join(os.tmpdir(), "flux-merkle-bench-"));

  try {
    // 1. keccak throughput on 64-byte messages
    const keccak: KeccakRate[] = [];
    const keccakRuns: [RunnerImpl, string, number][] = [
      ["keccak-wasm", `generated WebAssembly${keccakModule().simd ? " (SIMD, 2 lanes)" : " (scalar)"}, batched`, 4_000_000],
      ["keccak-ethers", "ethers keccak256 (@noble/hashes), one call each", 200_000],
    ];
    for (const [impl, label, count] of keccakRuns) {
      log(`keccak: ${label} …`);
      const r = await runChild({ impl, size: count }, oursTimeoutMs);
      if (r.status === "ok") keccak.push({ label, hashesPerSecond: count / (r.result.ms / 1000) });
    }
    const floorRate = keccak[0]?.hashesPerSecond;

    // 2. per size: ours, then the peers
    const lastPeer = new Map<MerklePeer, { size: number; ms: number }>();
    for (const size of sizes) {
      log(`${fmtCount(size)} entries: generating input …`);
      const input = path.join(dir, `input-${size}.json`);
      await writeFile(input, JSON.stringify(makeInput(size, size)));

      if (floorRate) {
        rows.push({ size, kind: "keccak-floor", label: LABELS["keccak-floor"], status: "ok", seconds: (4 * size - 1) / floorRate });
      }
      const measure = async (kind: Exclude<MerkleRowKind, "keccak-floor" | "command">, timeoutMs: number): Promise<MerkleBenchRow> => {
        log(`${fmtCount(size)} entries: ${LABELS[kind]} …`);
        let outDir: string | undefined;
        if (kind === "ours-write") {
          outDir = await mkdtemp(path.join(dir, `ours-write-${size}-`));
          flushDisk();
        }
        const r = await runChild({ impl: kind, size, input, outDir }, timeoutMs);
        const row: MerkleBenchRow = { size, kind, label: LABELS[kind], status: r.status };
        if (r.status === "ok") {
          Object.assign(row, {
            seconds: r.result.ms / 1000,
            cpuSeconds: r.result.cpuMs / 1000,
            peakRssMiB: r.result.peakRssMiB,
            baseRssMiB: r.result.baseRssMiB,
            root: r.result.root,
            phases: r.result.phases,
          });
          const d = r.result.detail;
          if (d?.leafMs !== undefined) row.note = `incl. ${fmtSeconds(Number(d.leafMs))} hashing leaves with ethers`;
          if (d?.tasks !== undefined) row.workerShare = Number(d.tasks) ? Number(d.workerTasks) / Number(d.tasks) : 0;
        } else if (r.status === "timeout") {
          row.note = `killed at the ${fmtSeconds(timeoutMs)} cap`;
        } else {
          row.note = r.error;
        }
        rows.push(row);
        return row;
      };

      const ours = await measure("ours", oursTimeoutMs);
      if (ours.seconds !== undefined && floorRate) ours.ofKeccakFloor = ours.seconds / ((4 * size - 1) / floorRate);
      if (write) await measure("ours-write", oursTimeoutMs);
      await measure("verify", oursTimeoutMs);
      if (write) rows.push(await measureCommand(size, input, dir, oursTimeoutMs, log));

      for (const peer of peers) {
        const prev = lastPeer.get(peer);
        const projected = prev ? (prev.ms * size) / prev.size : 0;
        if (prev && projected > peerTimeoutMs) {
          rows.push({
            size,
            kind: peer,
            label: LABELS[peer],
            status: "skipped",
            note: `projected ≥ ${fmtSeconds(projected)} from ${fmtCount(prev.size)} (cap ${fmtSeconds(peerTimeoutMs)})`,
          });
          continue;
        }
        const row = await measure(peer, peerTimeoutMs);
        if (row.seconds !== undefined) {
          lastPeer.set(peer, { size, ms: row.seconds * 1000 });
          if (ours.seconds) row.oursFaster = row.seconds / ours.seconds;
          const command = rows.find((r) => r.kind === "command" && r.size === size);
          if (command?.seconds) row.note = `${row.note ? row.note + "; " : ""}${ratios(row, command)} the whole command's`;
          if (peer === "openzeppelin") row.note = row.root === ours.root ? "same root as ours" : `ROOT DIFFERS from ours (${row.root})`;
        } else if (row.status === "timeout") {
          lastPeer.set(peer, { size, ms: Number.POSITIVE_INFINITY });
          const command = rows.find((r) => r.kind === "command" && r.size === size);
          if (command?.seconds) row.note = `${row.note}: > ${(peerTimeoutMs / 1000 / command.seconds).toFixed(1)}× the whole command's time`;
        }
      }
      await rm(input, { force: true });
    }

    const loadEnd = os.loadavg()[0]!;
    const title = "Merkle tree of reward claims: tree + every proof";
    const text = render({ title, rows, keccak, sizes, peerTimeoutMs, loadStart, loadEnd });
    return { title, text, rows, keccak };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function render(o: {
  title: string;
  rows: MerkleBenchRow[];
  keccak: KeccakRate[];
  sizes: number[];
  peerTimeoutMs: number;
  loadStart: number;
  loadEnd: number;
}): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines: string[] = [];
  lines.push(o.title);
  lines.push("=".repeat(o.title.length));
  lines.push(`machine: ${cpu.trim()}, ${os.availableParallelism()} cores, Node ${process.version}; load average ${o.loadStart.toFixed(1)} at start, ${o.loadEnd.toFixed(1)} at end`);
  if (Math.max(o.loadStart, o.loadEnd) > os.availableParallelism() * 0.75) {
    lines.push("  (the machine was busy with other work: wall times are inflated; CPU times are the steadier measure)");
  }
  lines.push("keccak256 of 64-byte messages:");
  for (const k of o.keccak) lines.push(`  ${(k.hashesPerSecond / 1e6).toFixed(2).padStart(6)} M hashes/s  ${k.label}`);
  lines.push("");
  const header = ["entries", "implementation", "time", "CPU", "peak RSS", "input RSS", "ours faster", "note"];
  const table: string[][] = [header];
  for (const r of o.rows) {
    const time =
      r.status === "ok" ? fmtSeconds(r.seconds! * 1000) : r.status === "timeout" ? `> ${fmtSeconds(o.peerTimeoutMs)}` : r.status;
    const note =
      r.kind === "ours" && r.ofKeccakFloor !== undefined
        ? `${r.ofKeccakFloor.toFixed(2)}× the 1-core keccak floor` +
          (r.workerShare ? `; helper thread hashed ${(100 * r.workerShare).toFixed(0)}% of the tasks` : "; one thread")
        : r.kind === "ours-write" && r.phases?.["write output"] !== undefined
          ? `of which writing ${fmtSeconds(r.phases["write output"])}`
          : (r.note ?? "");
    table.push([
      fmtCount(r.size),
      r.label,
      time,
      r.cpuSeconds !== undefined ? fmtSeconds(r.cpuSeconds * 1000) : "",
      r.peakRssMiB !== undefined ? `${r.peakRssMiB.toFixed(0)} MiB` : "",
      r.baseRssMiB !== undefined ? `${r.baseRssMiB.toFixed(0)} MiB` : "",
      r.oursFaster !== undefined ? `${r.oursFaster.toFixed(1)}×` : "",
      note,
    ]);
  }
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const right = new Set([0, 2, 3, 4, 5, 6]);
  for (const [i, row] of table.entries()) {
    lines.push(row.map((cell, c) => (c === row.length - 1 ? cell : right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd());
    if (i === 0) lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  }
  lines.push("");
  lines.push("time: wall clock of the measured work in a fresh process (input already parsed); CPU: all threads of that process.");
  lines.push("peak RSS: the whole process (Node itself and the parsed input included); input RSS: the same before the work.");
  lines.push(
    "keccak floor: 4n-1 hashes (n EIP-55 checksums, 2n leaf hashes, n-1 nodes) at the generated WebAssembly's one-thread rate; " +
      "from 50,000 entries the builder shares the hashing with one helper thread, so it can go below it on 2 cores.",
  );
  if (o.rows.some((r) => r.kind === "ours-write")) {
    lines.push("ours + write output: the build plus tree.json, root.json and the proof files (layout, index, nodes) written and flushed to disk.");
    lines.push("whole command: `npx hardhat emissions tree --input <csv> --out <dir>` in a child process, from its start to every file flushed (syncfs), peak RSS by /usr/bin/time -v.");
  }
  lines.push(
    `peers: each run is killed at ${fmtSeconds(o.peerTimeoutMs)} ("> cap"); a peer is not started at a size where its time at the ` +
      "previous size, scaled linearly, already exceeds the cap (\"skipped\"). merkletreejs builds a different tree (unsorted " +
      "leaves, odd node promoted) from the same leaf hashes: compare its throughput only.",
  );
  return lines.join("\n");
}
