/**
 * Boundary validation helpers: every outside input (config, manifest, CSV/JSON) is parsed with a
 * zod schema, and a failure names the file and the field that was wrong.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import type { z } from "zod";
import { InputError } from "./errors.js";

/** 20 bytes as 0x-prefixed hex of either case (no checksum rule). */
export const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * Checks a 20-byte hex address. Mixed-case input must carry a valid EIP-55 checksum (a typo in a
 * checksummed address is refused rather than silently accepted); all-lowercase input is
 * accepted. Returns the checksummed form; throws an Error saying what is wrong.
 */
export function checksummedAddress(text: string): string {
  if (!HEX_ADDRESS.test(text)) throw new Error(`"${text}" is not a 20-byte hex address`);
  const body = text.slice(2);
  const lower = body.toLowerCase();
  const spelled = eip55(lower);
  const mixed = body !== lower && body !== body.toUpperCase();
  if (mixed && spelled !== text) throw new Error(`"${text}" has a bad EIP-55 checksum`);
  return spelled;
}

/**
 * The EIP-55 spelling of 40 lowercase hex digits: a letter is upper case where the nibble of
 * keccak256(digits) at its place is 8 or more (@noble/hashes: this module, read by every
 * command, does not load ethers).
 */
const ASCII = new TextEncoder();
function eip55(lower: string): string {
  const hash = keccak_256(ASCII.encode(lower)); // TextEncoder, not Buffer: the app runs this in browsers
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const c = lower[i]!;
    const nibble = i & 1 ? hash[i >> 1]! & 15 : hash[i >> 1]! >> 4;
    out += c >= "a" && nibble >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

/** Parses `data` with `schema` or throws an InputError naming `where` and each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, where: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join(".") : "(root)";
    return `${where}: ${path}: ${issue.message}`;
  });
  throw new InputError(lines.join("\n"));
}

/** Whether `url` is on this machine (127.0.0.1, localhost, ::1). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return ["127.0.0.1", "localhost", "[::1]", "::1"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}
