/**
 * The devnet (`npm run devnet`): three local JSON-RPC chains on 127.0.0.1 under the chain ids of
 * Flux's chains, each a `hardhat node` with the well-known Hardhat accounts, and the local
 * Snapshot hub. Commands reach a chain with `--network <network>`; each has its deployment config
 * in `ignition/config/<network>.json`; hardhat.config.ts declares a network for each.
 */
export const DEVNET = {
  chains: [
    { network: "devnet-conflux", label: "Conflux eSpace", chainId: 1030, port: 8645 },
    { network: "devnet-bsc", label: "BNB Chain", chainId: 56, port: 8646 },
    { network: "devnet-heco", label: "HECO", chainId: 128, port: 8647 },
  ],
  hubPort: 8690,
} as const;
