// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/**
 * @title FLUX Timelock (one per chain)
 * @notice OpenZeppelin's TimelockController behind a UUPS proxy. It owns every contract of its
 *         chain (token, Governor, markets, emissions) and is its own only admin after deployment:
 *         the Governor proposes and cancels, anyone executes.
 * @dev The Timelock can only be upgraded by itself, i.e. by an operation that waited out the
 *      minimum delay after a passed proposal queued it. No state is added here, so no namespace.
 */
contract FluxTimelock is TimelockControllerUpgradeable, UUPSUpgradeable {
    /// @notice An upgrade was attempted by someone other than the Timelock itself.
    error FluxTimelockUnauthorizedUpgrade(address caller);

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    // `initialize(minDelay, proposers, executors, admin)` is inherited from
    // TimelockControllerUpgradeable: proposers also get CANCELLER_ROLE, address(0) as executor
    // lets anyone execute, and the optional admin is renounced by the deployment.

    /// @dev Only a call made by the Timelock itself (a delayed, governance-approved operation).
    function _authorizeUpgrade(address) internal view override {
        if (msg.sender != address(this)) revert FluxTimelockUnauthorizedUpgrade(msg.sender);
    }
}
