// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The Chainlink AggregatorV3 read interface (the subset the oracle adapter uses).
interface IAggregatorV3 {
    /// @notice Decimals of `answer`.
    /// @return The number of decimals.
    function decimals() external view returns (uint8);

    /// @notice The latest round.
    /// @return roundId Round id.
    /// @return answer Price.
    /// @return startedAt Round start.
    /// @return updatedAt Time of the answer.
    /// @return answeredInRound Round in which the answer was computed.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
