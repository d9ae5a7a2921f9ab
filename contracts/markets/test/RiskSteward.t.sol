// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {FluxRiskSteward} from "../../markets/FluxRiskSteward.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {IFluxRiskSteward} from "../../markets/interfaces/IFluxRiskSteward.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxRiskSteward: bounded, rate-limited tightening by the risk council
 * @notice The steward contract holds the controller's steward role; the council calls it. The
 *         bounds (10 ratio points, half a cap, once a day per parameter per market) are the
 *         steward's; the controller only refuses, from its steward, anything that does not tighten.
 */
contract RiskStewardTest is FluxMarketsFixture {
    FluxRiskSteward internal steward;

    /// @notice Deploys the fixture and a steward for the council, and makes it the controller's steward.
    function setUp() public {
        deployMarkets();
        steward = new FluxRiskSteward(IFluxController(address(controller)), address(this), COUNCIL);
        controller.setSteward(address(steward));
    }

    /// @notice The steward raises a ratio by at most 10 points, never lowers it, once a day per parameter.
    function test_raiseCollateralRatio_boundedAndOncePerDay() public {
        vm.expectRevert(
            abi.encodeWithSelector(IFluxRiskSteward.StewardOutOfBounds.selector, bytes32("collateralRatio"), 13_000, 14_001)
        );
        vm.prank(COUNCIL);
        steward.raiseCollateralRatio(address(usdcMarket), 14_001);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxRiskSteward.StewardOutOfBounds.selector, bytes32("collateralRatio"), 13_000, 12_999)
        );
        vm.prank(COUNCIL);
        steward.raiseCollateralRatio(address(usdcMarket), 12_999);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxRiskSteward.StewardOutOfBounds.selector, bytes32("collateralRatio"), 13_000, 13_000)
        );
        vm.prank(COUNCIL);
        steward.raiseCollateralRatio(address(usdcMarket), 13_000);

        vm.expectEmit();
        emit IFluxRiskSteward.StewardChange(
            address(usdcMarket), "collateralRatio", 13_000, 14_000, block.timestamp + 1 days
        );
        vm.expectEmit();
        emit IFluxController.CollateralRatioSet(address(usdcMarket), 13_000, 14_000, address(steward));
        vm.prank(COUNCIL);
        steward.raiseCollateralRatio(address(usdcMarket), 14_000);
        assertEq(controller.marketConfig(address(usdcMarket)).collateralRatioBps, 14_000, "raised by 10 points");
        assertEq(steward.lastChange(address(usdcMarket), "collateralRatio"), block.timestamp, "change recorded");
        vm.prank(COUNCIL);
        steward.raiseCollateralRatio(address(wethMarket), 14_500); // other market: own cooldown
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxRiskSteward.StewardCooldown.selector, bytes32("collateralRatio"), block.timestamp + 1 days
            )
        );
        vm.prank(COUNCIL);
        steward.raiseCollateralRatio(address(usdcMarket), 14_100);
        vm.warp(block.timestamp + 1 days);
        vm.prank(COUNCIL);
        steward.raiseCollateralRatio(address(usdcMarket), 15_000);
        assertEq(controller.marketConfig(address(usdcMarket)).collateralRatioBps, 15_000, "after the cooldown");
    }

    /// @notice The steward cuts a cap by at most half, never raises it, once a day per cap.
    function test_lowerCaps_boundedAndOncePerDay() public {
        controller.setCaps(address(usdcMarket), 1_000e6, 800e6);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxRiskSteward.StewardOutOfBounds.selector, bytes32("supplyCap"), 1_000e6, 500e6 - 1)
        );
        vm.prank(COUNCIL);
        steward.lowerSupplyCap(address(usdcMarket), 500e6 - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxRiskSteward.StewardOutOfBounds.selector, bytes32("supplyCap"), 1_000e6, 1_000e6)
        );
        vm.prank(COUNCIL);
        steward.lowerSupplyCap(address(usdcMarket), 1_000e6);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxRiskSteward.StewardOutOfBounds.selector, bytes32("borrowCap"), 800e6, 900e6)
        );
        vm.prank(COUNCIL);
        steward.lowerBorrowCap(address(usdcMarket), 900e6);

        vm.startPrank(COUNCIL);
        steward.lowerSupplyCap(address(usdcMarket), 500e6);
        steward.lowerBorrowCap(address(usdcMarket), 400e6); // separate cooldown
        vm.stopPrank();
        assertEq(controller.marketConfig(address(usdcMarket)).supplyCap, 500e6, "supply cap halved");
        assertEq(controller.marketConfig(address(usdcMarket)).borrowCap, 400e6, "borrow cap halved");
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxRiskSteward.StewardCooldown.selector, bytes32("supplyCap"), block.timestamp + 1 days
            )
        );
        vm.prank(COUNCIL);
        steward.lowerSupplyCap(address(usdcMarket), 400e6);
        vm.warp(block.timestamp + 1 days);
        vm.prank(COUNCIL);
        steward.lowerSupplyCap(address(usdcMarket), 400e6);
    }

    /// @notice The steward can also start cutting a market that has no cap (type(uint256).max).
    function test_lowerCaps_uncappedMarket() public {
        vm.prank(COUNCIL);
        steward.lowerSupplyCap(address(wethMarket), NO_CAP / 2 + 1);
        assertEq(controller.marketConfig(address(wethMarket)).supplyCap, NO_CAP / 2 + 1, "halved");
        vm.prank(COUNCIL);
        steward.lowerBorrowCap(address(wethMarket), NO_CAP - 1);
        assertEq(controller.marketConfig(address(wethMarket)).borrowCap, NO_CAP - 1, "lowered");
    }

    /// @notice Only the council may call the steward, and only the steward contract may call the
    ///         controller's steward functions (not the council directly); with no steward, nobody may.
    function test_stewardFunctions_onlyTheSteward() public {
        vm.expectRevert(abi.encodeWithSelector(IFluxRiskSteward.StewardNotCouncil.selector, STRANGER));
        vm.prank(STRANGER);
        steward.raiseCollateralRatio(address(usdcMarket), 13_500);
        vm.expectRevert(abi.encodeWithSelector(IFluxRiskSteward.StewardNotCouncil.selector, address(this)));
        steward.lowerSupplyCap(address(usdcMarket), 1);
        vm.expectRevert(abi.encodeWithSelector(IFluxRiskSteward.StewardNotCouncil.selector, GUARDIAN));
        vm.prank(GUARDIAN);
        steward.lowerBorrowCap(address(usdcMarket), 1);

        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerNotSteward.selector, STRANGER));
        vm.prank(STRANGER);
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 13_500);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerNotSteward.selector, address(this)));
        controller.stewardLowerSupplyCap(address(usdcMarket), 1);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerNotSteward.selector, GUARDIAN));
        vm.prank(GUARDIAN);
        controller.stewardLowerBorrowCap(address(usdcMarket), 1);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerNotSteward.selector, COUNCIL));
        vm.prank(COUNCIL);
        controller.stewardLowerBorrowCap(address(usdcMarket), 1);

        controller.setSteward(address(0));
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerNotSteward.selector, address(0)));
        vm.prank(address(0));
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 13_500);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerNotSteward.selector, address(steward)));
        vm.prank(COUNCIL);
        steward.raiseCollateralRatio(address(usdcMarket), 13_500); // a replaced steward has no role
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerMarketNotListed.selector, STRANGER));
        controller.setCollateralRatio(STRANGER, 13_000);
    }

    /// @notice Defense in depth: from its steward the controller accepts only changes that tighten
    ///         (a higher ratio up to the governance maximum, lower caps) in listed markets, whatever
    ///         the steward contract checked; the step and frequency bounds are the steward's.
    function test_stewardHooks_controllerAcceptsOnlyTightening() public {
        address s = address(steward);
        vm.startPrank(s);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerStewardOutOfBounds.selector, bytes32("collateralRatio"), 13_000, 12_999)
        );
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 12_999);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerStewardOutOfBounds.selector, bytes32("collateralRatio"), 13_000, 13_000)
        );
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 13_000);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerStewardOutOfBounds.selector, bytes32("collateralRatio"), 13_000, 30_001)
        );
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 30_001);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerStewardOutOfBounds.selector, bytes32("supplyCap"), NO_CAP, NO_CAP)
        );
        controller.stewardLowerSupplyCap(address(usdcMarket), NO_CAP);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerStewardOutOfBounds.selector, bytes32("borrowCap"), NO_CAP, NO_CAP)
        );
        controller.stewardLowerBorrowCap(address(usdcMarket), NO_CAP);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerMarketNotListed.selector, STRANGER));
        controller.stewardLowerBorrowCap(STRANGER, 0);
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 30_000);
        controller.stewardLowerSupplyCap(address(usdcMarket), 0);
        vm.stopPrank();
        assertEq(controller.marketConfig(address(usdcMarket)).collateralRatioBps, 30_000, "any raise to the maximum");
        assertEq(controller.marketConfig(address(usdcMarket)).supplyCap, 0, "any cut");
    }

    /// @notice Only the Timelock replaces the council; the old council loses its access at once.
    function test_setCouncil_onlyTheTimelock() public {
        vm.expectRevert(abi.encodeWithSelector(IFluxRiskSteward.StewardNotTimelock.selector, COUNCIL));
        vm.prank(COUNCIL);
        steward.setCouncil(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(IFluxRiskSteward.StewardNotTimelock.selector, STRANGER));
        vm.prank(STRANGER);
        steward.setCouncil(STRANGER);

        vm.expectEmit();
        emit IFluxRiskSteward.CouncilSet(COUNCIL, CAROL);
        steward.setCouncil(CAROL);
        assertEq(steward.council(), CAROL, "council replaced");
        vm.expectRevert(abi.encodeWithSelector(IFluxRiskSteward.StewardNotCouncil.selector, COUNCIL));
        vm.prank(COUNCIL);
        steward.raiseCollateralRatio(address(usdcMarket), 13_500);
        vm.prank(CAROL);
        steward.raiseCollateralRatio(address(usdcMarket), 13_500);

        steward.setCouncil(address(0));
        vm.expectRevert(abi.encodeWithSelector(IFluxRiskSteward.StewardNotCouncil.selector, address(0)));
        vm.prank(address(0));
        steward.lowerSupplyCap(address(usdcMarket), NO_CAP - 1);
    }

    /// @notice The constructor refuses a zero controller, Timelock or council, and records them.
    function test_constructor_refusesZeroAddresses() public {
        IFluxController c = IFluxController(address(controller));
        vm.expectRevert(IFluxRiskSteward.StewardZeroAddress.selector);
        new FluxRiskSteward(IFluxController(address(0)), address(this), COUNCIL);
        vm.expectRevert(IFluxRiskSteward.StewardZeroAddress.selector);
        new FluxRiskSteward(c, address(0), COUNCIL);
        vm.expectRevert(IFluxRiskSteward.StewardZeroAddress.selector);
        new FluxRiskSteward(c, address(this), address(0));
        assertEq(address(steward.CONTROLLER()), address(controller), "controller");
        assertEq(steward.TIMELOCK(), address(this), "timelock");
        assertEq(steward.council(), COUNCIL, "council");
        assertEq(steward.MAX_RATIO_STEP_BPS(), 1_000, "10 points");
        assertEq(steward.MAX_CAP_CUT_BPS(), 5_000, "half");
        assertEq(steward.MIN_DELAY(), 1 days, "a day");
    }
}
