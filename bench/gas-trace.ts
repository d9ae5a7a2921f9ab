/**
 * Gas of one mined transaction split by what it did, from the node's `debug_traceTransaction`
 * opcode trace (real figures, not arithmetic): each storage read and write (cold or warm, by
 * slot), transient-storage ops, event logs, and external calls (the gas a call consumed in the
 * caller's frame: its access cost, the callee's execution and the returned gas netted out).
 * Used by the claims bench to say what a claim pays for.
 */

/** One opcode step as debug_traceTransaction reports it (geth's struct logger format). */
interface StructLog {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
}

interface Trace {
  gas: number;
  structLogs: StructLog[];
}

export interface TxGasBreakdown {
  /** Total gas of the transaction (receipt). */
  total: bigint;
  /** SLOADs at the top frame's storage, in order: slot (0x-hex) and cost. */
  sloads: { slot: string; cost: number }[];
  /** SSTOREs, in order: slot and cost. */
  sstores: { slot: string; cost: number }[];
  /** TLOAD + TSTORE cost (a transient reentrancy guard). */
  transient: number;
  /** LOGn cost (the events). */
  logs: number;
  /**
   * External CALLs / STATICCALLs made by the executing code: target and gas consumed in all
   * (with an EXTCODESIZE check of the target before the call, as older compilers emit, counted
   * in: that check pays the target's cold access).
   */
  calls: { to: string; gas: number }[];
  /** Execution gas of the transaction (total minus intrinsic: base fee and calldata). */
  executed: number;
  /**
   * Behind a proxy (the top frame DELEGATECALLs): the proxy's own cost, i.e. everything the top
   * frame spent outside the delegated code's execution (implementation-slot SLOAD, the
   * DELEGATECALL's cold access, calldata and returndata copies). Undefined for a direct call.
   */
  proxy: number | undefined;
}

const word = (x: string | undefined) => `0x${(x ?? "0x0").replace(/^0x/, "").padStart(64, "0")}`;
const addr = (x: string | undefined) => `0x${word(x).slice(-40)}`;

/** Gas consumed by the call made at `logs[i]`: gas before it minus gas at the caller's next step. */
function consumed(logs: StructLog[], i: number): number {
  const depth = logs[i]!.depth;
  for (let j = i + 1; j < logs.length; j++) {
    if (logs[j]!.depth === depth) return logs[i]!.gas - logs[j]!.gas;
  }
  return logs[i]!.gas; // the call was the last thing the transaction did
}

/**
 * Splits a mined transaction's gas (`total`, from its receipt). The called contract's own code runs
 * in the top frame, or one frame down when the top frame DELEGATECALLs (a proxy); its SLOADs,
 * SSTOREs, transient ops, logs and calls are counted there.
 */
export async function traceGas(
  provider: { send(method: string, params: unknown[]): Promise<unknown> },
  hash: string,
  total: bigint,
): Promise<TxGasBreakdown> {
  const trace = (await provider.send("debug_traceTransaction", [hash, { disableMemory: true, disableStorage: true }])) as Trace;
  const logs = trace.structLogs;
  const top = logs[0]?.depth ?? 1;
  const delegateAt = logs.findIndex((l) => l.depth === top && l.op === "DELEGATECALL");
  const codeDepth = delegateAt >= 0 ? top + 1 : top;
  const last = logs.at(-1)!;
  const executed = logs[0]!.gas - (last.gas - last.gasCost);
  const out: TxGasBreakdown = { total, executed, sloads: [], sstores: [], transient: 0, logs: 0, calls: [], proxy: undefined };
  for (let i = 0; i < logs.length; i++) {
    const l = logs[i]!;
    if (l.depth < top) continue;
    const stackTop = l.stack?.[l.stack.length - 1];
    if (l.depth === codeDepth) {
      if (l.op === "SLOAD") out.sloads.push({ slot: word(stackTop), cost: l.gasCost });
      else if (l.op === "SSTORE") out.sstores.push({ slot: word(stackTop), cost: l.gasCost });
      else if (l.op === "TLOAD" || l.op === "TSTORE") out.transient += l.gasCost;
      else if (l.op.startsWith("LOG")) out.logs += l.gasCost;
      else if (l.op === "CALL" || l.op === "STATICCALL") out.calls.push({ to: addr(l.stack?.[l.stack.length - 2]), gas: consumed(logs, i) });
      else if (l.op === "EXTCODESIZE") out.calls.push({ to: addr(stackTop), gas: l.gasCost });
    }
  }
  if (delegateAt >= 0) {
    const inner = logs.filter((l, i) => i > delegateAt && l.depth === codeDepth);
    const innerLast = inner.at(-1)!;
    out.proxy = executed - (inner[0]!.gas - (innerLast.gas - innerLast.gasCost));
  }
  return out;
}
