// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {IFluxMarket} from "../../markets/interfaces/IFluxMarket.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxMarket.repay: on behalf, in full, too much, and dust loops
 */
contract RepayTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice Repay (partial, on behalf, max) reduces the debt exactly; reserves sweep to the owner.
    function test_repay_onBehalfAndInFullThenSweepReserves() public {
        openStandardPosition();
        vm.warp(block.timestamp + 365 days);
        assertEq(repayAs(CAROL, usdcMarket, 476e6, ALICE), 476e6, "Carol repays the interest for Alice");
        assertEq(usdcMarket.debtOf(ALICE), 14_000e6, "debt after repay on behalf");
        assertEq(repayAs(ALICE, usdcMarket, type(uint256).max, ALICE), 14_000e6, "max repays the whole debt");
        assertEq(usdcMarket.debtOf(ALICE), 0, "no debt");
        assertEq(usdcMarket.totalBorrows(), 0, "no borrows");

        uint256 before = usdc.balanceOf(address(this));
        assertEq(usdcMarket.sweepReserves(), 47.6e6, "swept");
        assertEq(usdc.balanceOf(address(this)) - before, 47.6e6, "treasury (owner) received the reserves");
        IFluxMarket.MarketState memory s = usdcMarket.marketState();
        assertEq(s.reserves, 0, "no reserves left");
        assertEq(s.cash, 100_428.4e6, "cash = suppliers' claim");
        assertEq(usdc.balanceOf(address(usdcMarket)), s.cash, "tokens == cash");
    }

    /// @notice Repaying more than the debt reverts with both figures.
    function test_repay_tooLargeReverts() public {
        openStandardPosition();
        usdc.mint(BOB, 20_000e6);
        vm.startPrank(BOB);
        usdc.approve(address(usdcMarket), 20_000e6);
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketRepayTooLarge.selector, 14_000e6 + 1, 14_000e6));
        usdcMarket.repay(14_000e6 + 1, ALICE);
        vm.stopPrank();
    }

    /// @notice Tiny borrow/repay cycles never reduce the debt by more than repaid nor create value,
    ///         and the minimum debt stops tiny borrows from a debt-free account.
    function test_repay_borrowRepayDustLoops() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerDebtBelowMinimum.selector, ALICE, address(usdcMarket), 1e12, MIN_DEBT)
        );
        borrowAs(ALICE, usdcMarket, 1);

        borrowAs(ALICE, usdcMarket, 1_000e6);
        usdc.mint(ALICE, 1_000e6);
        vm.prank(ALICE);
        usdc.approve(address(usdcMarket), type(uint256).max);
        // wealth = tokens held - debt (offset to stay unsigned)
        uint256 wealthBefore = usdc.balanceOf(ALICE) + 1e30 - usdcMarket.debtOf(ALICE);
        for (uint256 i = 0; i < 60; ++i) {
            uint256 debtBefore = usdcMarket.debtOf(ALICE);
            borrowAs(ALICE, usdcMarket, 1);
            assertEq(usdcMarket.debtOf(ALICE), debtBefore + 1, "a 1-wei borrow adds exactly 1");
            vm.prank(ALICE);
            usdcMarket.repay(2, ALICE);
            assertEq(usdcMarket.debtOf(ALICE), debtBefore - 1, "a 2-wei repay removes exactly 2");
            warpBy(1 + i * 600);
            assertGe(usdcMarket.debtOf(ALICE), debtBefore - 1, "interest never lowers a debt");
        }
        assertLe(usdc.balanceOf(ALICE) + 1e30 - usdcMarket.debtOf(ALICE), wealthBefore, "no value created");
        assertGe(usdcMarket.debtOf(ALICE), usdcMarket.totalBorrows(), "the only debt covers total borrows");
    }

    /// @notice Any sequence of small borrows, repayments and time leaves the borrower no richer.
    /// @param amounts Packed 16-bit amounts for borrow, repay and seconds elapsed.
    function testFuzz_repay_dustCyclesCreateNoValue(uint256 amounts) public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        borrowAs(ALICE, usdcMarket, 20e6);
        usdc.mint(ALICE, 1_000e6);
        vm.prank(ALICE);
        usdc.approve(address(usdcMarket), type(uint256).max);
        uint256 wealthBefore = usdc.balanceOf(ALICE) + 1e30 - usdcMarket.debtOf(ALICE);
        for (uint256 i = 0; i < 8; ++i) {
            uint256 word = amounts >> (i * 32);
            uint256 debt = usdcMarket.debtOf(ALICE);
            uint256 b = word & 0xff;
            uint256 r = bound((word >> 8) & 0xff, 1, 255);
            if (b > 0) borrowAs(ALICE, usdcMarket, b);
            vm.prank(ALICE);
            usdcMarket.repay(r, ALICE);
            assertEq(usdcMarket.debtOf(ALICE), debt + b - r, "debt moves by exactly borrowed - repaid");
            warpBy((word >> 16) & 0xffff);
        }
        assertLe(usdc.balanceOf(ALICE) + 1e30 - usdcMarket.debtOf(ALICE), wealthBefore, "no value created");
    }
}
