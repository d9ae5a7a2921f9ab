/**
 * The proposer binding of a Governor description (OpenZeppelin Governor 5.x,
 * `_isValidDescriptionForProposer`): a description whose last 52 characters are `#proposer=`
 * followed by an address (`0x` + 40 hex digits) can be proposed only by that address; anyone else's
 * `propose` reverts `GovernorRestrictedProposer`. Every description this toolkit generates for a
 * proposal that someone else could front-run (`proposal export`, a Snapshot signal's carried calls,
 * `proposal submit`/`simulate`) carries it, and the proposal id is computed over the bound text.
 */
import { getAddress } from "ethers";
import { checksummedAddress, HEX_ADDRESS } from "../core/validate.js";
import { InputError } from "../core/errors.js";

export const PROPOSER_MARKER = "#proposer=";
/** `#proposer=` + `0x` + 40 hex digits: the Governor reads exactly the last 52 characters. */
const SUFFIX_LENGTH = PROPOSER_MARKER.length + 42;

/**
 * `description` bound to `proposer`: followed by a blank line and `#proposer=0x<lowercase hex>`.
 * Idempotent for the same proposer; refuses a description already bound to another address or an
 * invalid address.
 */
export function bindProposer(description: string, proposer: string): string {
  let address: string;
  try {
    address = checksummedAddress(proposer);
  } catch (e) {
    throw new InputError(`proposer: ${(e as Error).message}`);
  }
  const bound = boundProposer(description);
  if (bound === address) return description;
  if (bound !== null) throw new InputError(`the description is already bound to proposer ${bound}, not ${address}`);
  return `${description}\n\n${PROPOSER_MARKER}${address.toLowerCase()}`;
}

/**
 * The address a description is bound to (checksummed), or null when it carries no valid suffix —
 * exactly when the Governor lets anyone propose it. Like the Governor, it accepts hex digits of
 * either case after `#proposer=0x`.
 */
export function boundProposer(description: string): string | null {
  if (description.length < SUFFIX_LENGTH) return null;
  const tail = description.slice(-SUFFIX_LENGTH);
  if (!tail.startsWith(PROPOSER_MARKER)) return null;
  const hex = tail.slice(PROPOSER_MARKER.length);
  return HEX_ADDRESS.test(hex) ? getAddress(hex.toLowerCase()) : null;
}
