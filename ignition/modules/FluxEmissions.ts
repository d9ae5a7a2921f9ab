/**
 * Emissions for one chain: the emission schedule and the rewards distributor, UUPS proxies owned
 * by the Timelock from their first block (nothing to configure after deployment).
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

  const scheduleImpl = m.contract("EmissionSchedule", [], { id: "EmissionScheduleImpl" });
  const scheduleProxy = m.contract(
    "ERC1967Proxy",
    [scheduleImpl, m.encodeFunctionCall(scheduleImpl, "initialize", [timelock, start, ratePerDay, declinePerDay, chainIds])],
    { id: "EmissionScheduleProxy" },
  );
  const schedule = m.contractAt("EmissionSchedule", scheduleProxy, { id: "EmissionSchedule" });

  const distributorImpl = m.contract("RewardsDistributor", [], { id: "RewardsDistributorImpl" });
  const distributorProxy = m.contract(
    "ERC1967Proxy",
    [
      distributorImpl,
      m.encodeFunctionCall(distributorImpl, "initialize", [
        [timelock, token, scheduleProxy, scheduleChainId, operator, guardian, challengeWindow],
      ]),
    ],
    { id: "RewardsDistributorProxy" },
  );
  const distributor = m.contractAt("RewardsDistributor", distributorProxy, { id: "RewardsDistributor" });

  return { schedule, distributor, scheduleImpl, distributorImpl };
});
