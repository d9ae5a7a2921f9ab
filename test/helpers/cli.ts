/** Running commands as a user does, in child processes: exit code and output, never a throw on failure. */
import { execFile, type ExecFileOptions } from "node:child_process";
import { promisify } from "node:util";
import { HARDHAT_CLI } from "../../local/devnet.js";

const run = promisify(execFile);

/** `file args…` in a child process: its exit code and its stdout followed by its stderr. */
export async function exec(file: string, args: string[], opts: ExecFileOptions = {}): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { maxBuffer: 16 << 20, ...opts, encoding: "utf8" });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const { code, stdout = "", stderr = "" } = e as { code?: number; stdout?: string; stderr?: string };
    return { code: code ?? 1, out: stdout + stderr };
  }
}

/** `npx hardhat args…` (Hardhat's CLI under this Node). */
export const hardhat = (...args: string[]) => exec(process.execPath, [HARDHAT_CLI, ...args]);
