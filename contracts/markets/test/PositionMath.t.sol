// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IFluxController} from "../interfaces/IFluxController.sol";
import {PositionMath} from "../libraries/PositionMath.sol";
import {FluxTest} from "../../test/utils/FluxTest.sol";

/**
 * @title PositionMath: the controller's arithmetic on its own, at the Flux parameters
 * @notice Liquidation ratio 110%, price factor 97%, close factor 50%, minimum debt 10 USD. The
 *         controller's tests cover the same functions through real positions; these pin the
 *         formulas and their rounding directly.
 */
contract PositionMathTest is FluxTest {
    uint16 internal constant LIQUIDATION_RATIO = 11_000;
    uint16 internal constant PRICE_FACTOR = 9_700;
    uint16 internal constant CLOSE_FACTOR = 5_000;
    uint256 internal constant MIN_DEBT = 10e18;

    function position(uint256 collateral, uint256 debt) internal pure returns (IFluxController.AccountPosition memory p) {
        p.collateralValue = collateral;
        p.debtValue = debt;
        p.borrowLimitValue = collateral * 10_000 / 13_000;
        PositionMath.finish(p, LIQUIDATION_RATIO);
    }

    /// @notice Values round for the protocol: collateral down, debt and the liquidation line up.
    function test_values_roundForTheProtocol() public pure {
        assertEq(PositionMath.collateralValue(3, 0.5e18), 1, "collateral 1.5 rounds down");
        assertEq(PositionMath.debtValue(3, 0.5e18), 2, "debt 1.5 rounds up");
        assertEq(PositionMath.borrowLimit(20_000e18, 14_000), 14_285_714_285_714_285_714_285, "20,000 / 1.4");
        IFluxController.AccountPosition memory p = position(100, 91);
        assertEq(p.liquidationValue, 101, "91 x 1.1 = 100.1 rounds up");
        assertEq(p.liquidatable, true, "100 < 101");
        assertEq(p.healthBps, 10_989, "100 / 91 in bps, rounded down");
    }

    /// @notice Without debt a position is never liquidatable and its health is the maximum.
    function test_finish_noDebt() public pure {
        IFluxController.AccountPosition memory p = position(0, 0);
        assertEq(p.liquidatable, false, "nothing owed");
        assertEq(p.borrowAllowed, true, "0 <= 0");
        assertEq(p.healthBps, type(uint256).max, "max health");
    }

    /// @notice The close factor halves the repayment, except for dust (total debt <= 2 x minimum)
    ///         and positions under water at the price factor, which may be repaid whole.
    function test_maxRepay_closeFactorDustAndUnderWater() public pure {
        assertEq(PositionMath.maxRepay(position(1_080e18, 1_000e18), 600, MIN_DEBT, PRICE_FACTOR, CLOSE_FACTOR), 300, "half");
        assertEq(PositionMath.maxRepay(position(30e18, 20e18), 600, MIN_DEBT, PRICE_FACTOR, CLOSE_FACTOR), 600, "dust: whole");
        assertEq(PositionMath.maxRepay(position(30e18, 20e18 + 1), 600, MIN_DEBT, PRICE_FACTOR, CLOSE_FACTOR), 300, "just above dust");
        assertEq(PositionMath.maxRepay(position(1_030e18, 1_000e18), 600, MIN_DEBT, PRICE_FACTOR, CLOSE_FACTOR), 600, "1,030 x 0.97 < 1,000: whole");
        assertEq(PositionMath.maxRepay(position(1_031e18, 1_000e18), 600, MIN_DEBT, PRICE_FACTOR, CLOSE_FACTOR), 300, "1,031 x 0.97 >= 1,000: half");
    }

    /// @notice The seize price is 1 / price factor, except for a solvent position with less than
    ///         a 3% cushion, where it is collateral / debt (the `_seizePrice` rule).
    function test_seizePrice_discountOrCushion() public pure {
        (uint256 num, uint256 den) = PositionMath.seizePrice(position(1_080e18, 1_000e18), PRICE_FACTOR);
        assertEq(num, 10_000, "wide cushion: 1 / 0.97");
        assertEq(den, PRICE_FACTOR, "wide cushion: 1 / 0.97");
        (num, den) = PositionMath.seizePrice(position(1_020e18, 1_000e18), PRICE_FACTOR);
        assertEq(num, 1_020e18, "thin cushion: collateral / debt");
        assertEq(den, 1_000e18, "thin cushion: collateral / debt");
        (num, den) = PositionMath.seizePrice(position(1_000e18, 1_000e18), PRICE_FACTOR);
        assertEq(num, den, "no cushion: at par");
        (num, den) = PositionMath.seizePrice(position(900e18, 1_000e18), PRICE_FACTOR);
        assertEq(num, 10_000, "under water: the full discount");
        assertEq(den, PRICE_FACTOR, "under water: the full discount");
    }

    /// @notice A thin-cushion liquidation never leaves the position with less collateral than debt.
    function testFuzz_seizePrice_thinCushionKeepsCollateralOverDebt(uint256 debt, uint256 cushion, uint256 repay)
        public
        pure
    {
        debt = bound(debt, 1e18, 1e30);
        uint256 collateral = debt + bound(cushion, 0, debt * 300 / 9_700 - 1); // debt <= collateral < debt / 0.97
        repay = bound(repay, 0, debt);
        IFluxController.AccountPosition memory p = position(collateral, debt);
        (uint256 num, uint256 den) = PositionMath.seizePrice(p, PRICE_FACTOR);
        uint256 seized = PositionMath.seizeAssets(repay, 1e18, 1e18, num, den);
        assertLe(seized, collateral, "seize within the collateral");
        assertGe(collateral - seized, debt - repay, "collateral stays >= debt");
    }

    /// @notice The repayment {PositionMath-repayFor} quotes is the inverse seize formula rounded up,
    ///         so it always buys at least the collateral asked for.
    function testFuzz_repayFor_buysAtLeastTheAssets(uint256 assets, uint256 debtPrice, uint256 collateralPrice)
        public
        pure
    {
        assets = bound(assets, 1, 1e30);
        debtPrice = bound(debtPrice, 1e12, 1e30);
        collateralPrice = bound(collateralPrice, 1e12, 1e30);
        uint256 repay = PositionMath.repayFor(assets, debtPrice, collateralPrice, 10_000, PRICE_FACTOR);
        assertGe(PositionMath.seizeAssets(repay, debtPrice, collateralPrice, 10_000, PRICE_FACTOR), assets, "covers");
        assertEq(
            repay,
            Math.mulDiv(assets * PRICE_FACTOR, collateralPrice, debtPrice * 10_000, Math.Rounding.Ceil),
            "the inverse formula, rounded up"
        );
    }
}
