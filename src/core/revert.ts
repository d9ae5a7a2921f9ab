/**
 * Reverts and failures of a chain or a JSON-RPC endpoint, in one line.
 *
 * {@link RevertDecoder} decodes revert data against a set of ABIs (every compiled contract and
 * interface of the repository, see {@link decoderFromArtifacts}): `Name(arg1, arg2)` with the
 * arguments decoded, a `bytes32` that holds a short ASCII string shown as that string
 * (`"collateralRatio"`), `Error(string)` and `Panic(uint256)` spelled out, an unknown selector as
 * the raw 4 bytes. {@link revertData} finds the data wherever ethers, Hardhat or a JSON-RPC node
 * put it. {@link describeFailure} turns any thrown value into a {@link FluxError}: a revert into a
 * {@link RevertError}, an endpoint that cannot be reached into an {@link UnreachableError} naming
 * it, a Hardhat error (a missing configuration variable…) into an {@link InputError} with its
 * message; anything else stays unknown (a bug).
 */
import { ErrorFragment, Interface, type ParamType, getAddress, Result } from "ethers";
import { ChainStateError, FluxError, InputError, RemoteError, RevertError, UnreachableError, messageOf } from "./errors.js";

/** What Hardhat's `hre.artifacts` offers, structurally (core does not import Hardhat). */
export interface ArtifactsLike {
  getAllFullyQualifiedNames(): Promise<ReadonlySet<string> | Iterable<string>>;
  readArtifact(name: string): Promise<{ abi: readonly unknown[] }>;
}

const PANIC_REASONS: Record<number, string> = {
  0x00: "generic compiler panic",
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "invalid storage byte array",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialized function",
};

/** The text a bytes32 holds when it is a short ASCII string right-padded with zeros, else null. */
export function shortString(bytes32: string): string | null {
  if (!/^0x[0-9a-fA-F]{64}$/.test(bytes32)) return null;
  const hex = bytes32.slice(2).replace(/(00)+$/, "");
  if (hex.length === 0 || hex.length % 2 !== 0) return null;
  let text = "";
  for (let i = 0; i < hex.length; i += 2) {
    const c = parseInt(hex.slice(i, i + 2), 16);
    if (c < 0x20 || c > 0x7e) return null;
    text += String.fromCharCode(c);
  }
  return text;
}

/** One decoded value, as a person reads it. */
function formatValue(type: ParamType, value: unknown): string {
  if (type.baseType === "array") {
    const items = [...(value as Iterable<unknown>)];
    return `[${items.map((v) => formatValue(type.arrayChildren!, v)).join(", ")}]`;
  }
  if (type.baseType === "tuple") {
    const items = [...(value as Iterable<unknown>)];
    return `(${type.components!.map((c, i) => formatValue(c, items[i])).join(", ")})`;
  }
  if (type.type === "bytes32" && typeof value === "string") return shortString(value) !== null ? JSON.stringify(shortString(value)) : value;
  if (type.type === "address" && typeof value === "string") return getAddress(value);
  if (type.type === "string") return JSON.stringify(value);
  return String(value);
}

/** Decodes revert data against a set of ABIs. */
export class RevertDecoder {
  readonly #errors = new Map<string, ErrorFragment>();

  /** `abis`: ABIs (JSON arrays or ethers Interfaces); the first fragment of a selector wins. */
  constructor(abis: Iterable<readonly unknown[] | Interface> = []) {
    for (const abi of abis) {
      const iface = abi instanceof Interface ? abi : safeInterface(abi);
      if (!iface) continue;
      iface.forEachError((f) => {
        if (!this.#errors.has(f.selector)) this.#errors.set(f.selector, f);
      });
    }
  }

  /** How many custom errors it knows. */
  get size(): number {
    return this.#errors.size;
  }

  /**
   * `Name(arg1, arg2)`; `Error("reason")`; `Panic(0x11: arithmetic overflow or underflow)`; an
   * unknown selector as `0x12345678` (with its arguments' bytes elided); empty data as
   * `(no reason given)`.
   */
  decode(data: string): string {
    if (data === "0x" || data === "") return "(no reason given)";
    const selector = data.slice(0, 10).toLowerCase();
    const builtin = Interface.from([]);
    try {
      if (selector === "0x08c379a0") return `Error(${JSON.stringify(builtin.getAbiCoder().decode(["string"], "0x" + data.slice(10))[0])})`;
      if (selector === "0x4e487b71") {
        const code = Number(builtin.getAbiCoder().decode(["uint256"], "0x" + data.slice(10))[0]);
        const hex = `0x${code.toString(16).padStart(2, "0")}`;
        return `Panic(${PANIC_REASONS[code] ? `${hex}: ${PANIC_REASONS[code]}` : hex})`;
      }
    } catch {
      return selector;
    }
    const f = this.#errors.get(selector);
    if (!f) return selector;
    let values: Result;
    try {
      values = builtin.getAbiCoder().decode(f.inputs, "0x" + data.slice(10));
    } catch {
      return `${f.name}(<undecodable arguments>)`;
    }
    return `${f.name}(${f.inputs.map((t, i) => formatValue(t, values[i])).join(", ")})`;
  }
}

function safeInterface(abi: readonly unknown[]): Interface | null {
  try {
    return new Interface(abi as never);
  } catch {
    return null;
  }
}

/** A decoder of every custom error in every compiled artifact (`hre.artifacts`). */
export async function decoderFromArtifacts(artifacts: ArtifactsLike): Promise<RevertDecoder> {
  const names = [...(await artifacts.getAllFullyQualifiedNames())];
  const abis = await Promise.all(names.map(async (n) => (await artifacts.readArtifact(n)).abi.filter((x) => (x as { type?: string }).type === "error")));
  return new RevertDecoder(abis);
}

const HEX_DATA = /^0x([0-9a-fA-F]{2})*$/;

/**
 * The revert data of a failed call, wherever it is: ethers' CALL_EXCEPTION `data`, a nested
 * `error.data` or `info.error.data` (a JSON-RPC error), `data.data` (some nodes), Hardhat's and
 * EDR's `data`, a `cause`. `undefined` when the error carries none.
 */
export function revertData(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number): string | undefined => {
    if (x === null || typeof x !== "object" || seen.has(x) || depth > 6) return undefined;
    seen.add(x);
    const o = x as Record<string, unknown>;
    const d = o.data;
    if (typeof d === "string" && HEX_DATA.test(d) && (d.length >= 10 || (d === "0x" && isRevert(o)))) return d;
    for (const key of ["data", "error", "info", "cause", "revert", "body"]) {
      const inner = o[key];
      if (key === "body" && typeof inner === "string") {
        try {
          const r = visit(JSON.parse(inner), depth + 1);
          if (r) return r;
        } catch {
          // not JSON
        }
        continue;
      }
      const r = visit(inner, depth + 1);
      if (r) return r;
    }
    return undefined;
  };
  return visit(e, 0);
}

function isRevert(o: Record<string, unknown>): boolean {
  return o.code === "CALL_EXCEPTION" || o.code === 3 || /revert/i.test(String(o.message ?? ""));
}

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET"]);
const UNREACHABLE_TEXT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|fetch failed|failed to fetch|networkerror when attempting to fetch|load failed|cannot connect|could not connect|connection refused|request timeout|timed out|failed to detect network/i;

/** Whether the failure is an endpoint that could not be reached (refused, unknown host, timeout). */
export function isUnreachable(e: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number): boolean => {
    if (x === null || typeof x !== "object" || seen.has(x) || depth > 6) return false;
    seen.add(x);
    const o = x as Record<string, unknown>;
    if (typeof o.code === "string" && (UNREACHABLE_CODES.has(o.code) || o.code === "TIMEOUT" || o.code === "NETWORK_ERROR")) return true;
    // Hardhat's HHE for a JSON-RPC endpoint that refused the connection
    if (o.name === "HardhatError" && /connect/i.test(String(o.message ?? ""))) return true;
    if (o.name === "HardhatError" && typeof o.cause === "object" && o.cause !== null) return visit(o.cause, depth + 1);
    if (typeof o.message === "string" && UNREACHABLE_TEXT.test(o.message) && !/revert/i.test(o.message)) return true;
    return ["cause", "error", "info", "errors"].some((k) => {
      const v = o[k];
      return Array.isArray(v) ? v.some((i) => visit(i, depth + 1)) : visit(v, depth + 1);
    });
  };
  return visit(e, 0);
}

/** Whether `e` is a HardhatError (by shape: core does not import Hardhat). */
export function isHardhatError(e: unknown): e is Error & { errorCode?: unknown } {
  return e instanceof Error && (e.name === "HardhatError" || e.name === "HardhatPluginError" || /^HH[EU]?\d+/.test(e.message));
}

/** The method a failed ethers call was calling, when ethers recorded it. */
function calledMethod(e: unknown): string | undefined {
  const o = e as { invocation?: { method?: string } | null; transaction?: { data?: string } };
  return o?.invocation?.method ?? undefined;
}

/**
 * A failure of a named call: `describeFailure` reports a revert inside it as `<what> reverted: …`.
 * Thrown by {@link naming}; anything else about the failure is the cause's.
 */
export class NamedCallFailure extends Error {
  constructor(
    readonly what: string,
    cause: unknown,
  ) {
    super(`${what}: ${messageOf(cause)}`, { cause });
    this.name = "NamedCallFailure";
  }
}

/** Runs `fn`; a failure is rethrown as a {@link NamedCallFailure} of `what` (a FluxError as it is). */
export async function naming<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof FluxError) throw e;
    throw new NamedCallFailure(what, e);
  }
}

export interface FailureContext {
  /** Decodes custom errors; without it, only Error/Panic and the raw selector. */
  decoder?: RevertDecoder;
  /** What was being done, for the line: "submitRoot on RewardsDistributor 0x…". */
  what?: string;
  /** The endpoint, for an unreachable error: "http://127.0.0.1:8545". */
  url?: string;
}

/**
 * The FluxError that `e` is or stands for: itself when it is one; a {@link RevertError}
 * (`<what> reverted: Name(args)`) for a revert; an {@link UnreachableError} naming the endpoint
 * for a connection refused, an unknown host or a timeout; an {@link InputError} with Hardhat's own
 * message for a HardhatError (its message is already one plain line); a {@link ChainStateError}
 * for a transaction the chain refused (insufficient funds, a used nonce); a {@link RemoteError}
 * for a JSON-RPC error or an unusable answer of the node. `null` for anything else: an
 * unexpected error, a bug.
 */
export function describeFailure(e: unknown, ctx: FailureContext = {}): FluxError | null {
  if (e instanceof FluxError) return e;
  if (e instanceof NamedCallFailure) return describeFailure(e.cause, { ...ctx, what: ctx.what ?? e.what });
  const data = revertData(e);
  const o = (e ?? {}) as { code?: unknown; message?: unknown; reason?: unknown; shortMessage?: unknown };
  if (data !== undefined || o.code === "CALL_EXCEPTION") {
    const decoder = ctx.decoder ?? new RevertDecoder();
    const method = calledMethod(e);
    const hash = (e as { transactionHash?: unknown }).transactionHash;
    const what = ctx.what ?? method ?? (typeof hash === "string" ? `transaction ${hash}` : "the call");
    let reason: string;
    if (data !== undefined) reason = decoder.decode(data);
    else if (typeof o.reason === "string" && o.reason) reason = `Error(${JSON.stringify(o.reason)})`;
    else reason = "(no reason given)";
    return new RevertError(`${what} reverted: ${reason}`, reason, { cause: e });
  }
  if (isUnreachable(e)) {
    const url = ctx.url ?? endpointOf(e);
    const first = firstLine(messageOf(e));
    return new UnreachableError(`${url ? `${url}: ` : ""}cannot be reached (${first})`, { cause: e });
  }
  if (isHardhatError(e)) return new InputError(firstLine(messageOf(e)).replace(/\s+/g, " "), { cause: e });
  // ethers' own codes for what the chain or the node said about a transaction
  const short = typeof o.shortMessage === "string" ? o.shortMessage : firstLine(messageOf(e));
  if (typeof o.code === "string") {
    if (["INSUFFICIENT_FUNDS", "NONCE_EXPIRED", "REPLACEMENT_UNDERPRICED", "TRANSACTION_REPLACED"].includes(o.code)) return new ChainStateError(`the transaction was refused: ${short}`, { cause: e });
    if (["SERVER_ERROR", "BAD_DATA", "UNKNOWN_ERROR"].includes(o.code)) return new RemoteError(`the node answered something unusable: ${short}`, { cause: e });
  }
  // a JSON-RPC error the node (or Hardhat's provider) answered with: a refusal, not a bug here
  if ((e as { name?: unknown })?.name === "ProviderError" || (typeof o.code === "number" && o.code <= -32000 && o.code >= -32768)) {
    return new RemoteError(`the node refused: ${firstLine(messageOf(e))}`, { cause: e });
  }
  return null;
}

function firstLine(text: string): string {
  return text.split("\n").map((l) => l.trim()).filter(Boolean).join(" ").slice(0, 400);
}

/** The URL an ethers/fetch error names, if any. */
function endpointOf(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number): string | undefined => {
    if (x === null || typeof x !== "object" || seen.has(x) || depth > 5) return undefined;
    seen.add(x);
    const o = x as Record<string, unknown>;
    for (const k of ["url", "requestUrl"]) if (typeof o[k] === "string" && /^https?:\/\//.test(o[k] as string)) return o[k] as string;
    for (const k of ["request", "info", "cause", "error"]) {
      const r = visit(o[k], depth + 1);
      if (r) return r;
    }
    return undefined;
  };
  return visit(e, 0);
}
