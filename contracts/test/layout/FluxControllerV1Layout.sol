// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IPriceOracle} from "../../markets/interfaces/IPriceOracle.sol";

/**
 * @title FluxController storage layout at commit 6640132 (reference for the upgrade check)
 * @notice Test-only, never deployed. The base contracts and every storage struct of FluxController as they
 *         were at 6640132, copied verbatim (test/layout.test.ts checks the copy against git), without
 *         the logic: storage layout depends only on these. hardhat-upgrades' `validateUpgrade`
 *         compares the current FluxController against it.
 */
contract FluxControllerV1Layout is OwnableUpgradeable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:flux.storage.FluxController
    struct ControllerStorage {
        IPriceOracle oracle;
        address guardian;
        address steward;
        uint16 liquidationRatioBps;
        uint16 priceFactorBps;
        uint16 closeFactorBps;
        uint256 minDebtValue;
        address[] marketList;
        mapping(address market => MarketConfig) markets;
        mapping(address market => mapping(bytes4 param => uint256)) stewardLastChange;
    }

    /// @notice Per-market risk configuration.
    struct MarketConfig {
        bool listed;
        bool depositPaused;
        bool borrowPaused;
        uint16 collateralRatioBps;
        uint256 supplyCap; // underlying units; type(uint256).max = none
        uint256 borrowCap; // underlying units; type(uint256).max = none
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @dev Never deployed; only its layout is read.
    function _authorizeUpgrade(address) internal override {}
}
