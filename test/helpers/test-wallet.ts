/**
 * A test wallet for browser tests: an EIP-1193 provider injected into the page before its scripts
 * run (`page.addInitScript`), announced through EIP-6963 and set as `window.ethereum`. It forwards
 * reads and `eth_sendTransaction` to the RPC of its current chain, whose node holds the devnet
 * key of the account and signs. `window.testWallet` lets a test act as the user: reject the next
 * request (4001), refuse a chain switch, or change the account.
 */
export interface TestWalletOptions {
  account: string;
  /** RPC URL by chain id (the chains the wallet knows; others answer 4902). */
  rpcs: Record<number, string>;
  chainId: number;
}

/** The script for `page.addInitScript(script, options)`. */
export function testWalletScript(o: TestWalletOptions): string {
  return `(${install.toString()})(${JSON.stringify(o)});`;
}

function install(o: TestWalletOptions) {
  type Listener = (...args: unknown[]) => void;
  const listeners: Record<string, Listener[]> = {};
  const state = { account: o.account, chainId: o.chainId, rejectNext: new Set<string>(), refuseSwitch: false, requests: [] as string[] };
  const err = (code: number, message: string) => Object.assign(new Error(message), { code });
  let id = 0;
  const forward = async (method: string, params: unknown) => {
    const res = await fetch(o.rpcs[state.chainId]!, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }) });
    const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
    return body.result;
  };
  const provider = {
    isTestWallet: true,
    on(event: string, l: Listener) {
      (listeners[event] ??= []).push(l);
    },
    removeListener(event: string, l: Listener) {
      listeners[event] = (listeners[event] ?? []).filter((x) => x !== l);
    },
    async request({ method, params }: { method: string; params?: unknown }) {
      state.requests.push(method);
      if (state.rejectNext.delete(method)) throw err(4001, "User rejected the request.");
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [state.account];
        case "eth_chainId":
          return "0x" + state.chainId.toString(16);
        case "wallet_switchEthereumChain": {
          const target = Number(BigInt((params as { chainId: string }[])[0]!.chainId));
          if (state.refuseSwitch) throw err(4001, "User rejected the request.");
          if (!o.rpcs[target]) throw err(4902, "Unrecognized chain ID.");
          state.chainId = target;
          for (const l of listeners.chainChanged ?? []) l("0x" + target.toString(16));
          return null;
        }
        case "wallet_addEthereumChain":
          return null;
        case "eth_sendTransaction": {
          const tx = (params as Record<string, unknown>[])[0]!;
          return forward("eth_sendTransaction", [{ ...tx, from: state.account }]);
        }
        default:
          return forward(method, params);
      }
    },
  };
  // the page's window (this function runs in the browser; Node's types have no DOM)
  const win = globalThis as unknown as Record<string, unknown> & {
    addEventListener(type: string, l: () => void): void;
    dispatchEvent(e: unknown): boolean;
  };
  win.ethereum = provider;
  win.testWallet = {
    state,
    setAccount(a: string) {
      state.account = a;
      for (const l of listeners.accountsChanged ?? []) l([a]);
    },
  };
  const info = { uuid: "6f1a2c1e-0000-4000-8000-000000000001", name: "Test Wallet", icon: "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>", rdns: "org.flux.testwallet" };
  const announce = () => win.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  win.addEventListener("eip6963:requestProvider", announce);
  announce();
}
