// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {IFluxMarket} from "../../markets/interfaces/IFluxMarket.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxMarket interest accrual: borrowers, suppliers and reserves
 */
contract AccrueInterestTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice Interest accrues on the kinked curve; the reserve factor goes to reserves; figures exact.
    function test_accrueInterest_chargesBorrowersPaysSuppliersAndReserves() public {
        openStandardPosition();
        IFluxMarket.MarketState memory s = usdcMarket.marketState();
        assertEq(s.utilization, 0.14e18, "utilization 14,000 / 100,000");
        assertEq(s.borrowRatePerYear, 0.034e18, "2% + 10% x 14%");
        assertEq(s.supplyRatePerYear, 0.034e18 * 14 / 100 * 9 / 10, "borrow rate x utilization x (1 - reserve factor)");

        warpBy(365 days);
        assertEq(usdcMarket.debtOf(ALICE), 14_476e6, "debt after a year: 14,000 x 1.034");
        s = usdcMarket.marketState();
        assertEq(s.totalBorrows, 14_476e6, "total borrows");
        assertEq(s.reserves, 47.6e6, "10% of 476 interest");
        assertEq(s.totalAssets, 100_428.4e6, "suppliers get 90% of the interest");
        assertEq(s.exchangeRate, 1.004284e18, "exchange rate");
        assertEq(s.borrowIndex, 1.034e18, "borrow index");

        // a kink above 80%: Carol borrows the utilization up to 90% (2% + 8% + 100% x 10% = 20%)
        supply(wethMarket, CAROL, 100e18);
        uint256 target = s.totalAssets * 9 / 10 - s.totalBorrows;
        borrowAs(CAROL, usdcMarket, target);
        s = usdcMarket.marketState();
        assertEq(s.utilization, 0.9e18, "utilization 90%");
        assertEq(s.borrowRatePerYear, 0.2e18, "rate above the kink");
    }

    /// @notice Debts round up individually, so together they always cover totalBorrows, also for an
    ///         18-decimal asset with large borrows over many accruals.
    function test_accrueInterest_debtsCoverTotalBorrowsOverManyAccruals() public {
        supply(wethMarket, BOB, 10_000e18);
        supply(usdcMarket, ALICE, 100_000_000e6);
        supply(usdcMarket, CAROL, 100_000_000e6);
        borrowAs(ALICE, wethMarket, 3_333.333333333333333333e18);
        borrowAs(CAROL, wethMarket, 4_321.123456789012345678e18);
        for (uint256 i = 0; i < 40; ++i) {
            vm.warp(block.timestamp + 1 hours + i * 7_919);
            wethMarket.accrueInterest();
            assertGe(
                wethMarket.debtOf(ALICE) + wethMarket.debtOf(CAROL), wethMarket.totalBorrows(), "sum of debts >= totalBorrows"
            );
        }
        repayAs(ALICE, wethMarket, type(uint256).max, ALICE);
        repayAs(CAROL, wethMarket, type(uint256).max, CAROL);
        assertEq(wethMarket.totalBorrows(), 0, "no borrows left once every debt is repaid");
    }
}
