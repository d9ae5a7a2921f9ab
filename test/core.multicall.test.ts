/**
 * The hand-written Multicall3 codec (src/core/multicall.ts) gives exactly the bytes of ethers' ABI
 * coder for aggregate3 calldata and decodes its return data to the same values, on random calls
 * (empty, short and long call data, both allowFailure values); and refuses truncated data.
 */
import { expect } from "chai";
import { describe, it } from "mocha";
import { AbiCoder, hexlify, Interface } from "ethers";
import { addressCall, decodeAggregate3, encodeAggregate3, uintWords } from "../src/core/multicall.js";
import { rng } from "../bench/random.js";

const MC = new Interface([
  "function aggregate3((address target, bool allowFailure, bytes callData)[] calls) payable returns ((bool success, bytes returnData)[] returnData)",
]);

describe("Multicall3 codec", () => {
  const next = rng(5);
  const bytes = (n: number) => hexlify(Uint8Array.from({ length: n }, () => next() & 0xff));
  const sizes = [0, 1, 4, 31, 32, 33, 36, 68, 100, 257];

  it("encodes aggregate3 calldata byte for byte as ethers does", () => {
    for (let round = 0; round < 50; round++) {
      const calls = Array.from({ length: round % 7 }, () => ({
        target: bytes(20),
        allowFailure: (next() & 1) === 1,
        callData: bytes(sizes[next() % sizes.length]!),
      }));
      expect(encodeAggregate3(calls)).to.equal(MC.encodeFunctionData("aggregate3", [calls]));
    }
  });

  it("decodes aggregate3 return data as ethers does, and refuses it truncated", () => {
    const coder = AbiCoder.defaultAbiCoder();
    for (let round = 0; round < 50; round++) {
      const results = Array.from({ length: round % 9 }, () => ({ success: (next() & 1) === 1, returnData: bytes(sizes[next() % sizes.length]!) }));
      const encoded = coder.encode(["(bool success, bytes returnData)[]"], [results.map((r) => [r.success, r.returnData])]);
      expect(decodeAggregate3(encoded)).to.deep.equal(results);
      if (results.some((r) => r.returnData.length > 2)) expect(() => decodeAggregate3(encoded.slice(0, encoded.length - 64))).to.throw(/too short/);
    }
  });

  it("addressCall encodes fn(address) as ethers does", () => {
    const iface = new Interface(["function sharesOf(address account) view returns (uint256)"]);
    const call = addressCall(iface, "sharesOf");
    for (let i = 0; i < 20; i++) {
      const a = bytes(20);
      expect(call(a)).to.equal(iface.encodeFunctionData("sharesOf", [a]));
    }
  });

  it("uintWords reads plain uint256 words and refuses any other length", () => {
    const coder = AbiCoder.defaultAbiCoder();
    const data = coder.encode(["uint256", "uint256"], [7n, (1n << 255n) + 3n]);
    expect([...uintWords(2)(data)]).to.deep.equal([7n, (1n << 255n) + 3n]);
    expect(() => uintWords(1)(data)).to.throw(/expected 1 words of return data, got 64 bytes/);
  });
});
