// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title The FLUX emission schedule: its public surface
 * @notice The structs, errors and events of the schedule, its governance setters and its views
 *         (the distributor reads `cumulativeEmission`; the operator tools read the rest, their
 *         ABI compiled from this file). {EmissionSchedule} implements it and declares none of
 *         these itself.
 */
interface IEmissionSchedule {
    // ------------------------------------------------------------------ structs
    /// @notice One piece of the base schedule, from `start` until the next segment.
    struct Segment {
        uint64 start;
        uint64 origin; // time at which the line has rate `ratePerDay`
        uint128 ratePerDay; // wei of FLUX per day for all chains together, at `origin`
        uint128 declinePerDay; // wei per day by which the daily rate falls each day
    }

    /// @notice A chain launch bonus: `amount` paid linearly over [start, start + duration).
    struct Bonus {
        uint128 amount;
        uint64 start;
        uint64 duration;
    }

    /// @notice A market's reward weights on this chain (supply and borrow sides, in bps of the chain's budget).
    struct MarketWeight {
        address market;
        uint16 supplyBps;
        uint16 borrowBps;
    }

    // ------------------------------------------------------------------ errors
    /// @notice A parameter is out of bounds; `param` names it.
    error ScheduleBadParameter(bytes32 param);
    /// @notice Weights in bps do not sum to 10,000, or equal shares do not divide WEIGHT_TOTAL.
    error ScheduleBadWeights();
    /// @notice A bonus would start in the past.
    error ScheduleRetroactive(uint256 start, uint256 nowTime);

    // ------------------------------------------------------------------ events
    /// @notice A new base segment starts at `start` (also emitted for weight changes).
    event SegmentStarted(uint256 indexed index, uint64 start, uint64 origin, uint128 ratePerDay, uint128 declinePerDay);
    /// @notice Chain weights in force from `start` (out of WEIGHT_TOTAL).
    event ChainWeightsSet(uint256 indexed segment, uint64 start, uint256[] chainIds, uint256[] weights);
    /// @notice A launch bonus was added for `chainId`.
    event LaunchBonusAdded(uint256 indexed chainId, uint256 index, uint128 amount, uint64 start, uint64 duration);
    /// @notice Market weights on this chain, in force from `start`.
    event MarketWeightsSet(uint64 start, address[] markets, uint16[] supplyBps, uint16[] borrowBps);

    // ------------------------------------------------------------------ functions

    /**
     * @notice Sets the base daily rate and its daily decline from now on. Only the Timelock.
     * @param ratePerDay New daily rate for all chains (wei), at this moment.
     * @param declinePerDay New daily decline (wei per day), 0 for flat.
     */
    function setEmissionRate(uint128 ratePerDay, uint128 declinePerDay) external;

    /**
     * @notice Sets chain weights in basis points (summing to 10,000) from now on; chains not listed
     *         get nothing. Only the Timelock.
     * @param chainIds Chains.
     * @param bps Their weights in basis points.
     */
    function setChainWeightsBps(uint256[] calldata chainIds, uint256[] calldata bps) external;

    /**
     * @notice Shares the base emission equally between `chainIds` from now on. Only the Timelock.
     * @param chainIds Active chains (their count must divide WEIGHT_TOTAL: any of 1..8, 10, 12, 14, 15, 16).
     */
    function setEqualChainWeights(uint256[] calldata chainIds) external;

    /**
     * @notice Adds a launch bonus for `chainId`, paid linearly from `start` over `duration`.
     *         Only the Timelock; `start` may not be in the past.
     * @param chainId Chain receiving the bonus.
     * @param amount Total bonus (wei), e.g. 1,000,000e18.
     * @param start Start time (>= now).
     * @param duration Seconds, e.g. 14 days.
     */
    function addLaunchBonus(uint256 chainId, uint128 amount, uint64 start, uint64 duration) external;

    /**
     * @notice Sets this chain's market weights (supply and borrow sides, bps summing to 10,000)
     *         from now on. The off-chain allocation reads them from the events. Only the Timelock.
     * @param markets Markets.
     * @param supplyBps Supply-side weights.
     * @param borrowBps Borrow-side weights.
     */
    function setMarketWeights(address[] calldata markets, uint16[] calldata supplyBps, uint16[] calldata borrowBps) external;

    /**
     * @notice The exact FLUX `chainId` may have distributed by `timestamp`: its share of the base
     *         schedule plus its launch bonuses, rounded down once.
     * @param chainId The chain.
     * @param timestamp The time.
     * @return amount Wei of FLUX.
     */
    function cumulativeEmission(uint256 chainId, uint256 timestamp) external view returns (uint256 amount);

    /**
     * @notice The exact base emission of `chainId` by `timestamp`, times SCALE.
     * @param chainId The chain.
     * @param timestamp The time.
     * @return The numerator over SCALE.
     */
    function baseNumerator(uint256 chainId, uint256 timestamp) external view returns (uint256);

    /// @notice Number of base segments.
    /// @return The count.
    function segmentCount() external view returns (uint256);

    /// @notice One base segment.
    /// @param index Its index.
    /// @return The segment.
    function segmentAt(uint256 index) external view returns (Segment memory);

    /// @notice The weight (out of WEIGHT_TOTAL) of `chainId` in segment `index`.
    /// @param index Segment index.
    /// @param chainId The chain.
    /// @return The weight.
    function weightAt(uint256 index, uint256 chainId) external view returns (uint256);

    /// @notice Every chain that has ever had a weight.
    /// @return The chain ids.
    function chains() external view returns (uint256[] memory);

    /// @notice Every chain that has ever been given a launch bonus (weighted or not), in the order
    ///         of its first bonus; with `chains()` it names every chain that can emit.
    /// @return The chain ids.
    function bonusChains() external view returns (uint256[] memory);

    /// @notice Launch bonuses of `chainId`.
    /// @param chainId The chain.
    /// @return The bonuses.
    function bonusesOf(uint256 chainId) external view returns (Bonus[] memory);

    /// @notice This chain's market weights now.
    /// @return The weights.
    function marketWeights() external view returns (MarketWeight[] memory);
}
