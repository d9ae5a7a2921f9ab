/**
 * FLUX governance for one chain: Timelock, token and Governor, each an implementation behind an
 * ERC-1967 (UUPS) proxy, then the roles wired and the deployer's admin role renounced.
 *
 * Parameters are not read from files here: `src/deploy/deploy.ts` validates the network's config
 * (`ignition/config/<network>.json`) and passes typed values, so a bad value fails before any
 * transaction. The genesis mint is part of the module's shape (the Timelock, created in step 1, is
 * its first recipient, so the list cannot be a plain parameter): `fluxGovernanceModule(genesis)`
 * builds the module for one deployment's allocations. Order of operations:
 *  1. Timelock (deployer is temporary admin, no proposer yet; address(0) executor = anyone).
 *  2. Token owned by the Timelock; minted at initialization: the treasury (if any) to the
 *     Timelock, then each allocation to its (resolved) account.
 *  3. Governor bound to token and Timelock.
 *  4. Timelock grants PROPOSER and CANCELLER to the Governor, then the deployer renounces admin.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id, ZeroAddress } from "ethers";

export const PROPOSER_ROLE = id("PROPOSER_ROLE");
export const CANCELLER_ROLE = id("CANCELLER_ROLE");
export const EXECUTOR_ROLE = id("EXECUTOR_ROLE");
export const DEFAULT_ADMIN_ROLE = `0x${"00".repeat(32)}`;

/** What the token mints at initialization (amounts in wei; accounts are resolved addresses). */
export interface Genesis {
  /** Minted to the Timelock: the DAO's treasury. */
  treasury: bigint;
  allocations: readonly { account: string; amount: bigint }[];
}

export const fluxGovernanceModule = (genesis: Genesis) => buildModule("FluxGovernance", (m) => {
  const deployer = m.getAccount(0);

  const minDelay = m.getParameter<bigint>("timelockMinDelay");
  const tokenName = m.getParameter<string>("tokenName");
  const tokenSymbol = m.getParameter<string>("tokenSymbol");
  const maxSupply = m.getParameter<bigint>("maxSupply");
  const governorName = m.getParameter<string>("governorName");
  const votingDelay = m.getParameter<bigint>("votingDelay");
  const votingPeriod = m.getParameter<bigint>("votingPeriod");
  const proposalThreshold = m.getParameter<bigint>("proposalThreshold");
  const quorumNumerator = m.getParameter<bigint>("quorumNumerator");
  const lateQuorumExtension = m.getParameter<bigint>("lateQuorumExtension");
  const proposalGuardian = m.getParameter<string>("proposalGuardian");

  // 1. Timelock
  const timelockImpl = m.contract("FluxTimelock", [], { id: "FluxTimelockImpl" });
  const timelockInit = m.encodeFunctionCall(timelockImpl, "initialize", [
    minDelay,
    [],
    [ZeroAddress],
    deployer,
  ]);
  const timelockProxy = m.contract("ERC1967Proxy", [timelockImpl, timelockInit], {
    id: "FluxTimelockProxy",
  });
  const timelock = m.contractAt("FluxTimelock", timelockProxy, { id: "FluxTimelock" });

  // 2. Token
  const tokenImpl = m.contract("FluxToken", [], { id: "FluxTokenImpl" });
  const tokenInit = m.encodeFunctionCall(tokenImpl, "initialize", [
    tokenName,
    tokenSymbol,
    maxSupply,
    timelockProxy,
    [...(genesis.treasury > 0n ? [timelockProxy] : []), ...genesis.allocations.map((a) => a.account)],
    [...(genesis.treasury > 0n ? [genesis.treasury] : []), ...genesis.allocations.map((a) => a.amount)],
  ]);
  const tokenProxy = m.contract("ERC1967Proxy", [tokenImpl, tokenInit], { id: "FluxTokenProxy" });
  const token = m.contractAt("FluxToken", tokenProxy, { id: "FluxToken" });

  // 3. Governor
  const governorImpl = m.contract("FluxGovernor", [], { id: "FluxGovernorImpl" });
  const governorInit = m.encodeFunctionCall(governorImpl, "initialize", [
    tokenProxy,
    timelockProxy,
    [
      governorName,
      votingDelay,
      votingPeriod,
      proposalThreshold,
      quorumNumerator,
      lateQuorumExtension,
      proposalGuardian,
    ],
  ]);
  const governorProxy = m.contract("ERC1967Proxy", [governorImpl, governorInit], {
    id: "FluxGovernorProxy",
  });
  const governor = m.contractAt("FluxGovernor", governorProxy, { id: "FluxGovernor" });

  // 4. Roles
  const grantProposer = m.call(timelock, "grantRole", [PROPOSER_ROLE, governorProxy], {
    id: "GrantProposer",
  });
  const grantCanceller = m.call(timelock, "grantRole", [CANCELLER_ROLE, governorProxy], {
    id: "GrantCanceller",
  });
  m.call(timelock, "renounceRole", [DEFAULT_ADMIN_ROLE, deployer], {
    id: "RenounceDeployerAdmin",
    after: [grantProposer, grantCanceller, governor, token],
  });

  return { timelock, token, governor, timelockImpl, tokenImpl, governorImpl };
});
