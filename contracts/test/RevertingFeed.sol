// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title A feed whose every read reverts (a deprecated or broken aggregator)
contract RevertingFeed {
    /// @notice Every read.
    error FeedRetired();

    /// @notice Feed decimals.
    /// @return 8.
    function decimals() external pure returns (uint8) {
        return 8;
    }

    /// @notice Always reverts.
    function latestRoundData() external pure returns (uint80, int256, uint256, uint256, uint80) {
        revert FeedRetired();
    }
}
