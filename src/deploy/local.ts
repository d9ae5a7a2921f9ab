/**
 * Helpers for chains whose clock we control (the embedded Hardhat network, a local node).
 */
import type { Clock } from "../governance/lifecycle.js";
import type { Connection } from "./deploy.js";

/** A Clock backed by Hardhat's network helpers (evm_setNextBlockTimestamp + mine). */
export function localClock(conn: Connection): Clock {
  const time = conn.networkHelpers.time;
  return {
    async increaseTo(timestamp) {
      const now = await time.latest();
      if (BigInt(timestamp) > BigInt(now)) await time.increaseTo(timestamp);
    },
    latest: () => time.latest(),
  };
}
