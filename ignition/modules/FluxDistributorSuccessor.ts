/**
 * A successor rewards distributor: the same contract as in FluxEmissions, deployed with
 * `predecessor` set to the distributor it replaces (the distributor is not upgradeable). It accepts
 * no root until the Timelock retires the predecessor in its favour (`RewardsDistributor.retire`,
 * the `replaceDistributor` proposal action), which moves the unclaimed FLUX and seeds it; from then
 * on it counts what each account claimed from the predecessor, so nothing is paid twice.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export default buildModule("FluxDistributorSuccessor", (m) => {
  const params = [
    m.getParameter<string>("timelock"),
    m.getParameter<string>("token"),
    m.getParameter<string>("schedule"),
    m.getParameter<bigint>("scheduleChainId"),
    m.getParameter<string>("operator"),
    m.getParameter<string>("guardian"),
    m.getParameter<bigint>("challengeWindow"),
    m.getParameter<string>("predecessor"),
  ];
  const distributor = m.contract("RewardsDistributor", [params], { id: "RewardsDistributor" });
  return { distributor };
});
