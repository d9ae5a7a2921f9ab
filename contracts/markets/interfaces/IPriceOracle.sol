// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Prices for the markets' controller.
interface IPriceOracle {
    /**
     * @notice USD price of one base unit of `asset`, scaled by 1e36 / 10^assetDecimals, so that
     *         `amount * price / 1e18` is the USD value of `amount` base units with 18 decimals.
     * @dev Reverts (never returns a bad price) when the feed is missing, stale, zero or negative.
     * @param asset The ERC-20 asset.
     * @return price The scaled price.
     */
    function getPrice(address asset) external view returns (uint256 price);

    /**
     * @notice The price {getPrice} would return, or `valid = false` (and a zero price) where
     *         {getPrice} would revert for a missing, failing, stale, zero, negative, future-dated or
     *         incomplete answer. Never reverts on a bad feed.
     * @dev The controller values collateral whose price is invalid at zero with it, so that a feed
     *      an account only supplies to can never make the account's position unreadable.
     * @param asset The ERC-20 asset.
     * @return valid Whether the price is usable.
     * @return price The scaled price (zero when not valid).
     */
    function tryGetPrice(address asset) external view returns (bool valid, uint256 price);
}
