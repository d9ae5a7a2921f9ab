// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {FluxMarket} from "../../markets/FluxMarket.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {IFluxMarket} from "../../markets/interfaces/IFluxMarket.sol";
import {IFluxOracle} from "../../markets/interfaces/IFluxOracle.sol";
import {MockAggregator} from "../../test/MockAggregator.sol";
import {MockERC20} from "../../test/MockERC20.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxMarket.liquidate, seize and the controller's liquidationSeize / maxLiquidation
 */
contract LiquidateTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice Liquidation of a cross-market position: exact seize at repay / 0.97, health improves.
    function test_liquidate_repaysDebtAndSeizesCollateralAtThePriceFactor() public {
        openStandardPosition();
        setWethPrice(1_500e8);
        IFluxController.AccountPosition memory before = position(ALICE);
        assertEq(before.liquidatable, true, "15,000 < 15,400");
        (uint256 maxRepay, uint256 maxSeize) =
            controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        assertEq(maxRepay, 7_000e6, "close factor 50%");
        uint256 expectedSeize = uint256(7_000e6) * 1e30 * BPS / (uint256(PRICE_FACTOR) * 1_500e18);
        assertEq(maxSeize, expectedSeize, "7,000 USD / 0.97 of WETH at 1,500");

        uint256 seized = liquidateAs(LIQUIDATOR, ALICE, usdcMarket, 7_000e6, wethMarket);
        assertEq(seized, expectedSeize, "seized");
        assertEq(wethMarket.sharesOf(LIQUIDATOR), expectedSeize, "liquidator got the shares");
        assertEq(wethMarket.sharesOf(ALICE), 10e18 - expectedSeize, "borrower lost them");
        assertEq(usdcMarket.debtOf(ALICE), 7_000e6, "half the debt repaid");
        assertGt(position(ALICE).healthBps, before.healthBps, "health improved");

        vm.prank(LIQUIDATOR);
        assertEq(wethMarket.withdraw(type(uint256).max, LIQUIDATOR), expectedSeize, "seized supply is withdrawable");
    }

    /// @notice Liquidation may seize collateral in the debt market itself.
    function test_liquidate_seizingInTheSameMarket() public {
        supply(usdcMarket, BOB, 1_000e6);
        supply(usdcMarket, ALICE, 13_000e6);
        borrowAs(ALICE, usdcMarket, 10_000e6); // requires exactly 13,000
        // Alice earns ~84% of the interest she pays (her share of supply, less reserves): after
        // ~11 years at ~9% her debt outgrows collateral / 1.1 but not collateral x 0.97.
        warpBy(11 * 365 days);
        IFluxController.AccountPosition memory p = position(ALICE);
        assertEq(p.liquidatable, true, "interest made Alice liquidatable");
        assertGe(p.collateralValue * PRICE_FACTOR, p.debtValue * BPS, "not under water");
        (uint256 repay, uint256 seize) = controller.maxLiquidation(ALICE, address(usdcMarket), address(usdcMarket));
        uint256 seized = liquidateAs(LIQUIDATOR, ALICE, usdcMarket, repay, usdcMarket);
        assertEq(seized, seize, "seize as quoted");
        assertEq(usdcMarket.sharesOf(LIQUIDATOR), seize, "liquidator holds shares of the same market");
        assertGt(position(ALICE).healthBps, p.healthBps, "health improved");
    }

    /// @notice A borrower may not liquidate itself.
    function test_liquidate_selfLiquidationReverts() public {
        openStandardPosition();
        setWethPrice(1_500e8);
        vm.expectRevert(IFluxMarket.MarketSelfLiquidation.selector);
        vm.prank(ALICE);
        usdcMarket.liquidate(ALICE, 1_000e6, address(wethMarket));
    }

    /// @notice Only another listed market may call seize: not a stranger, not the market itself.
    function test_seize_onlyFromAnotherListedMarket() public {
        openStandardPosition();
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketNotListedCaller.selector, STRANGER));
        vm.prank(STRANGER);
        wethMarket.seize(STRANGER, ALICE, 1);
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketNotListedCaller.selector, address(wethMarket)));
        vm.prank(address(wethMarket));
        wethMarket.seize(STRANGER, ALICE, 1);
        FluxMarket unlisted = newMarket(usdc);
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketNotListedCaller.selector, address(unlisted)));
        vm.prank(address(unlisted));
        wethMarket.seize(STRANGER, ALICE, 1);
        assertEq(wethMarket.sharesOf(ALICE), 10e18, "nothing moved");
    }

    /// @notice Liquidating a healthy account, repaying above the close factor or seizing more than the
    ///         borrower has in that market revert with their figures.
    function test_liquidationSeize_checks() public {
        openStandardPosition();
        supply(usdcMarket, ALICE, 100e6);
        fund(usdcMarket, LIQUIDATOR, 10_000e6);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerNotLiquidatable.selector, ALICE, 20_100e18, 15_400e18)
        );
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, 1_000e6, address(wethMarket));
        (uint256 repay, uint256 seize) = controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        assertEq(repay + seize, 0, "nothing to liquidate while healthy");

        setWethPrice(1_500e8); // 15,100 < 15,400
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerRepayTooLarge.selector, 7_000e6 + 1, 7_000e6));
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, 7_000e6 + 1, address(wethMarket));
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerSeizeTooLarge.selector, 1_030_927835, 100e6)
        );
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, 1_000e6, address(usdcMarket));
        FluxMarket unlisted = newMarket(weth);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerMarketNotListed.selector, address(unlisted)));
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, 1_000e6, address(unlisted));
        // not even a contract: refused with a reason, not an empty revert
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketCollateralNotListed.selector, STRANGER));
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, 1_000e6, STRANGER);
    }

    /// @notice The close factor does not apply to dust positions or to positions under water.
    function test_liquidationSeize_fullLiquidationOfDustAndUnderwaterPositions() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 0.01e18); // 20 USD: limit 14.28
        borrowAs(ALICE, usdcMarket, 14e6);
        supply(wethMarket, CAROL, 10e18);
        borrowAs(CAROL, usdcMarket, 13_000e6);
        setWethPrice(1_500e8); // Alice: 15 < 15.4 (110% of 14); Carol: 15,000 >= 14,300
        (uint256 repay,) = controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        assertEq(repay, 14e6, "dust (<= 2 x min debt): whole debt");
        (repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        assertEq(repay, 0, "Carol is healthy");

        setWethPrice(1_300e8); // 13,000 x 0.97 < 13,000: under water
        (repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        assertLe(repay, 13_000e6, "at most the debt");
        assertGt(repay, 6_500e6, "beyond the close factor");
    }

    /// @notice A healthy account cannot be liquidated, at any size or against any collateral.
    /// @param repay Repayment attempted.
    /// @param priceDrop WETH price drop in bps that still leaves Alice above the liquidation line.
    function testFuzz_liquidate_healthyAccountReverts(uint256 repay, uint256 priceDrop) public {
        openStandardPosition();
        // liquidation line at 1,540: drops of up to 23% keep the price at or above it
        uint256 price = 2_000e8 * (BPS - bound(priceDrop, 0, 2_300)) / BPS;
        setWethPrice(int256(price));
        repay = bound(repay, 1, 14_000e6);
        IFluxController.AccountPosition memory p = position(ALICE);
        fund(usdcMarket, LIQUIDATOR, repay);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxController.ControllerNotLiquidatable.selector, ALICE, p.collateralValue, p.liquidationValue
            )
        );
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, repay, address(wethMarket));
    }

    /// @notice Liquidating oneself through a second address gains nothing: per asset, the two
    ///         addresses together hold no more after than before.
    function test_liquidate_yourselfThroughASecondAddressYieldsNoProfit() public {
        address second = address(0xA11CE2);
        openStandardPosition();
        setWethPrice(1_500e8);
        usdc.mint(second, 7_000e6);
        uint256 usdcBefore = usdc.balanceOf(ALICE) + usdc.balanceOf(second) - usdcMarket.debtOf(ALICE);
        uint256 wethBefore = supplied(wethMarket, ALICE) + supplied(wethMarket, second);
        uint256 valueBefore = usdcBefore * 1e12 + wethBefore * 1_500;

        vm.expectRevert(IFluxMarket.MarketSelfLiquidation.selector);
        vm.prank(ALICE);
        usdcMarket.liquidate(ALICE, 7_000e6, address(wethMarket));

        vm.startPrank(second);
        usdc.approve(address(usdcMarket), 7_000e6);
        usdcMarket.liquidate(ALICE, 7_000e6, address(wethMarket));
        vm.stopPrank();
        uint256 usdcAfter = usdc.balanceOf(ALICE) + usdc.balanceOf(second) - usdcMarket.debtOf(ALICE);
        uint256 wethAfter = supplied(wethMarket, ALICE) + supplied(wethMarket, second);
        assertLe(usdcAfter, usdcBefore, "USDC: no gain");
        assertLe(wethAfter, wethBefore, "WETH: no gain");
        assertLe(usdcAfter * 1e12 + wethAfter * 1_500, valueBefore, "USD: no gain");
    }

    /// @notice A liquidation right at the liquidation line improves the borrower's health.
    function test_liquidate_atTheLineImprovesHealth() public {
        openStandardPosition();
        setWethPrice(1_539.99e8); // 15,399.9 < 15,400
        IFluxController.AccountPosition memory before = position(ALICE);
        assertEq(before.liquidatable, true, "just below the line");
        assertEq(before.healthBps, 10_999, "health 1.0999");
        (uint256 repay,) = controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        liquidateAs(LIQUIDATOR, ALICE, usdcMarket, repay, wethMarket);
        IFluxController.AccountPosition memory afterLiquidation = position(ALICE);
        assertGt(afterLiquidation.healthBps, before.healthBps, "health improved");
        assertEq(afterLiquidation.liquidatable, false, "back above the line");
    }

    /// @notice For any price between the under-water point and the line, and any repayment within
    ///         the close factor, health improves and the seized value is at most repaid / 0.97.
    /// @param price WETH price (8 decimals) at which Alice is liquidatable but not under water.
    /// @param repay Repayment.
    function testFuzz_liquidate_improvesHealthAndPaysAtMostThePriceFactor(uint256 price, uint256 repay) public {
        openStandardPosition();
        // under water below 14,000 / 0.97 / 10 = 1,443.30; liquidatable below 1,540
        price = bound(price, 1_443.31e8, 1_539.99e8);
        setWethPrice(int256(price));
        repay = bound(repay, 1e6, 7_000e6);
        uint256 healthBefore = position(ALICE).healthBps;
        uint256 seized = liquidateAs(LIQUIDATOR, ALICE, usdcMarket, repay, wethMarket);
        assertGe(position(ALICE).healthBps, healthBefore, "health does not drop");
        uint256 seizedValue = seized * price * 1e10 / 1e18; // shares are 1:1 here
        assertLe(seizedValue * PRICE_FACTOR, repay * 1e12 * BPS, "seized value <= repaid / 0.97");
    }

    /// @notice An account under water can be liquidated down to no collateral, and its remaining
    ///         debt can then be written off (no unseizable dust blocks the write-off).
    /// @param collateral WETH supplied by Carol.
    /// @param price WETH price (8 decimals) after the crash.
    function testFuzz_liquidate_underwaterLeavesNoDust(uint256 collateral, uint256 price) public {
        supply(usdcMarket, BOB, 1_000_000e6);
        collateral = bound(collateral, 0.02e18, 100e18);
        supply(wethMarket, CAROL, collateral);
        borrowAs(CAROL, usdcMarket, controller.availableToBorrow(CAROL, address(usdcMarket)));
        setWethPrice(int256(bound(price, 1e8, 1_300e8)));
        for (uint256 i = 0; i < 3 && wethMarket.sharesOf(CAROL) != 0; ++i) {
            (uint256 repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
            if (repay == 0) break;
            liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket);
        }
        assertEq(wethMarket.sharesOf(CAROL), 0, "all collateral seized");
        assertEq(controller.hasNoCollateral(CAROL), true, "no collateral anywhere");
        if (usdcMarket.debtOf(CAROL) != 0) usdcMarket.writeOffBadDebt(CAROL);
        assertEq(usdcMarket.debtOf(CAROL), 0, "bad debt written off");
    }

    /// @notice The last shares of a market are taken by the smallest repayment that covers them all,
    ///         not one unit more; without that rule a remainder worth less than one unit of the debt
    ///         asset could never be seized and would block the bad-debt write-off forever.
    function test_liquidate_lastCollateralGoesToTheSmallestCoveringRepayment() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, CAROL, 1e18);
        borrowAs(CAROL, usdcMarket, 1_000e6);
        // ~16 USD of collateral for 1,000 of debt: one USDC unit buys ~6.4e10 wei. A price that does
        // not divide evenly, so the covering repayment's seize overshoots the shares left.
        setWethPrice(16.12345678e8);
        (uint256 repay, uint256 seize) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        assertEq(seize, 1e18, "the quote takes everything");
        // seize(r) = floor(r x 1e30 x 1e4 / (9,700 x 16.12345678e18)) shares (exchange rate 1)
        uint256 perUnitNum = 1e30 * BPS;
        uint256 perUnitDen = uint256(PRICE_FACTOR) * 16.12345678e18;
        assertGt(repay * perUnitNum / perUnitDen, 1e18, "repay's seize exceeds the shares left");
        assertLe((repay - 1) * perUnitNum / perUnitDen, 1e18 - 1, "one unit less does not cover them");

        fund(usdcMarket, LIQUIDATOR, repay + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxController.ControllerSeizeTooLarge.selector, (repay + 1) * perUnitNum / perUnitDen, 1e18
            )
        );
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(CAROL, repay + 1, address(wethMarket));
        vm.prank(LIQUIDATOR);
        assertEq(usdcMarket.liquidate(CAROL, repay, address(wethMarket)), 1e18, "all shares seized");
        assertLe(uint256(16.12345678e18) * PRICE_FACTOR, repay * 1e12 * BPS, "1 WETH is worth at most repaid / 0.97");
        usdcMarket.writeOffBadDebt(CAROL);
        assertEq(usdcMarket.debtOf(CAROL), 0, "written off");
    }

    /// @notice maxLiquidation's quote can always be executed as quoted, also when the collateral
    ///         market's exchange rate is above 1 (two roundings in the seize computation).
    /// @param collateral WETH supplied by Carol.
    /// @param price WETH price (8 decimals) after the crash.
    /// @param elapsed Interest time that lifts the WETH exchange rate.
    function testFuzz_maxLiquidation_quoteIsExecutable(uint256 collateral, uint256 price, uint256 elapsed) public {
        supply(usdcMarket, BOB, 1_000_000e6);
        supply(wethMarket, BOB, 1_000e18);
        supply(usdcMarket, ALICE, 10_000_000e6);
        borrowAs(ALICE, wethMarket, 900e18);
        collateral = bound(collateral, 0.02e18, 100e18);
        supply(wethMarket, CAROL, collateral);
        borrowAs(CAROL, usdcMarket, controller.availableToBorrow(CAROL, address(usdcMarket)));
        warpBy(bound(elapsed, 1 days, 3 * 365 days));
        setWethPrice(int256(bound(price, 1e8, 1_500e8)));
        (uint256 repay, uint256 seize) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        vm.assume(repay > 0);
        assertLe(seize, wethMarket.sharesOf(CAROL), "quote within the collateral");
        assertEq(liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket), seize, "seized as quoted");
    }

    /// @notice A liquidatable borrower who deposits dust into a market whose feed has lapsed stays
    ///         liquidatable (before the fix accountPosition and liquidate reverted until the feed
    ///         recovered); its lapsed collateral counts as zero, so it cannot hide behind it either.
    function test_liquidate_dustInALapsedMarketCannotEscapeIt() public {
        (FluxMarket lapsing,,) = lapsingMarket();
        openStandardPosition();
        vm.warp(block.timestamp + 2 days);
        usdcFeed.setAnswer(USDC_PRICE);
        setWethPrice(1_500e8); // 15,000 of collateral against 14,000: below the 110% line
        depositFor(ALICE, lapsing, 1_000e8, ALICE); // 50,000 USD of LAPS, unpriceable now
        IFluxController.AccountPosition memory p = position(ALICE);
        assertEq(p.collateralValue, 15_000e18, "the lapsed collateral counts as zero");
        assertEq(p.liquidatable, true, "still liquidatable");
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleStalePrice.selector, address(lapsing.asset()), START_TIME, HEARTBEAT));
        controller.maxLiquidation(ALICE, address(usdcMarket), address(lapsing)); // cannot be priced, so not seized
        (uint256 repay, uint256 seize) = controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        assertEq(repay, usdcMarket.debtOf(ALICE) * CLOSE_FACTOR / BPS, "half the debt");
        assertEq(liquidateAs(LIQUIDATOR, ALICE, usdcMarket, repay, wethMarket), seize, "liquidated");
    }

    /// @notice The review's case: 14,280 USD of WETH against 14,000 of USDC debt (102%). The only
    ///         full liquidation used to repay 13,851.60 for all the collateral and leave 148.40 of
    ///         bad debt; now the discount shrinks to the 2% cushion and the whole debt is repaid.
    function test_liquidate_solventPositionAt102PercentEndsWithoutBadDebt() public {
        openStandardPosition();
        setWethPrice(1_428e8);
        (uint256 repay, uint256 seize) = controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        assertEq(repay, 14_000e6, "the whole debt");
        assertEq(seize, 10e18, "for all the collateral");
        // Half the debt takes half the collateral: collateral / debt stays at 102%.
        assertEq(liquidateAs(LIQUIDATOR, ALICE, usdcMarket, 7_000e6, wethMarket), 5e18, "at the cushion's price");
        assertEq(position(ALICE).healthBps, 10_200, "health unchanged");
        liquidateAs(LIQUIDATOR, ALICE, usdcMarket, 7_000e6, wethMarket);
        assertEq(usdcMarket.debtOf(ALICE), 0, "no debt left");
        assertEq(controller.hasNoCollateral(ALICE), true, "no collateral left");
    }

    /// @notice Over prices, collateral ratios, cushions and decimals of both assets: a solvent
    ///         position with less than the 3% cushion is liquidated in full (maxLiquidation's quote,
    ///         executed, as a keeper would) without ever ending with debt and no collateral, pays the
    ///         liquidator no more than the cushion, and keeps collateral >= debt after a partial one.
    /// @param decimals Picks the collateral's and the debt's decimals among 6, 8 and 18.
    /// @param price Collateral price, 8 decimals, 1 .. 100,000 USD.
    /// @param cushionBps Health after the drop, 10,000 .. 10,309 bps (100% .. 103.09%).
    /// @param ratioBps Collateral ratio at borrow, 11,100 .. 30,000.
    /// @param partBps A first, partial liquidation of this share of the debt (0 = none).
    function testFuzz_liquidate_thinCushionLeavesNoBadDebt(
        uint256 decimals,
        uint256 price,
        uint256 cushionBps,
        uint256 ratioBps,
        uint256 partBps
    ) public {
        uint8[3] memory choices = [6, 8, 18];
        MockERC20 collateralToken = new MockERC20("Collateral", "COL", choices[decimals % 3]);
        MockERC20 debtToken = new MockERC20("Debt", "DEBT", choices[(decimals / 3) % 3]);
        price = bound(price, 1e8, 100_000e8);
        MockAggregator collateralFeed = new MockAggregator(8, int256(price));
        FluxMarket coll = listNewMarket(collateralToken, collateralFeed);
        FluxMarket debtMarket = listNewMarket(debtToken, new MockAggregator(8, 1e8));
        controller.setCollateralRatio(address(coll), uint16(bound(ratioBps, 11_100, 30_000)));
        supply(debtMarket, BOB, 10_000_000 * 10 ** debtToken.decimals());
        supply(coll, CAROL, 100_000e8 * 10 ** collateralToken.decimals() / price); // ~100,000 USD
        borrowAs(CAROL, debtMarket, controller.availableToBorrow(CAROL, address(debtMarket)));
        // Drop the price until collateral / debt is the chosen cushion.
        IFluxController.AccountPosition memory p = position(CAROL);
        uint256 target = price * p.debtValue * bound(cushionBps, 10_000, 10_309) / (p.collateralValue * BPS) + 1;
        collateralFeed.setAnswer(int256(target));
        p = position(CAROL);
        vm.assume(p.liquidatable && p.collateralValue >= p.debtValue);
        partBps = bound(partBps, 0, 9_000);
        if (partBps > 0) {
            uint256 first = debtMarket.debtOf(CAROL) * partBps / BPS;
            vm.assume(first > 0);
            uint256 seized = liquidateAs(LIQUIDATOR, CAROL, debtMarket, first, coll);
            assertLe(seized * target / 10 ** collateralToken.decimals() * 10 ** debtToken.decimals(),
                first * 1e8 * p.collateralValue / p.debtValue + 1e8, "paid no more than the cushion");
            IFluxController.AccountPosition memory q = position(CAROL);
            assertGe(q.collateralValue + 1e18 / 1e6, q.debtValue, "still solvent after a partial liquidation");
        }
        (uint256 repay,) = controller.maxLiquidation(CAROL, address(debtMarket), address(coll));
        vm.assume(repay > 0);
        liquidateAs(LIQUIDATOR, CAROL, debtMarket, repay, coll);
        assertEq(
            debtMarket.debtOf(CAROL) == 0 || !controller.hasNoCollateral(CAROL), true, "no debt without collateral"
        );
    }
}
