/**
 * The story `npm start` tells, as a library so a test runs exactly the same code.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { loadDeployConfig } from "./deploy/config.js";
import { deployFlux, type FluxDeployment } from "./deploy/deploy.js";
import { localClock } from "./deploy/local.js";
import { runProposal, short, Support, type LifecycleResult } from "./governance/lifecycle.js";
import { formatFlux } from "./util/amounts.js";

export interface StartResult {
  deployment: FluxDeployment;
  proposal: LifecycleResult;
  votingPeriodBefore: bigint;
  votingPeriodAfter: bigint;
}

export async function runStart(
  hre: HardhatRuntimeEnvironment,
  opts: { log?: (line: string) => void; manifestDir?: string | null } = {},
): Promise<StartResult> {
  const log = opts.log ?? (() => {});
  const conn = await hre.network.create();
  const networkName = conn.networkName;
  const cfg = await loadDeployConfig(networkName);
  log(`== 1. Deploy FLUX governance on "${networkName}" (chain ${cfg.chainId})`);
  const d = await deployFlux(hre, conn, cfg, {
    networkName,
    manifestDir: opts.manifestDir,
    log: (l) => log(`  ${l}`),
  });
  const { token, governor, timelock } = d;
  log(`  token    ${d.manifest.contracts.token}  (${await token.symbol()}, cap ${formatFlux(await token.cap())})`);
  log(`  governor ${d.manifest.contracts.governor}  (${await governor.COUNTING_MODE()})`);
  log(`  timelock ${d.manifest.contracts.timelock}  (delay ${await timelock.getMinDelay()} s)`);

  const signers = await conn.ethers.getSigners();
  const [relayer, alice, bob, carol, dave] = signers as [typeof signers[0], ...typeof signers];
  if (!alice || !bob || !carol || !dave) throw new Error("the embedded network needs 5 accounts");
  log(`\n== 2. Holders delegate their votes to themselves`);
  for (const [name, s] of [["alice", alice], ["bob", bob], ["carol", carol], ["dave", dave]] as const) {
    await (await token.connect(s).delegate(s.address)).wait();
    log(`  ${name} ${short(s.address)} holds ${formatFlux(await token.balanceOf(s.address))} FLUX and self-delegates`);
  }
  await conn.networkHelpers.mine(1);

  log(`\n== 3. A proposal through its whole life`);
  const before = await governor.votingPeriod();
  const newPeriod = before / 2n;
  const action = {
    target: await governor.getAddress(),
    value: 0n,
    calldata: governor.interface.encodeFunctionData("setVotingPeriod", [newPeriod]),
    summary: `Governor.setVotingPeriod(${newPeriod}): voting period ${before / 3600n} h → ${newPeriod / 3600n} h`,
  };
  const proposal = await runProposal({
    governor,
    clock: localClock(conn),
    proposer: alice,
    relayer,
    actions: [action],
    description: `# Shorten the voting period\n\nHalve the voting period to ${newPeriod / 3600n} hours.`,
    votes: [
      { voter: alice, support: Support.For, reason: "faster iteration on risk parameters" },
      { voter: bob, support: Support.For, bySignature: true },
      { voter: carol, support: Support.Against },
      { voter: dave, support: Support.Abstain },
    ],
    log: (l) => log(l),
  });
  const after = await governor.votingPeriod();
  log(`\n== Result: voting period ${before} s → ${after} s`);
  if (d.manifestFile) log(`Manifest: ${d.manifestFile}`);
  return { deployment: d, proposal, votingPeriodBefore: before, votingPeriodAfter: after };
}
