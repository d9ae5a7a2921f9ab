/**
 * Token amounts are bigint wei everywhere. People write FLUX as decimal strings ("1000000",
 * "0.5"); this module turns such a string into wei exactly, or says what is wrong with it.
 */
import { z } from "zod";

export const FLUX_DECIMALS = 18;
const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const UINT = /^(0|[1-9][0-9]*)$/;

/** Upper bound of a uint256. */
export const MAX_UINT256 = (1n << 256n) - 1n;

/**
 * Parses a non-negative decimal amount with at most `decimals` fraction digits into base units.
 * Refuses signs, exponents, spaces, hex, empty strings, too many decimals and uint256 overflow.
 */
export function parseUnitsStrict(text: string, decimals = FLUX_DECIMALS): bigint {
  if (!DECIMAL.test(text)) {
    throw new Error(`"${text}" is not a non-negative decimal number`);
  }
  const [whole = "0", fracDigits = ""] = text.split(".");
  if (fracDigits.length > decimals) {
    throw new Error(`"${text}" has more than ${decimals} decimals`);
  }
  const value = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fracDigits.padEnd(decimals, "0") || "0");
  if (value > MAX_UINT256) throw new Error(`"${text}" overflows uint256`);
  return value;
}

/** Parses a non-negative integer string of base units (wei) with overflow check. */
export function parseWeiStrict(text: string): bigint {
  if (!UINT.test(text)) throw new Error(`"${text}" is not a non-negative integer amount`);
  const value = BigInt(text);
  if (value > MAX_UINT256) throw new Error(`"${text}" overflows uint256`);
  return value;
}

/** Formats wei as a FLUX decimal string without losing precision (trailing zeros trimmed). */
export function formatFlux(wei: bigint, decimals = FLUX_DECIMALS): string {
  const neg = wei < 0n;
  const abs = neg ? -wei : wei;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const frac = (abs % base).toString().padStart(decimals, "0").replace(/0+$/, "");
  const wholeStr = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${wholeStr}${frac ? "." + frac : ""}`;
}

/** zod: a FLUX decimal string, transformed to wei. */
export const fluxAmount = z.string().transform((text, ctx) => {
  try {
    return parseUnitsStrict(text);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});
