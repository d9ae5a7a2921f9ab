/**
 * The claim page: connect a wallet (EIP-6963, else the injected provider), see on every chain of
 * the config what the account earned, claimed and can claim, what the pending root adds and when
 * it activates, and claim on one chain (switching the wallet's chain first when needed). Every
 * state is said in words (app/src/claim.ts); reads go through each chain's RPC, one Multicall3
 * call per chain per refresh.
 */
import { type Result } from "ethers";
import { claimView, countdown, hasRoot, rootView, type ClaimView, type TreeEntry } from "./claim.js";
import { DISTRIBUTOR, ERC20, providerOf, readFailure, revertWords } from "./chain.js";
import type { AppConfig, ChainConfig } from "./config.js";
import { fluxAmount, h, render } from "./dom.js";
import { readBatch, valueOf } from "../../src/core/multicall.js";
import { treeEntry } from "./proofs.js";
import { connect, discoverWallets, isProviderError, switchChain, USER_REJECTED, walletChainId, type DiscoveredWallet } from "./wallet.js";
import { revertData } from "../../src/core/revert.js";

interface ChainState {
  chain: ChainConfig;
  view?: ClaimView;
  entry?: TreeEntry | null;
  balance?: bigint;
  now?: bigint;
  error?: string;
  /** The outcome of the last claim attempt, in words. */
  tx?: { kind: "info" | "ok" | "error"; text: string };
  busy?: boolean;
}


/** Reads one chain for `account` (one Multicall3 call, then the proof files of its roots). */
async function readChain(config: AppConfig, chain: ChainConfig, account: string): Promise<Pick<ChainState, "view" | "entry" | "balance" | "now">> {
  const distributor = chain.contracts.rewardsDistributor!;
  const b = await readBatch(providerOf(chain), config.multicall, [
    { target: distributor, iface: DISTRIBUTOR, fn: "activeRoot" },
    { target: distributor, iface: DISTRIBUTOR, fn: "pendingRoot" },
    { target: distributor, iface: DISTRIBUTOR, fn: "claimed", args: [account] },
    { target: distributor, iface: DISTRIBUTOR, fn: "config" },
    { target: chain.contracts.token, iface: ERC20, fn: "balanceOf", args: [account] },
  ]);
  const active = rootView(valueOf(b.results[0], "activeRoot")[0] as Result);
  const pending = rootView(valueOf(b.results[1], "pendingRoot")[0] as Result);
  const claimed = valueOf(b.results[2], "claimed")[0] as bigint;
  const cfg = valueOf(b.results[3], "config");
  const balance = valueOf(b.results[4], "balanceOf")[0] as bigint;
  const activeEntry = hasRoot(active) ? await treeEntry(config, chain.chainId, active.root, account) : undefined;
  const pendingEntry = hasRoot(pending) ? await treeEntry(config, chain.chainId, pending.root, account) : undefined;
  const view = claimView({ active, pending, challengeWindow: cfg.challengeWindow as bigint, paused: cfg.paused as boolean, claimed, now: b.timestamp, activeEntry, pendingEntry });
  return { view, entry: activeEntry ?? null, balance, now: b.timestamp };
}

/** The page, mounted in `root`. */
export class ClaimPage {
  #wallets: DiscoveredWallet[] = [];
  #wallet?: DiscoveredWallet;
  #account?: string;
  #message = "";
  readonly #chains: ChainState[];

  constructor(readonly config: AppConfig, readonly root: HTMLElement) {
    this.#chains = config.chains.filter((c) => c.contracts.rewardsDistributor).map((chain) => ({ chain }));
  }

  async start(): Promise<void> {
    this.#wallets = await discoverWallets();
    this.#draw();
  }

  async connect(wallet: DiscoveredWallet): Promise<void> {
    try {
      this.#account = await connect(wallet.provider);
      this.#wallet = wallet;
      this.#message = "";
      wallet.provider.on?.("accountsChanged", (accounts) => {
        this.#account = (accounts as string[])[0];
        void this.refresh();
      });
    } catch (e) {
      this.#message = isProviderError(e, USER_REJECTED) ? "Connection rejected in the wallet." : `The wallet did not connect: ${(e as Error).message}`;
    }
    await this.refresh();
  }

  /** Reads every chain again (in parallel) and redraws. */
  async refresh(): Promise<void> {
    const account = this.#account;
    this.#draw();
    if (!account) return;
    await Promise.all(this.#chains.map(async (s) => {
      try {
        Object.assign(s, await readChain(this.config, s.chain, account), { error: undefined });
      } catch (e) {
        s.error = readFailure(s.chain, e);
      }
    }));
    this.#draw();
  }

  /** Claims on one chain: right chain, proof checked against the active root, then sent and awaited. */
  async claim(s: ChainState): Promise<void> {
    const wallet = this.#wallet;
    const account = this.#account;
    if (!wallet || !account || !s.entry) return;
    s.busy = true;
    const say = (kind: "info" | "ok" | "error", text: string) => {
      s.tx = { kind, text };
      this.#draw();
    };
    try {
      const chain = s.chain;
      if ((await walletChainId(wallet.provider)) !== chain.chainId) {
        say("info", `Switching the wallet to ${chain.name}…`);
        try {
          await switchChain(wallet.provider, { chainId: chain.chainId, name: chain.name, rpc: chain.rpc, nativeCurrency: chain.nativeCurrency, explorer: chain.explorer });
        } catch (e) {
          return say("error", `Wrong chain: the wallet is not on ${chain.name} (chain ${chain.chainId}); switch it there to claim.${isProviderError(e, USER_REJECTED) ? " (The switch was rejected.)" : ""}`);
        }
        if ((await walletChainId(wallet.provider)) !== chain.chainId) return say("error", `Wrong chain: the wallet is not on ${chain.name} (chain ${chain.chainId}); switch it there to claim.`);
      }
      // the entry was read from the files of the active root and checked against it (proofs.ts)
      const data = DISTRIBUTOR.encodeFunctionData("claim", [account, s.entry.amount, s.entry.proof]);
      const to = chain.contracts.rewardsDistributor!;
      const provider = providerOf(chain);
      try {
        await provider.call({ from: account, to, data });
      } catch (e) {
        const revert = revertData(e);
        if (revert !== undefined) return say("error", `Transaction reverted: ${revertWords(revert)}. Nothing was sent.`);
        return say("error", readFailure(chain, e));
      }
      say("info", "Confirm the claim in your wallet…");
      let hash: string;
      try {
        hash = (await wallet.provider.request({ method: "eth_sendTransaction", params: [{ from: account, to, data }] })) as string;
      } catch (e) {
        if (isProviderError(e, USER_REJECTED)) return say("error", "Transaction rejected in the wallet: nothing was sent.");
        const revert = revertData(e);
        return say("error", revert !== undefined ? `Transaction reverted: ${revertWords(revert)}.` : `The wallet could not send the claim: ${(e as Error).message}`);
      }
      say("info", `Sent ${hash}; waiting for it to be mined…`);
      const receipt = await provider.waitForTransaction(hash);
      if (!receipt || receipt.status !== 1) {
        let why = "(no reason given)";
        try {
          await provider.call({ from: account, to, data, blockTag: receipt?.blockNumber });
        } catch (e) {
          why = revertWords(revertData(e) ?? "0x");
        }
        return say("error", `Transaction reverted: ${why} (${hash}).`);
      }
      s.tx = { kind: "ok", text: `Claimed in ${hash}.` };
      await this.refresh();
    } finally {
      s.busy = false;
      this.#draw();
    }
  }

  #draw(): void {
    const account = this.#account;
    const walletPart = this.#wallets.length === 0
      ? h("p", { class: "notice", "data-state": "no-wallet" }, "No wallet found. Install a browser wallet (any EIP-6963 wallet, such as MetaMask or Rabby) and reload this page to claim.")
      : account
        ? h("p", { "data-state": "connected" }, "Connected: ", h("code", { "data-account": account }, account), this.#wallet ? ` (${this.#wallet.info.name})` : "")
        : h("div", {}, ...this.#wallets.map((w) => {
          const b = h("button", { type: "button", "data-wallet": w.info.rdns || w.info.uuid }, `Connect ${w.info.name}`);
          b.addEventListener("click", () => void this.connect(w));
          return b;
        }));
    render(this.root,
      h("section", { class: "wallet", "aria-label": "Wallet" }, walletPart, this.#message ? h("p", { class: "error", role: "alert" }, this.#message) : null),
      account ? h("section", { class: "chains", "aria-label": "Claims by chain" }, ...this.#chains.map((s) => this.#card(s))) : h("p", {}, "Connect a wallet to see what it can claim on each chain."),
    );
  }

  #card(s: ChainState): HTMLElement {
    const c = s.chain;
    const head = h("h2", {}, `${c.name} `, h("small", {}, `chain ${c.chainId}`));
    if (s.error) return h("article", { class: "card", "data-chain": String(c.chainId), "data-status": "unreachable" }, head, h("p", { class: "status error", role: "status" }, s.error));
    const v = s.view;
    if (!v) return h("article", { class: "card", "data-chain": String(c.chainId) }, head, h("p", { class: "status" }, "Reading…"));
    const row = (label: string, key: string, wei: bigint) => [h("dt", {}, label), h("dd", { "data-field": key }, fluxAmount(wei), " FLUX")];
    const pending = v.pendingActivatesAt === null
      ? [h("dt", {}, "Pending root"), h("dd", { "data-field": "pending" }, "none")]
      : [
        ...row("Pending root adds", "pendingAdds", v.pendingAdds),
        h("dt", {}, "Pending root activates"),
        h("dd", { "data-field": "activates" }, v.pendingActivatesAt <= (s.now ?? 0n) ? "now (anyone may activate it)" : `in ${countdown(v.pendingActivatesAt, s.now ?? 0n)}`, " ", h("small", {}, `(${new Date(Number(v.pendingActivatesAt) * 1000).toISOString().replace(".000Z", "Z")})`)),
      ];
    const button = h("button", { type: "button", "data-action": "claim" }, `Claim ${v.claimable > 0n ? "" : "(nothing)"}`.trim());
    if (v.status !== "claimable" || s.busy) button.setAttribute("disabled", "");
    button.addEventListener("click", () => void this.claim(s));
    return h("article", { class: "card", "data-chain": String(c.chainId), "data-status": v.status }, head,
      h("dl", {}, ...row("Earned so far (active root)", "cumulative", v.cumulative), ...row("Already claimed", "claimed", v.claimed), ...row("Claimable now", "claimable", v.claimable), ...pending, ...row("FLUX in this wallet", "balance", s.balance ?? 0n)),
      h("p", { class: `status ${v.status}`, role: "status" }, v.words),
      button,
      s.tx ? h("p", { class: `tx ${s.tx.kind}`, role: s.tx.kind === "error" ? "alert" : "status", "data-tx": s.tx.kind }, s.tx.text) : null,
    );
  }
}
