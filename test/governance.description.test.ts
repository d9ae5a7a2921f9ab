/**
 * The `#proposer=` binding of a Governor description (src/governance/description.ts), as
 * OpenZeppelin Governor 5.x parses it: the last 52 characters, `#proposer=` then `0x` and exactly
 * 40 hex digits. The on-chain effect is tested in governance.shipped.test.ts, proposals.test.ts
 * and snapshot.test.ts.
 */
import { expect } from "chai";
import { describe, it } from "mocha";
import { bindProposer, boundProposer, PROPOSER_MARKER } from "../src/governance/description.js";
import { InputError } from "../src/core/errors.js";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

describe("proposer-bound descriptions", () => {
  it("appends a blank line and #proposer= with the address in lowercase hex, exactly 42 characters after the marker", () => {
    const d = bindProposer("# Title\n\nBody", ALICE);
    expect(d).to.equal(`# Title\n\nBody\n\n#proposer=${ALICE.toLowerCase()}`);
    const after = d.slice(d.lastIndexOf(PROPOSER_MARKER) + PROPOSER_MARKER.length);
    expect(after).to.have.length(42);
    expect(after).to.match(/^0x[0-9a-f]{40}$/);
  });

  it("parses the bound proposer back (checksummed), and is idempotent for the same proposer", () => {
    const d = bindProposer("text — with non-ASCII → characters", ALICE.toLowerCase());
    expect(boundProposer(d)).to.equal(ALICE);
    expect(bindProposer(d, ALICE)).to.equal(d);
  });

  it("reads upper-case hex as the Governor does (Strings.tryParseAddress)", () => {
    expect(boundProposer(`x#proposer=0x${ALICE.slice(2).toUpperCase()}`)).to.equal(ALICE);
  });

  it("finds no proposer where the Governor finds none: too short, no marker at 52 from the end, bad hex, or a trailing character", () => {
    expect(boundProposer("")).to.equal(null);
    expect(boundProposer(`#proposer=${ALICE.slice(0, 41)}`)).to.equal(null); // 51 characters
    expect(boundProposer(`# Title\n\n#proposer=${ALICE}\n`)).to.equal(null); // suffix not at the very end
    expect(boundProposer(`# Title #proposer=0x${"g".repeat(40)}`)).to.equal(null);
    expect(boundProposer(`# Title #proposer=${ALICE.slice(2)}00`)).to.equal(null); // no 0x
    expect(boundProposer("# Title, no binding at all, but long enough to be read by the parser")).to.equal(null);
  });

  it("refuses to rebind to another proposer and refuses an invalid address, in one line", () => {
    expect(() => bindProposer(bindProposer("d", ALICE), BOB)).to.throw(InputError, new RegExp(`^the description is already bound to proposer ${ALICE}, not ${BOB}$`));
    expect(() => bindProposer("d", "0x1234")).to.throw(InputError, /^proposer: "0x1234" is not a 20-byte hex address$/);
    expect(() => bindProposer("d", "0x70997970C51812dc3A010C7d01b50e0d17dc79c8")).to.throw(InputError, /^proposer: .*bad EIP-55 checksum$/);
  });
});
