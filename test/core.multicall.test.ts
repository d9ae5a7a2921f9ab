/**
 * The hand-written Multicall3 codec (src/core/multicall.ts) gives exactly the bytes of ethers' ABI
 * coder for aggregate3 calldata and decodes its return data to the same values, on random calls
 * (empty, short and long call data, both allowFailure values); and refuses truncated data.
 */
import { expect } from "chai";
import { describe, it } from "mocha";
import { AbiCoder, hexlify, Interface, type Provider } from "ethers";
import { addressListCall, decodeAggregate3, encodeAggregate3, readBatches, uintRows } from "../src/core/multicall.js";
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

  it("addressListCall encodes fn(address[]) as ethers does, empty list included", () => {
    const iface = new Interface(["function storedHoldings(address[] accounts) view returns ((uint256 shares, uint256 principal, uint256 index)[])"]);
    const call = addressListCall(iface, "storedHoldings");
    for (const n of [0, 1, 2, 17]) {
      const list = Array.from({ length: n }, () => bytes(20));
      expect(call(list)).to.equal(iface.encodeFunctionData("storedHoldings", [list]));
    }
  });

  it("uintRows decodes an array of uint256 tuples as ethers does, and refuses any other shape", () => {
    const coder = AbiCoder.defaultAbiCoder();
    const type = ["tuple(uint256,uint256,uint256)[]"];
    for (const n of [0, 1, 5]) {
      const rows = Array.from({ length: n }, (_, i) => [BigInt(i), (1n << 255n) + BigInt(i), 10n ** 18n]);
      const data = coder.encode(type, [rows]);
      const decoded = uintRows(3)(data)[0] as bigint[][];
      expect(decoded).to.deep.equal(rows);
      expect(decoded).to.deep.equal(coder.decode(type, data)[0].map((r: bigint[]) => [...r]));
    }
    const two = coder.encode(type, [[[1n, 2n, 3n], [4n, 5n, 6n]]]);
    expect(() => uintRows(3)(two.slice(0, -64))).to.throw(/expected an array of 3-word tuples as return data, got 224 bytes/);
    expect(() => uintRows(2)(two)).to.throw(/expected an array of 2-word tuples/);
    expect(() => uintRows(3)(`0x${"00".repeat(31)}40${two.slice(66)}`)).to.throw(/expected an array of 3-word tuples/);
    expect(() => uintRows(3)("0x")).to.throw(/got 0 bytes/);
  });

  it("readBatches fills each aggregate3 up to batchCalls of weight, a heavier read alone, in order and at one block", async () => {
    const iface = new Interface(["function f(uint256) view returns (uint256)"]);
    const sent: number[] = [];
    const blocks = new Set<unknown>();
    const provider = {
      getBlockNumber: async () => 42,
      call: async (tx: { data: string; blockTag?: unknown }) => {
        blocks.add(tx.blockTag);
        const [calls] = MC.decodeFunctionData("aggregate3", tx.data);
        sent.push(calls.length - 2); // less getBlockNumber and getCurrentBlockTimestamp
        // each read answers its own argument (the block number and time answer 42)
        const out = calls.map((c: { callData: string }, i: number) => [true, i < 2 ? coder.encode(["uint256"], [42n]) : coder.encode(["uint256"], [BigInt(`0x${c.callData.slice(10)}`)])]);
        return MC.encodeFunctionResult("aggregate3", [out]);
      },
    } as unknown as Provider;
    const coder = AbiCoder.defaultAbiCoder();
    const weights = [1, 1, 300, 1, 1, 1, 120, 130, 1];
    const reads = weights.map((weight, i) => ({ target: bytes(20), iface, fn: "f", args: [i], weight }));
    const batch = await readBatches(provider, bytes(20), reads, { batchCalls: 250, parallel: 2 });
    expect(sent).to.deep.equal([2, 1, 4, 2]); // [1,1] [300] [1,1,1,120] [130,1]
    expect(batch.roundTrips).to.equal(5); // and the block number, once
    expect([...blocks]).to.deep.equal([42]);
    expect(batch.results.map((r) => (r.ok ? r.value[0] : undefined))).to.deep.equal(weights.map((_, i) => BigInt(i)));
    expect((await readBatches(provider, bytes(20), [], { blockTag: 7 })).results).to.deep.equal([]);
  });
});
