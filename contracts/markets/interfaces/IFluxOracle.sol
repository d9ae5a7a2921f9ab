// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAggregatorV3} from "./IAggregatorV3.sol";
import {IPriceOracle} from "./IPriceOracle.sol";

/**
 * @title The Flux oracle adapter: its public surface
 * @notice The price reads of {IPriceOracle} plus the adapter's feed configuration, errors and
 *         event. {FluxOracle} implements it and declares none of these itself.
 */
interface IFluxOracle is IPriceOracle {
    /// @notice Configuration of one asset's feed.
    struct Feed {
        IAggregatorV3 aggregator;
        uint32 heartbeat;
        uint8 scaleExponent; // price = answer * 10^scaleExponent
    }

    /// @notice No feed is configured for `asset`.
    error OracleFeedNotSet(address asset);
    /// @notice The answer is zero or negative.
    error OracleInvalidPrice(address asset, int256 answer);
    /// @notice The answer is older than the heartbeat.
    error OracleStalePrice(address asset, uint256 updatedAt, uint256 heartbeat);
    /// @notice The answer's timestamp is zero or in the future, or the round is incomplete
    ///         (answered in an earlier round).
    error OracleInvalidRound(address asset, uint80 roundId, uint80 answeredInRound, uint256 updatedAt);
    /// @notice The feed's `latestRoundData` reverted.
    error OracleFeedFailed(address asset, address aggregator);
    /// @notice Heartbeat outside [MIN_HEARTBEAT, MAX_HEARTBEAT].
    error OracleBadHeartbeat(uint256 heartbeat);
    /// @notice Feed and asset decimals together exceed 36, so the price cannot be scaled to 1e36.
    error OracleBadDecimals(uint8 feedDecimals, uint8 assetDecimals);
    /// @notice Zero address where an address is required.
    error OracleZeroAddress();

    /// @notice `asset` now reads `aggregator` with `heartbeat` seconds of tolerated age; answers
    ///         are multiplied by 10^`scaleExponent`.
    event FeedSet(address indexed asset, address indexed aggregator, uint32 heartbeat, uint8 scaleExponent);

    /**
     * @notice Sets (or replaces) the feed of `asset`. Only the Timelock.
     * @param asset The ERC-20 asset (its `decimals()` is read).
     * @param aggregator The AggregatorV3 feed (its `decimals()` is read).
     * @param heartbeat Maximum age of an answer in seconds.
     */
    function setFeed(address asset, IAggregatorV3 aggregator, uint32 heartbeat) external;

    /// @notice The feed configuration of `asset`.
    /// @param asset The asset.
    /// @return The feed (zero aggregator when unset).
    function feedOf(address asset) external view returns (Feed memory);
}
