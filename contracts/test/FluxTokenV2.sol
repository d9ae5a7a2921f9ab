// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FluxToken} from "../governance/FluxToken.sol";

/// @notice Test-only: a layout-compatible next version of the token.
contract FluxTokenV2 is FluxToken {

    /// @notice Marks the upgraded implementation.
    /// @return The implementation version.
    function implementationVersion() external pure returns (uint256) {
        return 2;
    }
}
