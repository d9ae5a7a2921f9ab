/**
 * The holder's wallet: discovered through EIP-6963 (`eip6963:announceProvider` answers to
 * `eip6963:requestProvider`), falling back to a legacy injected `window.ethereum`, and driven only
 * through EIP-1193 `request`. The page reads chains through its own RPCs; the wallet connects,
 * switches chain and signs.
 */

/** EIP-1193: the one method the app uses. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] | Record<string, unknown> }): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): void;
}

/** EIP-6963 provider info. */
export interface WalletInfo {
  uuid: string;
  name: string;
  icon: string;
  rdns: string;
}

export interface DiscoveredWallet {
  info: WalletInfo;
  provider: Eip1193Provider;
}

/** An EIP-1193 error: code 4001 = the user rejected, 4902 = unknown chain (wallet_switchEthereumChain). */
export interface ProviderRpcError extends Error {
  code: number;
  data?: unknown;
}

export const USER_REJECTED = 4001;
export const UNRECOGNIZED_CHAIN = 4902;

export function isProviderError(e: unknown, code: number): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === code;
}

/**
 * The wallets that announce themselves within `waitMs` (EIP-6963), deduplicated by uuid; when
 * none does, the legacy `window.ethereum` as one wallet named "Browser wallet". Empty when there
 * is no wallet at all.
 */
export async function discoverWallets(win: Window = window, waitMs = 300): Promise<DiscoveredWallet[]> {
  const found = new Map<string, DiscoveredWallet>();
  const onAnnounce = (event: Event) => {
    const detail = (event as CustomEvent<DiscoveredWallet>).detail;
    if (detail?.info?.uuid && typeof detail.provider?.request === "function") found.set(detail.info.uuid, detail);
  };
  win.addEventListener("eip6963:announceProvider", onAnnounce);
  win.dispatchEvent(new Event("eip6963:requestProvider"));
  await new Promise((r) => setTimeout(r, waitMs));
  win.removeEventListener("eip6963:announceProvider", onAnnounce);
  if (found.size) return [...found.values()];
  const legacy = (win as unknown as { ethereum?: Eip1193Provider }).ethereum;
  if (legacy && typeof legacy.request === "function") {
    return [{ info: { uuid: "legacy", name: "Browser wallet", icon: "", rdns: "" }, provider: legacy }];
  }
  return [];
}

/** Asks the wallet for its accounts; the first is the connected one. */
export async function connect(provider: Eip1193Provider): Promise<string> {
  const accounts = (await provider.request({ method: "eth_requestAccounts" })) as string[];
  if (!accounts?.length) throw new Error("the wallet connected no account");
  return accounts[0]!;
}

export async function walletChainId(provider: Eip1193Provider): Promise<number> {
  return Number(BigInt((await provider.request({ method: "eth_chainId" })) as string));
}

/** What wallet_addEthereumChain needs to know of a chain. */
export interface AddChain {
  chainId: number;
  name: string;
  rpc: string;
  nativeCurrency: { name: string; symbol: string; decimals: number };
  explorer?: string;
}

/**
 * Switches the wallet to `chain`: wallet_switchEthereumChain, and when the wallet does not know
 * the chain (4902), wallet_addEthereumChain then switch again. A rejection (4001) propagates.
 */
export async function switchChain(provider: Eip1193Provider, chain: AddChain): Promise<void> {
  const chainId = `0x${chain.chainId.toString(16)}`;
  try {
    await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
  } catch (e) {
    if (!isProviderError(e, UNRECOGNIZED_CHAIN)) throw e;
    await provider.request({
      method: "wallet_addEthereumChain",
      params: [{ chainId, chainName: chain.name, rpcUrls: [chain.rpc], nativeCurrency: chain.nativeCurrency, blockExplorerUrls: chain.explorer ? [chain.explorer] : undefined }],
    });
    await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
  }
}
