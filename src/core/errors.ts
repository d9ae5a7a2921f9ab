/**
 * The toolkit's errors: one base class, {@link FluxError}, and a named subclass for each kind of
 * failure a caller may want to tell apart. Every subclass prints under its own name (never a
 * plain "Error") and may carry the underlying error as the standard `cause`.
 *
 * Kinds:
 * - {@link InputError}: outside input is wrong (a file, an option, a config, a manifest). The
 *   person running the command can fix it.
 * - {@link UnreachableError}: an RPC endpoint, a hub or a gateway could not be reached (connection
 *   refused, DNS, timeout). Retrying later may help; the input is not at fault.
 * - {@link RemoteError}: a remote service answered, but refused or answered something unusable
 *   (HTTP error, GraphQL error, invalid response).
 * - {@link ChainStateError}: what is on-chain is not what it must be (a deployment postcondition,
 *   a missing block, a role that is not held); {@link RevertError}, a call or transaction that
 *   reverted, with its decoded error.
 *
 * Commands print any failure as one line and exit non-zero (see `runCommand` in command.ts); the
 * stack trace only with `--show-stack-traces`.
 */

/** Base class of every error the toolkit throws on purpose. */
export class FluxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Outside input is wrong. Message format: `<where>: <path>: <what>`. */
export class InputError extends FluxError {}

/** A service (RPC, hub, gateway, API) could not be reached at all. */
export class UnreachableError extends FluxError {}

/** A service answered, but refused the request or answered something unusable. */
export class RemoteError extends FluxError {}

/** The chain is not in the state it must be in (deployment checks, missing blocks, roles). */
export class ChainStateError extends FluxError {}

/**
 * A call or transaction reverted. The message is one line, `<what> reverted: <reason>`, where the
 * reason is the decoded custom error with its arguments (`DistributorNotOperator(0x…)`),
 * `Error("…")`, `Panic(…)` or the raw selector (see core/revert.ts). `reason` holds it alone.
 */
export class RevertError extends ChainStateError {
  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The message of any thrown value, for wrapping it in one line. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
