/**
 * Token amounts are bigint wei everywhere. People write FLUX as decimal strings ("1000000",
 * "0.5"); this module turns such a string into wei exactly, or says what is wrong with it.
 */

export const FLUX_DECIMALS = 18;
/** A non-negative decimal number: no sign, exponent, spaces or leading zeros. */
export const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
/** A non-negative integer without leading zeros. */
export const UINT = /^(0|[1-9][0-9]*)$/;

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
