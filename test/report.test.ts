/** The page builder: text is escaped everywhere, charts stay finite with zero or single values. */
import { expect } from "chai";
import { describe, it } from "mocha";
import { esc, lineChart, page, stackedBars, table } from "../reports/page.js";

describe("report pages", () => {
  it("escape every piece of text (names from a chain or a hub are not trusted)", () => {
    const evil = `<script>alert("x")</script>&'`;
    expect(esc(evil)).to.equal("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
    const html = page(evil, [{ heading: evil, text: [evil], html: [table([evil], [[evil]]), stackedBars({ categories: [evil], series: [{ name: evil, values: [1] }], unit: evil })] }]);
    expect(html).not.to.include("<script>");
    expect(html).not.to.include(`alert("x")`);
    expect(html).to.include("&lt;script&gt;alert(&quot;x&quot;)");
  });

  it("draw finite charts for zero totals and a single point", () => {
    const bars = stackedBars({ categories: ["a", "b"], series: [{ name: "s", values: [0, 0] }], unit: "FLUX" });
    const line = lineChart({ x: [5], series: [{ name: "s", values: [0] }], xLabel: "x", yLabel: "y" });
    for (const svg of [bars, line]) {
      expect(svg).to.match(/^<svg /);
      expect(svg).not.to.match(/NaN|Infinity/);
    }
    expect(stackedBars({ categories: ["a"], series: [{ name: "s", values: [2] }, { name: "t", values: [1] }], unit: "u" })).to.include("3 u");
  });
});
