// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {IFluxMarket} from "../../markets/interfaces/IFluxMarket.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxMarket.writeOffBadDebt: reserves first, then the suppliers
 */
contract WriteOffBadDebtTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice Debt of an account without collateral is written off: reserves first, then the
    ///         suppliers bear the rest at once (totalAssets and the exchange rate drop by it).
    function test_writeOffBadDebt_usesReservesThenLowersTheExchangeRate() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(usdcMarket, ALICE, 13_000e6);
        borrowAs(ALICE, usdcMarket, 10_000e6);
        supply(wethMarket, CAROL, 1e18);
        borrowAs(CAROL, usdcMarket, 1_000e6);
        warpBy(30 days);
        setWethPrice(500e8); // Carol: 500 collateral, ~1,000 debt: under water
        (uint256 repay, uint256 seize) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket);
        assertEq(wethMarket.sharesOf(CAROL), 1e18 - seize, "collateral after liquidation");
        assertEq(controller.hasNoCollateral(CAROL), true, "no collateral left anywhere");

        IFluxMarket.MarketState memory before = usdcMarket.marketState();
        uint256 debt = usdcMarket.debtOf(CAROL);
        assertGt(debt, before.reserves, "debt exceeds reserves");
        vm.expectEmit();
        emit IFluxMarket.BadDebtWrittenOff(CAROL, debt, before.reserves, debt - before.reserves);
        usdcMarket.writeOffBadDebt(CAROL);
        IFluxMarket.MarketState memory afterState = usdcMarket.marketState();
        assertEq(usdcMarket.debtOf(CAROL), 0, "debt written off");
        assertEq(afterState.reserves, 0, "reserves absorbed first");
        assertEq(afterState.totalAssets, before.totalAssets - (debt - before.reserves), "suppliers bear the rest");
        assertLt(afterState.exchangeRate, before.exchangeRate, "exchange rate dropped");
        assertEq(afterState.totalAssets, afterState.cash + afterState.totalBorrows, "no claim on missing assets");
    }

    /// @notice The loss falls on the lenders who held shares when it was written off: a lender who
    ///         deposits afterwards withdraws exactly what it deposited, even after the earlier
    ///         lenders have all left (with the loss kept in totalAssets, the late lender could
    ///         withdraw only 9,851.60 of its 10,000).
    function test_writeOffBadDebt_earlyAndLateDepositorsAfterALoss() public {
        address dave = address(0xDA7E);
        supply(usdcMarket, BOB, 100_000e6); // the early lender
        supply(wethMarket, CAROL, 10e18);
        borrowAs(CAROL, usdcMarket, 14_000e6);
        setWethPrice(1_428e8); // collateral 14,280 against 14,000: 102%
        (uint256 repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        // Before the fix the only full liquidation repaid 13,851.60 and left 148.40 to write off;
        // to test the write-off itself, force an insolvent position instead.
        setWethPrice(1_300e8);
        (repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket);
        uint256 loss = usdcMarket.debtOf(CAROL);
        assertGt(loss, 0, "bad debt left");
        usdcMarket.writeOffBadDebt(CAROL);

        supply(usdcMarket, dave, 10_000e6); // the late lender, after the loss
        uint256 bobShares = usdcMarket.sharesOf(BOB);
        vm.prank(BOB);
        uint256 bobGot = usdcMarket.redeem(bobShares, BOB);
        assertEq(bobGot, 100_000e6 - loss, "the early lender bears the whole loss (no reserves yet)");
        uint256 daveShares = usdcMarket.sharesOf(dave);
        vm.prank(dave);
        uint256 daveGot = usdcMarket.redeem(daveShares, dave);
        assertGe(daveGot, 10_000e6 - 1, "the late lender gets its deposit back (less a rounding unit)");
        assertLe(daveGot, 10_000e6, "and never more");
    }

    /// @notice writeOffBadDebt refuses accounts with collateral and accounts without debt.
    function test_writeOffBadDebt_requiresDebtWithoutCollateral() public {
        openStandardPosition();
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketNoBadDebt.selector, ALICE));
        usdcMarket.writeOffBadDebt(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketNoBadDebt.selector, STRANGER));
        usdcMarket.writeOffBadDebt(STRANGER);
    }

    /// @notice A 1-wei deposit on behalf of an insolvent account blocks its write-off only until a
    ///         liquidator takes it for one unit of the debt asset.
    function test_writeOffBadDebt_griefingDustDepositCannotBlockIt() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, CAROL, 1e18);
        borrowAs(CAROL, usdcMarket, 1_000e6);
        setWethPrice(100e8);
        (uint256 repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket);
        weth.mint(STRANGER, 1);
        vm.startPrank(STRANGER);
        weth.approve(address(wethMarket), 1);
        wethMarket.deposit(1, CAROL);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketNoBadDebt.selector, CAROL));
        usdcMarket.writeOffBadDebt(CAROL);
        (repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        assertEq(repay, 1, "one USDC unit takes the wei");
        liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket);
        usdcMarket.writeOffBadDebt(CAROL);
        assertEq(usdcMarket.debtOf(CAROL), 0, "written off");
    }
}
