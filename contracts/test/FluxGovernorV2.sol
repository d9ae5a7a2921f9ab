// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FluxGovernor} from "../governance/FluxGovernor.sol";

/// @notice Test-only: a layout-compatible next version of the Governor.
contract FluxGovernorV2 is FluxGovernor {

    /// @notice Marks the upgraded implementation.
    /// @return The implementation version.
    function implementationVersion() external pure returns (uint256) {
        return 2;
    }
}
