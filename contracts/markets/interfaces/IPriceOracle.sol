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
}
