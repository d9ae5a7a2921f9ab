// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FluxMarket} from "../markets/FluxMarket.sol";

/// @notice Test-only: a layout-compatible next version of every market (upgraded through the beacon).
contract FluxMarketV2 is FluxMarket {
    /// @notice Marks the upgraded implementation.
    /// @return The implementation version.
    function implementationVersion() external pure returns (uint256) {
        return 2;
    }
}
