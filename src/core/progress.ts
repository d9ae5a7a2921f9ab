/**
 * Progress of a long command on stderr, one line per step: a step that takes at least a second
 * prints `<label>… <result> (<seconds> s)` when it ends, and a step that counts its work prints
 * `<label>… <done>/<total>` at most once a second meanwhile. Quick steps print nothing.
 */

/** Reports how far a step is (done of total). */
export type Tick = (done: number, total: number) => void;

export interface StepsOptions {
  /** Where lines go (default: stderr). */
  write?: (line: string) => void;
  /** Steps shorter than this print nothing, and ticks come at most this often (ms, default 1000). */
  minMs?: number;
}

/** The steps of one command. */
export class Steps {
  private readonly write: (line: string) => void;
  private readonly minMs: number;
  constructor(o: StepsOptions = {}) {
    this.write = o.write ?? ((line) => process.stderr.write(line + "\n"));
    this.minMs = o.minMs ?? 1000;
  }

  /** Runs `work` as the step `label`; `result` words what it produced for the closing line. */
  async run<T>(label: string, work: (tick: Tick) => Promise<T> | T, result?: (value: T) => string): Promise<T> {
    const start = performance.now();
    let last = start;
    const tick: Tick = (done, total) => {
      const now = performance.now();
      if (now - last < this.minMs || done >= total) return;
      last = now;
      this.write(`${label}… ${count(done)}/${count(total)}`);
    };
    const value = await work(tick);
    const ms = performance.now() - start;
    if (ms >= this.minMs) this.write(`${label}… ${result ? result(value) + " " : ""}(${(ms / 1000).toFixed(1)} s)`);
    return value;
  }
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
