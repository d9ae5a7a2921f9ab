/**
 * A test wallet for browser tests: an EIP-1193 provider injected into the page before its scripts
 * run (`context.addInitScript`), announced through EIP-6963 and set as `window.ethereum`. It
 * forwards reads and `eth_sendTransaction` to the RPC of its current chain, whose node holds the
 * devnet key of the account and signs. `window.testWallet` lets a test act as the user: reject
 * the next request of a method (4001), refuse chain switches, or change the account.
 *
 * The script is plain JavaScript text (a function's `toString()` would carry the TypeScript
 * loader's helpers, which do not exist in the page).
 */
export interface TestWalletOptions {
  account: string;
  /** RPC URL by chain id (the chains the wallet knows; others answer 4902). */
  rpcs: Record<number, string>;
  /** The chain the wallet starts on. */
  chainId: number;
  /** The chains the wallet knows at first (default: all of `rpcs`); others answer 4902 until wallet_addEthereumChain adds them. */
  known?: number[];
}

/** The script for `context.addInitScript(script)`. */
export function testWalletScript(o: TestWalletOptions): string {
  return `(() => {
  const o = ${JSON.stringify(o)};
  const listeners = {};
  const known = new Set(o.known || Object.keys(o.rpcs).map(Number));
  const state = { account: o.account, chainId: o.chainId, rejectNext: new Set(), refuseSwitch: false, requests: [], added: [] };
  const err = (code, message) => Object.assign(new Error(message), { code });
  let id = 0;
  const emit = (event, ...args) => { for (const l of listeners[event] || []) l(...args); };
  const forward = async (method, params) => {
    const res = await fetch(o.rpcs[state.chainId], { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params || [] }) });
    const body = await res.json();
    if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
    return body.result;
  };
  const provider = {
    isTestWallet: true,
    on(event, l) { (listeners[event] = listeners[event] || []).push(l); },
    removeListener(event, l) { listeners[event] = (listeners[event] || []).filter((x) => x !== l); },
    async request({ method, params }) {
      state.requests.push(method);
      if (state.rejectNext.delete(method)) throw err(4001, "User rejected the request.");
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [state.account];
        case "eth_chainId":
          return "0x" + state.chainId.toString(16);
        case "wallet_switchEthereumChain": {
          const target = Number(BigInt(params[0].chainId));
          if (state.refuseSwitch) throw err(4001, "User rejected the request.");
          if (!known.has(target)) throw err(4902, "Unrecognized chain ID.");
          state.chainId = target;
          emit("chainChanged", "0x" + target.toString(16));
          return null;
        }
        case "wallet_addEthereumChain": {
          const c = params[0];
          const added = Number(BigInt(c.chainId));
          o.rpcs[added] = c.rpcUrls[0];
          known.add(added);
          state.added.push({ chainId: added, chainName: c.chainName, rpc: c.rpcUrls[0], symbol: c.nativeCurrency.symbol });
          return null;
        }
        case "eth_sendTransaction":
          return forward("eth_sendTransaction", [{ ...params[0], from: state.account }]);
        default:
          return forward(method, params);
      }
    },
  };
  window.ethereum = provider;
  window.testWallet = { state, setAccount(a) { state.account = a; emit("accountsChanged", [a]); } };
  const info = { uuid: "6f1a2c1e-0000-4000-8000-000000000001", name: "Test Wallet", icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E", rdns: "org.flux.testwallet" };
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;
}
