/**
 * Flux lending markets for one chain: oracle adapter and controller (UUPS proxies), one market
 * beacon owned by the Timelock, and one beacon proxy per market; feeds set and markets listed;
 * then the oracle and controller are handed to the Timelock.
 *
 * The deployer is the temporary owner of oracle and controller only for the duration of this
 * module (to set feeds and list markets without a proposal per market); the last two calls
 * transfer ownership to the Timelock and `src/deploy/deploy.ts` verifies it before writing the
 * manifest. Markets and the beacon are owned by the Timelock from their first block.
 *
 * When the spec names a risk council (`steward`), the module also deploys a {FluxRiskSteward}
 * (immutable: controller, Timelock, council) and makes it the controller's steward before the
 * controller is handed over; the controller is initialized with no steward, since the steward
 * contract needs the controller's address first.
 *
 * The module is built per market list (`buildMarketsModule`), because Ignition modules are static.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { NamedArtifactContractAtFuture } from "@nomicfoundation/ignition-core";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

export interface MarketModuleSpec {
  symbol: string;
  asset: string;
  feed: string;
  heartbeat: bigint;
  collateralRatioBps: bigint;
  supplyCap: bigint;
  borrowCap: bigint;
  rateModel: { baseRatePerYear: bigint; slopeLowPerYear: bigint; slopeHighPerYear: bigint; kink: bigint };
  reserveFactorBps: bigint;
}

export interface MarketsModuleSpec {
  timelock: string;
  guardian: string;
  /** The risk council that calls the steward contract; ZeroAddress for no steward at all. */
  steward: string;
  liquidationRatioBps: bigint;
  priceFactorBps: bigint;
  closeFactorBps: bigint;
  minDebtValue: bigint;
  markets: MarketModuleSpec[];
}

export function buildMarketsModule(spec: MarketsModuleSpec) {
  return buildModule("FluxMarkets", (m) => {
    const deployer = m.getAccount(0);

    const oracleImpl = m.contract("FluxOracle", [], { id: "FluxOracleImpl" });
    const oracleProxy = m.contract(
      "ERC1967Proxy",
      [oracleImpl, m.encodeFunctionCall(oracleImpl, "initialize", [deployer])],
      { id: "FluxOracleProxy" },
    );
    const oracle = m.contractAt("FluxOracle", oracleProxy, { id: "FluxOracle" });

    const controllerImpl = m.contract("FluxController", [], { id: "FluxControllerImpl" });
    const controllerInit = m.encodeFunctionCall(controllerImpl, "initialize", [
      [
        deployer,
        oracleProxy,
        spec.guardian,
        ZERO_ADDRESS, // the steward contract, set below once it exists
        spec.liquidationRatioBps,
        spec.priceFactorBps,
        spec.closeFactorBps,
        spec.minDebtValue,
      ],
    ]);
    const controllerProxy = m.contract("ERC1967Proxy", [controllerImpl, controllerInit], {
      id: "FluxControllerProxy",
    });
    const controller = m.contractAt("FluxController", controllerProxy, { id: "FluxController" });

    const marketImpl = m.contract("FluxMarket", [], { id: "FluxMarketImpl" });
    const beacon = m.contract("UpgradeableBeacon", [marketImpl, spec.timelock], { id: "FluxMarketBeacon" });

    const markets: Record<string, NamedArtifactContractAtFuture<"FluxMarket">> = {};
    const setup = [];
    for (const s of spec.markets) {
      const init = m.encodeFunctionCall(marketImpl, "initialize", [
        s.asset,
        controllerProxy,
        spec.timelock,
        [s.rateModel.baseRatePerYear, s.rateModel.slopeLowPerYear, s.rateModel.slopeHighPerYear, s.rateModel.kink],
        s.reserveFactorBps,
      ], { id: `Init_${s.symbol}` });
      const proxy = m.contract("BeaconProxy", [beacon, init], { id: `FluxMarketProxy_${s.symbol}` });
      const market = m.contractAt("FluxMarket", proxy, { id: `FluxMarket_${s.symbol}` });
      markets[s.symbol] = market;
      setup.push(m.call(oracle, "setFeed", [s.asset, s.feed, s.heartbeat], { id: `SetFeed_${s.symbol}` }));
      setup.push(
        m.call(controller, "listMarket", [proxy, s.collateralRatioBps, s.supplyCap, s.borrowCap], {
          id: `List_${s.symbol}`,
        }),
      );
    }
    const riskSteward = spec.steward === ZERO_ADDRESS
      ? undefined
      : m.contract("FluxRiskSteward", [controllerProxy, spec.timelock, spec.steward], { id: "FluxRiskSteward" });
    if (riskSteward) setup.push(m.call(controller, "setSteward", [riskSteward], { id: "SetSteward" }));
    m.call(oracle, "transferOwnership", [spec.timelock], { id: "OracleToTimelock", after: setup });
    m.call(controller, "transferOwnership", [spec.timelock], { id: "ControllerToTimelock", after: setup });

    return { oracle, controller, beacon, oracleImpl, controllerImpl, marketImpl, ...(riskSteward ? { riskSteward } : {}), ...markets };
  });
}
