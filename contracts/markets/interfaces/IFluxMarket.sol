// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What the controller reads from and asks of a market.
interface IFluxMarket {
    /// @notice The underlying ERC-20.
    /// @return The asset address.
    function asset() external view returns (address);

    /// @notice An account's supplied underlying (its shares at the exchange rate, rounded down) and
    ///         its debt (rounded up), both with interest accrued to now.
    /// @param account The account.
    /// @return supplied Underlying units supplied.
    /// @return debt Underlying units owed.
    function accountSnapshot(address account) external view returns (uint256 supplied, uint256 debt);

    /// @notice Total underlying the suppliers own (cash + borrows - reserves), interest accrued to now.
    /// @return The amount.
    function totalAssets() external view returns (uint256);

    /// @notice Total borrows, interest accrued to now.
    /// @return The amount.
    function totalBorrows() external view returns (uint256);

    /// @notice Accrues interest up to now.
    function accrueInterest() external;

    /**
     * @notice Moves `shares` of `borrower`'s supply to `liquidator`. Only callable by another
     *         listed market during a liquidation the controller approved.
     * @param liquidator Receiver of the shares.
     * @param borrower Account liquidated.
     * @param shares Shares to move.
     */
    function seize(address liquidator, address borrower, uint256 shares) external;

    /// @notice Converts underlying to shares, rounding down.
    /// @param assets Underlying amount.
    /// @return Shares.
    function convertToShares(uint256 assets) external view returns (uint256);

    /// @notice Shares held by `account`.
    /// @param account The account.
    /// @return Shares.
    function sharesOf(address account) external view returns (uint256);
}
