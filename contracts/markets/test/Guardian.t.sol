// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxController.guardianPause: pauses entries, never exits
 */
contract GuardianTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice The guardian pauses deposits and borrows; repay, withdraw and liquidation still work;
    ///         the guardian cannot unpause, the owner can.
    function test_guardianPause_keepsExitsOpen() public {
        openStandardPosition();
        vm.prank(GUARDIAN);
        controller.guardianPause(address(usdcMarket), true, true);
        vm.prank(GUARDIAN);
        controller.guardianPause(address(wethMarket), true, true);

        fund(usdcMarket, CAROL, 1e6);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerDepositPaused.selector, address(usdcMarket)));
        vm.prank(CAROL);
        usdcMarket.deposit(1e6, CAROL);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerBorrowPaused.selector, address(usdcMarket)));
        borrowAs(ALICE, usdcMarket, 100e6);

        repayAs(ALICE, usdcMarket, 1_000e6, ALICE);
        vm.prank(ALICE);
        wethMarket.withdraw(0.1e18, ALICE);
        vm.prank(BOB);
        usdcMarket.withdraw(1_000e6, BOB);
        setWethPrice(1_400e8);
        liquidateAs(LIQUIDATOR, ALICE, usdcMarket, 1_000e6, wethMarket);

        vm.prank(GUARDIAN);
        controller.guardianPause(address(usdcMarket), false, false);
        assertEq(controller.marketConfig(address(usdcMarket)).depositPaused, true, "guardian cannot unpause");
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, GUARDIAN));
        vm.prank(GUARDIAN);
        controller.setPaused(address(usdcMarket), false, false);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerNotGuardian.selector, STRANGER));
        vm.prank(STRANGER);
        controller.guardianPause(address(usdcMarket), true, true);

        controller.setPaused(address(usdcMarket), false, false);
        supply(usdcMarket, CAROL, 1e6);
        setWethPrice(WETH_PRICE);
        borrowAs(ALICE, usdcMarket, 100e6);
    }
}
