// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IAggregatorV3} from "./interfaces/IAggregatorV3.sol";
import {IFluxOracle} from "./interfaces/IFluxOracle.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";

/**
 * @title Oracle adapter over AggregatorV3-style feeds
 * @notice One feed per asset with its own heartbeat. A price is refused when the feed is missing or
 *         reverts, its answer is zero or negative, its round is incomplete, its timestamp is zero or
 *         in the future, or it is older than the heartbeat: {getPrice} reverts with the reason,
 *         {tryGetPrice} reports it as not valid. Decimals of feed and asset are
 *         normalized so that `amount * price / 1e18` is a USD value with 18 decimals.
 * @dev Owner: the Timelock. Behind a UUPS proxy; state in an ERC-7201 namespace.
 */
contract FluxOracle is IFluxOracle, OwnableUpgradeable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:flux.storage.FluxOracle
    struct OracleStorage {
        mapping(address asset => Feed) feeds;
    }

    // keccak256(abi.encode(uint256(keccak256("flux.storage.FluxOracle")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x2650f9af6b0fe2911aa04a5a1315956219f9aa8c3a0859a5ecb834f0f7911800;

    /// @notice Shortest accepted heartbeat.
    uint32 public constant MIN_HEARTBEAT = 60;
    /// @notice Longest accepted heartbeat.
    uint32 public constant MAX_HEARTBEAT = 2 days;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the adapter behind its proxy.
    /// @param owner_ The Timelock.
    function initialize(address owner_) public initializer {
        if (owner_ == address(0)) revert OracleZeroAddress();
        __Ownable_init(owner_);
    }

    /// @inheritdoc IFluxOracle
    function setFeed(address asset, IAggregatorV3 aggregator, uint32 heartbeat) external onlyOwner {
        if (asset == address(0) || address(aggregator) == address(0)) revert OracleZeroAddress();
        if (heartbeat < MIN_HEARTBEAT || heartbeat > MAX_HEARTBEAT) revert OracleBadHeartbeat(heartbeat);
        uint8 feedDecimals = aggregator.decimals();
        uint8 assetDecimals = IERC20Metadata(asset).decimals();
        if (uint256(feedDecimals) + assetDecimals > 36) revert OracleBadDecimals(feedDecimals, assetDecimals);
        uint8 scaleExponent = 36 - feedDecimals - assetDecimals;
        _storage().feeds[asset] = Feed(aggregator, heartbeat, scaleExponent);
        emit FeedSet(asset, address(aggregator), heartbeat, scaleExponent);
    }

    /// @inheritdoc IPriceOracle
    function getPrice(address asset) external view returns (uint256 price) {
        bytes memory failure;
        (price, failure) = _read(asset);
        if (failure.length != 0) {
            assembly ("memory-safe") {
                revert(add(failure, 0x20), mload(failure))
            }
        }
    }

    /// @inheritdoc IPriceOracle
    function tryGetPrice(address asset) external view returns (bool valid, uint256 price) {
        bytes memory failure;
        (price, failure) = _read(asset);
        if (failure.length != 0) return (false, 0);
        return (true, price);
    }

    /// @inheritdoc IFluxOracle
    function feedOf(address asset) external view returns (Feed memory) {
        return _storage().feeds[asset];
    }

    /**
     * @dev Reads and checks `asset`'s feed once for {getPrice} and {tryGetPrice}: the scaled price,
     *      or the encoded custom error saying why there is none (then the price is zero). A feed
     *      that reverts is reported as {OracleFeedFailed} rather than bubbled, so that
     *      {tryGetPrice} never reverts. (A caller cannot starve the feed call of gas to fake a
     *      failure: by EIP-150 it would keep under 1/64 of the feed's cost, far too little to
     *      finish any operation of the markets after it.)
     */
    function _read(address asset) private view returns (uint256 price, bytes memory failure) {
        Feed memory feed = _storage().feeds[asset];
        if (address(feed.aggregator) == address(0)) return (0, abi.encodeWithSelector(OracleFeedNotSet.selector, asset));
        try feed.aggregator.latestRoundData() returns (
            uint80 roundId, int256 answer, uint256, uint256 updatedAt, uint80 answeredInRound
        ) {
            if (answer <= 0) return (0, abi.encodeWithSelector(OracleInvalidPrice.selector, asset, answer));
            if (updatedAt == 0 || updatedAt > block.timestamp || answeredInRound < roundId) {
                return (0, abi.encodeWithSelector(OracleInvalidRound.selector, asset, roundId, answeredInRound, updatedAt));
            }
            if (block.timestamp - updatedAt > feed.heartbeat) {
                return (0, abi.encodeWithSelector(OracleStalePrice.selector, asset, updatedAt, feed.heartbeat));
            }
            price = uint256(answer) * 10 ** feed.scaleExponent;
        } catch {
            return (0, abi.encodeWithSelector(OracleFeedFailed.selector, asset, address(feed.aggregator)));
        }
    }

    /// @dev Only the Timelock may upgrade.
    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _storage() private pure returns (OracleStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
