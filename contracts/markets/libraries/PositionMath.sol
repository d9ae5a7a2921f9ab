// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IFluxController} from "../interfaces/IFluxController.sol";

/**
 * @title The controller's position and liquidation arithmetic
 * @notice Pure functions only: the controller reads storage, markets and the oracle, and passes the
 *         numbers here. USD values have 18 decimals; prices are the oracle's (scaled so that
 *         `amount * price / 1e18` is a USD value); ratios and factors are in basis points.
 *         Rounding always favours the protocol: debt value and liquidation line round up, the
 *         borrow limit and seized collateral round down, the repayment that buys a given amount
 *         of collateral rounds up.
 */
library PositionMath {
    /// @notice 100% in basis points.
    uint256 internal constant BPS = 10_000;

    /// @notice USD value of `amount` base units at `price`, rounded down (collateral).
    /// @param amount Underlying units.
    /// @param price Oracle price.
    /// @return USD value, 18 decimals.
    function collateralValue(uint256 amount, uint256 price) internal pure returns (uint256) {
        return amount * price / 1e18;
    }

    /// @notice USD value of `amount` base units at `price`, rounded up (debt).
    /// @param amount Underlying units.
    /// @param price Oracle price.
    /// @return USD value, 18 decimals.
    function debtValue(uint256 amount, uint256 price) internal pure returns (uint256) {
        return Math.mulDiv(amount, price, 1e18, Math.Rounding.Ceil);
    }

    /// @notice The debt a collateral value supports at a collateral ratio: value / ratio, rounded down.
    /// @param value Collateral value (USD).
    /// @param collateralRatioBps The asset's collateral ratio.
    /// @return Borrow limit contribution (USD).
    function borrowLimit(uint256 value, uint16 collateralRatioBps) internal pure returns (uint256) {
        return value * BPS / collateralRatioBps;
    }

    /**
     * @notice Completes a position whose collateral, debt and borrow limit are summed: the
     *         liquidation line (debt x liquidation ratio, rounded up), health (collateral / debt in
     *         bps, max uint without debt), whether borrowing is allowed (debt <= borrow limit) and
     *         whether it is liquidatable (some debt, and collateral below the line).
     * @param p The position, modified in place.
     * @param liquidationRatioBps The unified liquidation ratio.
     */
    function finish(IFluxController.AccountPosition memory p, uint16 liquidationRatioBps) internal pure {
        p.liquidationValue = Math.mulDiv(p.debtValue, liquidationRatioBps, BPS, Math.Rounding.Ceil);
        p.healthBps = p.debtValue == 0 ? type(uint256).max : p.collateralValue * BPS / p.debtValue;
        p.borrowAllowed = p.debtValue <= p.borrowLimitValue;
        p.liquidatable = p.debtValue > 0 && p.collateralValue < p.liquidationValue;
    }

    /**
     * @notice The largest repayment of one liquidation: `closeFactorBps` of `debt` (the
     *         borrower's debt in the repaid market, rounded down), or all of it when the position
     *         is dust (total debt value at most twice `minDebtValue`) or under water at the price
     *         factor (collateral x price factor < debt).
     * @param p The borrower's position.
     * @param debt The borrower's debt in the repaid market (underlying units).
     * @param minDebtValue Minimum debt per market (USD).
     * @param priceFactorBps Liquidation price factor.
     * @param closeFactorBps Close factor.
     * @return Underlying units.
     */
    function maxRepay(
        IFluxController.AccountPosition memory p,
        uint256 debt,
        uint256 minDebtValue,
        uint16 priceFactorBps,
        uint16 closeFactorBps
    ) internal pure returns (uint256) {
        bool dust = p.debtValue <= 2 * minDebtValue;
        bool underWater = p.collateralValue * priceFactorBps < p.debtValue * BPS;
        if (dust || underWater) return debt;
        return debt * closeFactorBps / BPS;
    }

    /**
     * @notice The seize price as a fraction `num / den` of the repaid value: 1 / priceFactor, except
     *         for a solvent position with less than the discount's cushion (debt <= collateral <
     *         debt / priceFactor), where it is collateral / debt: the liquidator's discount shrinks
     *         to the cushion, and collateral / debt is the same after the liquidation as before it.
     * @param p The borrower's position.
     * @param priceFactorBps Liquidation price factor.
     * @return num Numerator.
     * @return den Denominator.
     */
    function seizePrice(IFluxController.AccountPosition memory p, uint16 priceFactorBps)
        internal
        pure
        returns (uint256 num, uint256 den)
    {
        bool thinCushion = p.collateralValue >= p.debtValue && p.collateralValue * priceFactorBps < p.debtValue * BPS;
        return thinCushion ? (p.collateralValue, p.debtValue) : (BPS, uint256(priceFactorBps));
    }

    /**
     * @notice Collateral underlying worth `repayAmount` x the seize price at oracle prices,
     *         rounded down.
     * @param repayAmount Underlying of the debt market repaid.
     * @param debtPrice Oracle price of the debt asset.
     * @param collateralPrice Oracle price of the collateral asset.
     * @param num Seize price numerator ({seizePrice}).
     * @param den Seize price denominator ({seizePrice}).
     * @return Underlying units of the collateral asset.
     */
    function seizeAssets(uint256 repayAmount, uint256 debtPrice, uint256 collateralPrice, uint256 num, uint256 den)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(repayAmount * debtPrice, num, den * collateralPrice);
    }

    /**
     * @notice The repayment whose seize is worth `assets` of collateral: the inverse of
     *         {seizeAssets}, rounded up.
     * @param assets Underlying units of the collateral asset.
     * @param debtPrice Oracle price of the debt asset.
     * @param collateralPrice Oracle price of the collateral asset.
     * @param num Seize price numerator ({seizePrice}).
     * @param den Seize price denominator ({seizePrice}).
     * @return Underlying units of the debt asset.
     */
    function repayFor(uint256 assets, uint256 debtPrice, uint256 collateralPrice, uint256 num, uint256 den)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(assets * den, collateralPrice, debtPrice * num, Math.Rounding.Ceil);
    }
}
