// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {BeaconProxy} from "@openzeppelin/contracts/proxy/beacon/BeaconProxy.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {FluxController} from "../../markets/FluxController.sol";
import {FluxMarket} from "../../markets/FluxMarket.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {IPriceOracle} from "../../markets/interfaces/IPriceOracle.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxController governance: listing, parameter bounds, caps, initialization, owner-only
 */
contract ControllerAdminTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice Supply and borrow caps refuse what would exceed them, with cap and resulting total.
    function test_setCaps_limitDepositsAndBorrows() public {
        controller.setCaps(address(usdcMarket), 1_000e6, 500e6);
        supply(usdcMarket, BOB, 900e6);
        fund(usdcMarket, BOB, 100e6 + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxController.ControllerSupplyCapExceeded.selector, address(usdcMarket), 1_000e6, 1_000e6 + 1
            )
        );
        vm.prank(BOB);
        usdcMarket.deposit(100e6 + 1, BOB);
        supply(usdcMarket, BOB, 100e6);
        supply(wethMarket, ALICE, 10e18);
        borrowAs(ALICE, usdcMarket, 400e6);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerBorrowCapExceeded.selector, address(usdcMarket), 500e6, 500e6 + 1)
        );
        borrowAs(ALICE, usdcMarket, 100e6 + 1);
        borrowAs(ALICE, usdcMarket, 100e6);
    }

    /// @notice Every risk parameter setter enforces its bounds, inclusive where documented.
    function test_setters_parameterBounds() public {
        expectBadParameter("collateralRatio", LIQUIDATION_RATIO);
        controller.setCollateralRatio(address(usdcMarket), LIQUIDATION_RATIO);
        expectBadParameter("collateralRatio", 30_001);
        controller.setCollateralRatio(address(usdcMarket), 30_001);
        controller.setCollateralRatio(address(usdcMarket), 30_000);
        controller.setCollateralRatio(address(usdcMarket), LIQUIDATION_RATIO + 1);

        expectBadParameter("liquidationRatio", 10_000);
        controller.setLiquidationRatio(10_000);
        expectBadParameter("liquidationRatio", 20_001);
        controller.setLiquidationRatio(20_001);
        expectBadParameter("liquidationRatio", LIQUIDATION_RATIO + 1); // == the USDC market's ratio
        controller.setLiquidationRatio(LIQUIDATION_RATIO + 1);
        expectBadParameter("liquidationRatio", 10_309); // 10,309 x 9,700 <= 1e8
        controller.setLiquidationRatio(10_309);
        controller.setLiquidationRatio(10_310);

        expectBadParameter("priceFactor", 7_999);
        controller.setPriceFactor(7_999);
        expectBadParameter("priceFactor", 9_991);
        controller.setPriceFactor(9_991);
        controller.setLiquidationRatio(LIQUIDATION_RATIO);
        expectBadParameter("priceFactor", 9_090); // 11,000 x 9,090 <= 1e8
        controller.setPriceFactor(9_090);
        controller.setPriceFactor(9_091);
        controller.setPriceFactor(9_990);

        expectBadParameter("closeFactor", 999);
        controller.setCloseFactor(999);
        expectBadParameter("closeFactor", 10_001);
        controller.setCloseFactor(10_001);
        controller.setCloseFactor(1_000);
        controller.setCloseFactor(10_000);

        expectBadParameter("minDebtValue", 1_000_000e18 + 1);
        controller.setMinDebtValue(1_000_000e18 + 1);
        controller.setMinDebtValue(1_000_000e18);

        (uint16 liquidationRatio, uint16 priceFactor, uint16 closeFactor, uint256 minDebt) = controller.riskParameters();
        assertEq(liquidationRatio, LIQUIDATION_RATIO, "liquidation ratio");
        assertEq(priceFactor, 9_990, "price factor");
        assertEq(closeFactor, 10_000, "close factor");
        assertEq(minDebt, 1_000_000e18, "min debt");
    }

    /// @notice listMarket refuses zero, duplicates, foreign markets, non-markets, bad ratios and a 17th market.
    function test_listMarket_checks() public {
        vm.expectRevert(IFluxController.ControllerZeroAddress.selector);
        controller.listMarket(address(0), USDC_RATIO, NO_CAP, NO_CAP);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerMarketAlreadyListed.selector, address(usdcMarket)));
        controller.listMarket(address(usdcMarket), USDC_RATIO, NO_CAP, NO_CAP);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerWrongController.selector, STRANGER));
        controller.listMarket(STRANGER, USDC_RATIO, NO_CAP, NO_CAP);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerWrongController.selector, address(usdc)));
        controller.listMarket(address(usdc), USDC_RATIO, NO_CAP, NO_CAP);
        FluxMarket foreign = FluxMarket(
            address(
                new BeaconProxy(
                    address(beacon),
                    abi.encodeCall(
                        FluxMarket.initialize,
                        (usdc, IFluxController(STRANGER), address(this), rateModel(), RESERVE_FACTOR)
                    )
                )
            )
        );
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerWrongController.selector, address(foreign)));
        controller.listMarket(address(foreign), USDC_RATIO, NO_CAP, NO_CAP);
        FluxMarket extra = newMarket(usdc);
        expectBadParameter("collateralRatio", LIQUIDATION_RATIO);
        controller.listMarket(address(extra), LIQUIDATION_RATIO, NO_CAP, NO_CAP);

        for (uint256 i = controller.markets().length; i < controller.MAX_MARKETS(); ++i) {
            controller.listMarket(address(newMarket(usdc)), USDC_RATIO, NO_CAP, NO_CAP);
        }
        vm.expectRevert(IFluxController.ControllerTooManyMarkets.selector);
        controller.listMarket(address(extra), USDC_RATIO, NO_CAP, NO_CAP);
    }

    /// @notice Non-owners cannot call any controller setter nor upgrade it.
    function test_controllerGovernance_onlyOwner() public {
        address m = address(usdcMarket);
        FluxMarket fresh = newMarket(usdc);
        FluxController next = new FluxController();
        expectUnauthorized(STRANGER);
        controller.listMarket(address(fresh), USDC_RATIO, NO_CAP, NO_CAP);
        expectUnauthorized(STRANGER);
        controller.setCollateralRatio(m, 14_000);
        expectUnauthorized(STRANGER);
        controller.setLiquidationRatio(10_500);
        expectUnauthorized(STRANGER);
        controller.setPriceFactor(9_500);
        expectUnauthorized(STRANGER);
        controller.setCloseFactor(10_000);
        expectUnauthorized(STRANGER);
        controller.setMinDebtValue(0);
        expectUnauthorized(STRANGER);
        controller.setCaps(m, 0, 0);
        expectUnauthorized(STRANGER);
        controller.setPaused(m, true, true);
        expectUnauthorized(STRANGER);
        controller.setOracle(IPriceOracle(STRANGER));
        expectUnauthorized(STRANGER);
        controller.setGuardian(STRANGER);
        expectUnauthorized(STRANGER);
        controller.setSteward(STRANGER);
        expectUnauthorized(STRANGER);
        controller.upgradeToAndCall(address(next), "");
        expectUnauthorized(GUARDIAN);
        controller.setCaps(m, 0, 0);
        (address oracle_, address guardian_, address steward_) = controller.roles();
        assertEq(oracle_, address(oracle), "oracle unchanged");
        assertEq(guardian_, GUARDIAN, "guardian unchanged");
        assertEq(steward_, STEWARD, "steward unchanged");
    }

    /// @notice initialize refuses a zero owner or oracle and bad parameters; it runs once.
    function test_initialize_controller() public {
        FluxController impl = new FluxController();
        IFluxController.InitParams memory p = controllerParams();
        p.owner = address(0);
        vm.expectRevert(IFluxController.ControllerZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(FluxController.initialize, (p)));
        p = controllerParams();
        p.oracle = IPriceOracle(address(0));
        vm.expectRevert(IFluxController.ControllerZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(FluxController.initialize, (p)));
        p = controllerParams();
        p.priceFactorBps = 9_000; // 11,000 x 9,000 < 1e8
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerBadParameter.selector, bytes32("priceFactor"), 9_000)
        );
        new ERC1967Proxy(address(impl), abi.encodeCall(FluxController.initialize, (p)));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        controller.initialize(controllerParams());
        vm.expectRevert(IFluxController.ControllerZeroAddress.selector);
        controller.setOracle(IPriceOracle(address(0)));
    }
}
