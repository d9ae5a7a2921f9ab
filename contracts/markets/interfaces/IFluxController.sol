// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What a market asks of the controller.
interface IFluxController {
    /// @notice Reverts unless `market` may accept a deposit of `amount` (listed, not paused, under cap).
    /// @param market The market (msg.sender in practice).
    /// @param amount Underlying amount to deposit.
    function checkDeposit(address market, uint256 amount) external view;

    /// @notice Reverts unless `market` may lend `amount` more (listed, not paused, under cap).
    /// @param market The market.
    /// @param amount Underlying amount to borrow.
    function checkBorrow(address market, uint256 amount) external view;

    /// @notice Reverts unless `account`'s position, as it stands now, is within its borrow limit
    ///         and its debt in `market` is zero or at least the minimum debt.
    /// @param account The account.
    /// @param market The market whose debt just changed (or address(0)).
    function checkPosition(address account, address market) external view;

    /**
     * @notice Approves a liquidation and prices it: reverts unless the borrower is liquidatable
     *         and `repayAmount` is within the close factor; returns the collateral shares to seize,
     *         worth repaid / price factor at oracle prices, or repaid x collateral / debt for a
     *         solvent position whose cushion is thinner than the discount (rounded down).
     * @param debtMarket Market whose debt is repaid.
     * @param collateralMarket Market whose supply is seized.
     * @param borrower Account liquidated.
     * @param repayAmount Underlying of `debtMarket` repaid.
     * @return seizeShares Shares of `collateralMarket` to move to the liquidator.
     */
    function liquidationSeize(address debtMarket, address collateralMarket, address borrower, uint256 repayAmount)
        external
        view
        returns (uint256 seizeShares);

    /// @notice Whether `market` is listed.
    /// @param market The market.
    /// @return True if listed.
    function isListed(address market) external view returns (bool);

    /// @notice Whether `account` has no supply left in any market (bad-debt write-off condition).
    /// @param account The account.
    /// @return True if no collateral remains.
    function hasNoCollateral(address account) external view returns (bool);
}
