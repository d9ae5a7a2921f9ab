// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAggregatorV3} from "../../markets/interfaces/IAggregatorV3.sol";

/**
 * @title Bench-only price oracle for the Compound v2 peer (Venus vTokens)
 * @notice Implements the Compound v2 / Venus `PriceOracle` interface (`getUnderlyingPrice(vToken)`,
 *         price of one base unit scaled by 1e36 / 10^underlyingDecimals, zero = unavailable) over the
 *         same AggregatorV3 feeds and with the same checks as `FluxOracle`: a missing feed, a
 *         non-positive answer, an incomplete or future round, or an answer older than the heartbeat
 *         gives zero, which the Compound v2 comptroller treats as PRICE_ERROR.
 * @dev Keyed by vToken (as Compound's UniswapAnchoredView is keyed by cToken), not behind a proxy:
 *      the leanest oracle a Compound v2 deployment could use, so that the gas bench compares the
 *      lending logic and not the oracles. Test-only, not for deployment.
 */
contract PeerFeedOracle {
    /// @notice Feed configuration of one vToken's underlying.
    struct Feed {
        IAggregatorV3 aggregator;
        uint32 heartbeat;
        uint8 scaleExponent; // price = answer * 10^scaleExponent
    }

    /// @dev May set feeds.
    address private immutable OWNER;

    mapping(address vToken => Feed) private _feeds;

    /// @notice Caller is not the owner.
    error PeerOracleNotOwner(address caller);
    /// @notice Feed and asset decimals cannot be normalized to 1e36.
    error PeerOracleBadDecimals(uint8 feedDecimals, uint8 assetDecimals);

    /// @notice `vToken`'s underlying now reads `aggregator`.
    event PeerFeedSet(address indexed vToken, address indexed aggregator, uint32 heartbeat, uint8 scaleExponent);

    constructor() {
        OWNER = msg.sender;
    }

    /**
     * @notice Sets the feed of a vToken's underlying.
     * @param vToken The market.
     * @param aggregator The AggregatorV3 feed.
     * @param heartbeat Maximum age of an answer, seconds.
     * @param assetDecimals Decimals of the underlying.
     */
    function setFeed(address vToken, IAggregatorV3 aggregator, uint32 heartbeat, uint8 assetDecimals) external {
        if (msg.sender != OWNER) revert PeerOracleNotOwner(msg.sender);
        uint8 feedDecimals = aggregator.decimals();
        if (uint256(feedDecimals) + assetDecimals > 36) revert PeerOracleBadDecimals(feedDecimals, assetDecimals);
        uint8 scaleExponent = 36 - feedDecimals - assetDecimals;
        _feeds[vToken] = Feed(aggregator, heartbeat, scaleExponent);
        emit PeerFeedSet(vToken, address(aggregator), heartbeat, scaleExponent);
    }

    /**
     * @notice Price of one base unit of `vToken`'s underlying, scaled by 1e36 / 10^decimals.
     * @param vToken The market.
     * @return The price, or zero when unavailable.
     */
    function getUnderlyingPrice(address vToken) external view returns (uint256) {
        Feed memory feed = _feeds[vToken];
        if (address(feed.aggregator) == address(0)) return 0;
        (uint80 roundId, int256 answer,, uint256 updatedAt, uint80 answeredInRound) = feed.aggregator.latestRoundData();
        if (answer <= 0 || updatedAt == 0 || updatedAt > block.timestamp || answeredInRound < roundId) return 0;
        if (block.timestamp - updatedAt > feed.heartbeat) return 0;
        return uint256(answer) * 10 ** feed.scaleExponent;
    }
}
