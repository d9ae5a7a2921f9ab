/**
 * Emissions for one chain: the emission schedule (a UUPS proxy) and the rewards distributor (a
 * plain contract, not upgradeable: FLUX, the schedule and the chain id are immutables so a claim
 * reads one configuration slot), both owned by the Timelock from their first block (nothing to
 * configure after deployment). A replacement distributor is deployed with `predecessor` set to the
 * one it replaces, which the Timelock then retires in its favour (docs/emissions.md).
 *
 * The distributor can mint only after governance grants it a minter allowance on FLUX
 * (`FluxToken.setMinterAllowance`): that is the first emissions proposal (see
 * `src/emissions/actions.ts`), not a deployer power.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export default buildModule("FluxEmissions", (m) => {
  const timelock = m.getParameter<string>("timelock");
  const token = m.getParameter<string>("token");
  const start = m.getParameter<bigint>("start");
  const ratePerDay = m.getParameter<bigint>("ratePerDay");
  const declinePerDay = m.getParameter<bigint>("declinePerDay");
  const chainIds = m.getParameter<bigint[]>("chainIds");
  const scheduleChainId = m.getParameter<bigint>("scheduleChainId");
  const operator = m.getParameter<string>("operator");
  const guardian = m.getParameter<string>("guardian");
  const challengeWindow = m.getParameter<bigint>("challengeWindow");
  const predecessor = m.getParameter<string>("predecessor", "0x0000000000000000000000000000000000000000");

  const scheduleImpl = m.contract("EmissionSchedule", [], { id: "EmissionScheduleImpl" });
  const scheduleProxy = m.contract(
    "ERC1967Proxy",
    [scheduleImpl, m.encodeFunctionCall(scheduleImpl, "initialize", [timelock, start, ratePerDay, declinePerDay, chainIds])],
    { id: "EmissionScheduleProxy" },
  );
  const schedule = m.contractAt("EmissionSchedule", scheduleProxy, { id: "EmissionSchedule" });

  const distributor = m.contract(
    "RewardsDistributor",
    [[timelock, token, scheduleProxy, scheduleChainId, operator, guardian, challengeWindow, predecessor]],
    { id: "RewardsDistributor" },
  );

  return { schedule, distributor, scheduleImpl };
});
