/**
 * src/core: the error classes and how commands report them, the shared input schemas, and the
 * formatting helpers.
 */
import { expect } from "chai";
import { describe, it } from "mocha";
import "./helpers/chai.js";
import { z } from "zod";
import { ChainStateError, FluxError, InputError, RemoteError, UnreachableError } from "../src/core/errors.js";
import { runCommand } from "../src/core/command.js";
import { address, bps, decimalString, fluxAmount, marketSymbol, tokenSymbol, uintString, wadFraction } from "../src/core/schemas.js";
import { bpsToPercent, formatFlux, iso, renderTable, short, usd } from "../src/core/format.js";
import { checksummedAddress, parseWith } from "../src/core/validate.js";
import { getAddress, hexlify } from "ethers";
import { rng } from "../bench/random.js";
import { ScheduleError } from "../src/emissions/schedule.js";
import { SnapshotError } from "../src/snapshot/client.js";
import { TallyError } from "../src/tally/client.js";
import { DeploymentCheckError } from "../src/deploy/deploy.js";

describe("core: errors", () => {
  it("every error class prints under its own name and keeps its cause", () => {
    const cause = new Error("ECONNREFUSED");
    for (const [Kind, name] of [
      [InputError, "InputError"],
      [UnreachableError, "UnreachableError"],
      [RemoteError, "RemoteError"],
      [ChainStateError, "ChainStateError"],
      [SnapshotError, "SnapshotError"],
      [TallyError, "TallyError"],
      [DeploymentCheckError, "DeploymentCheckError"],
    ] as const) {
      const e = new Kind("what went wrong", { cause });
      expect(e).to.be.instanceOf(FluxError);
      expect(String(e)).to.equal(`${name}: what went wrong`);
      expect(e.cause).to.equal(cause);
    }
    expect(String(new ScheduleError("schedule", "ScheduleBadParameter", ["rate"]))).to.equal('ScheduleError: schedule: reverts with ScheduleBadParameter("rate")');
  });

  it("a refusal of a service is not bad input, and neither is an outage", () => {
    expect(new SnapshotError("x")).to.be.instanceOf(RemoteError).and.not.instanceOf(InputError);
    expect(new UnreachableError("x")).to.not.be.instanceOf(RemoteError).and.not.instanceOf(InputError);
  });

  it("runCommand prints any FluxError as one line with exit code 1; a bug is one line too, and keeps its stack with --show-stack-traces", async () => {
    const lines: string[] = [];
    const error = console.error;
    const exitCode = process.exitCode;
    console.error = (line: string) => lines.push(line);
    try {
      await runCommand(async () => {
        throw new UnreachableError("http://127.0.0.1:1: cannot connect");
      }, { showStackTraces: false });
      expect(process.exitCode).to.equal(1);
      expect(lines).to.deep.equal(["error: http://127.0.0.1:1: cannot connect"]);
      await runCommand(async () => {
        throw new TypeError("a bug");
      }, { showStackTraces: false });
      expect(lines).to.have.length(2);
      expect(lines[1]).to.equal("error: a bug (unexpected: run again with --show-stack-traces for the stack trace)");
      await expect(
        runCommand(async () => {
          throw new TypeError("a bug");
        }, { showStackTraces: true }),
      ).to.be.rejectedWith(TypeError, "a bug");
      expect(lines).to.have.length(2);
    } finally {
      console.error = error;
      process.exitCode = exitCode;
    }
  });
});

describe("core: checksummed addresses", () => {
  it("spells EIP-55 as ethers does, takes one-case spellings, refuses a wrong mixed-case one", () => {
    const rnd = rng(23);
    for (let k = 0; k < 300; k++) {
      const lower = hexlify(Uint8Array.from({ length: 20 }, () => rnd() & 0xff));
      const spelled = getAddress(lower);
      expect(checksummedAddress(lower)).to.equal(spelled);
      expect(checksummedAddress("0x" + lower.slice(2).toUpperCase())).to.equal(spelled);
      expect(checksummedAddress(spelled)).to.equal(spelled);
      const flip = spelled.search(/[a-fA-F]/);
      if (flip < 0 || spelled.slice(2) === spelled.slice(2).toLowerCase() || spelled.slice(2) === spelled.slice(2).toUpperCase()) continue;
      const c = spelled[flip]!;
      const wrong = spelled.slice(0, flip) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + spelled.slice(flip + 1);
      const body = wrong.slice(2);
      if (body === body.toLowerCase() || body === body.toUpperCase()) continue;
      expect(() => checksummedAddress(wrong)).to.throw(/bad EIP-55 checksum/);
    }
  });
});

describe("core: schemas", () => {
  const parse = <S extends z.ZodType>(s: S, v: unknown) => parseWith(s, v, "in");
  it("accepts what each rule allows and refuses the rest, naming the field", () => {
    expect(parse(address, "0x00000000000000000000000000000000000000aa")).to.equal("0x00000000000000000000000000000000000000AA");
    expect(() => parse(address, "0x00000000000000000000000000000000000000aA")).to.throw(InputError, /in: \(root\): .*bad EIP-55 checksum/);
    expect(parse(fluxAmount, "1.5")).to.equal(1_500_000_000_000_000_000n);
    expect(() => parse(fluxAmount, "1e18")).to.throw(InputError, /not a non-negative decimal number/);
    expect(parse(wadFraction, "0.02")).to.equal(20_000_000_000_000_000n);
    expect(parse(decimalString, "12.5")).to.equal("12.5");
    expect(() => parse(decimalString, "012")).to.throw(InputError, /not a non-negative decimal number/);
    expect(parse(uintString, "123")).to.equal("123");
    expect(() => parse(uintString, "-1")).to.throw(InputError, /not a non-negative integer/);
    expect(parse(bps, 13_000)).to.equal(13_000);
    expect(() => parse(bps, 65_536)).to.throw(InputError);
    expect(() => parse(bps, 1.5)).to.throw(InputError);
    expect(parse(tokenSymbol, "FLUX")).to.equal("FLUX");
    expect(() => parse(tokenSymbol, "")).to.throw(InputError);
    expect(parse(marketSymbol, "WETH")).to.equal("WETH");
    expect(() => parse(marketSymbol, "W-ETH")).to.throw(InputError, /1-16 letters or digits/);
  });
});

describe("core: formatting", () => {
  it("formats amounts, values, shares, hashes, times and tables", () => {
    expect(formatFlux(1_234_567_500_000_000_000_000n)).to.equal("1,234.5675");
    expect(formatFlux(-5n, 0)).to.equal("-5");
    expect(usd(1_234_567_000_000_000_000_000n)).to.equal("$1,234.57");
    expect(usd(10n ** 18n)).to.equal("$1");
    expect(usd(15n * 10n ** 17n)).to.equal("$1.50");
    expect(bpsToPercent(13_000)).to.equal("130.00%");
    expect(short("0x" + "ab".repeat(20))).to.equal("0xababab…abab");
    expect(short("0x1234")).to.equal("0x1234");
    expect(iso(0)).to.equal("1970-01-01T00:00:00Z");
    expect(renderTable(["a", "bb"], [["1", "2"]], ["l", "r"])).to.equal("a | bb\n--|---\n1 |  2");
  });
});
