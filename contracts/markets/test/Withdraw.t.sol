// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {IFluxMarket} from "../../markets/interfaces/IFluxMarket.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxMarket.withdraw and redeem: burning shares, cash and share limits, round trips
 */
contract WithdrawTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice Withdraw (exact assets, max) and redeem pay the supplier; a fully exited market is empty.
    function test_withdraw_redeemAndWithdrawAll() public {
        supply(usdcMarket, BOB, 1_000e6);
        vm.prank(BOB);
        assertEq(usdcMarket.withdraw(300e6, BOB), 300e6, "withdraw burns shares 1:1");
        vm.prank(BOB);
        assertEq(usdcMarket.redeem(200e6, CAROL), 200e6, "redeem pays out");
        assertEq(usdc.balanceOf(CAROL), 200e6, "redeem to another address");
        vm.prank(BOB);
        assertEq(usdcMarket.withdraw(type(uint256).max, BOB), 500e6, "max withdraws every share");
        assertEq(usdc.balanceOf(BOB), 800e6, "Bob got his tokens back");
        assertEq(usdcMarket.marketState().totalShares, 0, "no shares left");
        assertEq(usdcMarket.totalAssets(), 0, "no assets left");
    }

    /// @notice Withdrawing more than one's shares, or more than the cash, reverts with both figures.
    function test_withdraw_insufficientSharesAndCashRevert() public {
        openStandardPosition();
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketInsufficientShares.selector, 100_001e6, 100_000e6));
        vm.prank(BOB);
        usdcMarket.withdraw(100_001e6, BOB);
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketInsufficientShares.selector, 100_001e6, 100_000e6));
        vm.prank(BOB);
        usdcMarket.redeem(100_001e6, BOB);
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketInsufficientCash.selector, 100_000e6, 86_000e6));
        vm.prank(BOB);
        usdcMarket.withdraw(100_000e6, BOB);
        supply(wethMarket, CAROL, 1_000e18);
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketInsufficientCash.selector, 86_001e6, 86_000e6));
        borrowAs(CAROL, usdcMarket, 86_001e6);
    }

    /// @notice A deposit followed by a full withdrawal never returns more than was deposited,
    ///         whatever the market's state (interest accrued, other suppliers).
    /// @param amount Deposited by Carol.
    /// @param elapsed Time between deposit and withdrawal.
    function testFuzz_withdraw_instantRoundTripNeverProfits(uint256 amount, uint256 elapsed) public {
        openStandardPosition();
        vm.warp(block.timestamp + bound(elapsed, 0, 3 * 365 days));
        amount = bound(amount, 2, 1_000_000e6);
        usdc.mint(CAROL, amount);
        vm.startPrank(CAROL);
        usdc.approve(address(usdcMarket), amount);
        if (usdcMarket.convertToShares(amount) == 0) {
            vm.expectRevert(IFluxMarket.MarketZeroShares.selector);
            usdcMarket.deposit(amount, CAROL);
            vm.stopPrank();
            return;
        }
        usdcMarket.deposit(amount, CAROL);
        usdcMarket.withdraw(type(uint256).max, CAROL);
        vm.stopPrank();
        uint256 out = usdc.balanceOf(CAROL);
        assertLe(out, amount, "no profit from an instant round trip");
        assertLe(amount - out, 2, "loss below one share's value plus one unit");
    }
}
