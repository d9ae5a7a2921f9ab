/**
 * The zod schemas of the values every input shares: addresses, token amounts, fractions, basis
 * points and symbols. Each rule is declared here once; configs, manifests, Snapshot messages and
 * proposal files compose them.
 */
import { z } from "zod";
import { checksummedAddress } from "./validate.js";
import { DECIMAL, parseUnitsStrict, UINT } from "./amounts.js";

/**
 * zod: a string run through a parser that throws an Error saying what is wrong; the parser's
 * message becomes the zod issue.
 */
export function parsedString<T>(parse: (text: string) => T) {
  return z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
  });
}

/** An address as {@link checksummedAddress} accepts it, transformed to its checksummed form. */
export const address = parsedString(checksummedAddress);

/** A FLUX decimal string ("1000000", "0.5"), transformed to wei. */
export const fluxAmount = parsedString((text) => parseUnitsStrict(text));

/** A decimal fraction ("0.02" = 2%) as a 1e18-scaled bigint. */
export const wadFraction = parsedString((text) => parseUnitsStrict(text, 18));

/** A non-negative decimal number kept as its text (converted later, e.g. with an asset's decimals). */
export const decimalString = z.string().regex(DECIMAL, "not a non-negative decimal number");

/** A non-negative integer kept as its text: wei amounts, block numbers and ids in JSON. */
export const uintString = z.string().regex(UINT, "not a non-negative integer");

/** Basis points as a JSON number (uint16: 0..65535; callers narrow the range). */
export const bps = z.number().int().min(0).max(65_535);

/** A token symbol as ERC-20 metadata and Snapshot spaces carry it: 1-16 characters. */
export const tokenSymbol = z.string().min(1).max(16);

/** A market's symbol, which also names it in configs, manifests and proposals: 1-16 letters or digits. */
export const marketSymbol = z.string().regex(/^[A-Za-z0-9]{1,16}$/, "1-16 letters or digits");
