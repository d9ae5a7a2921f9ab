// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IAggregatorV3} from "../../markets/interfaces/IAggregatorV3.sol";

/**
 * @title FluxOracle storage layout at commit 6640132 (reference for the upgrade check)
 * @notice Test-only, never deployed. The base contracts and every storage struct of FluxOracle as they
 *         were at 6640132, copied verbatim (test/layout.test.ts checks the copy against git), without
 *         the logic: storage layout depends only on these. hardhat-upgrades' `validateUpgrade`
 *         compares the current FluxOracle against it.
 */
contract FluxOracleV1Layout is OwnableUpgradeable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:flux.storage.FluxOracle
    struct OracleStorage {
        mapping(address asset => Feed) feeds;
    }

    /// @notice Configuration of one asset's feed.
    struct Feed {
        IAggregatorV3 aggregator;
        uint32 heartbeat;
        uint8 scaleExponent; // price = answer * 10^scaleExponent
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @dev Never deployed; only its layout is read.
    function _authorizeUpgrade(address) internal override {}
}
