// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Test-only emission schedule that allows any total (RewardsDistributor's budget check always passes).
contract UnlimitedEmissionSchedule {
    /// @notice Always the largest total a root can carry.
    /// @return type(uint128).max.
    function cumulativeEmission(uint256, uint256) external pure returns (uint256) {
        return type(uint128).max;
    }
}
