// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {IPriceOracle} from "../../markets/interfaces/IPriceOracle.sol";

/**
 * @title The naive refactor of the controller's storage that hardhat-upgrades must refuse
 * @notice Test-only, never deployed. The steward moved out, so a careless refactor drops its
 *         fields from the namespace: `steward` and the cooldown mapping are deleted, which shifts
 *         every member after `guardian` by one slot in the controller's ERC-7201 namespace.
 *         test/layout.test.ts expects `validateUpgrade` to reject it against the V1 layout.
 */
contract FluxControllerBadLayout is OwnableUpgradeable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:flux.storage.FluxController
    struct ControllerStorage {
        IPriceOracle oracle;
        address guardian;
        uint16 liquidationRatioBps;
        uint16 priceFactorBps;
        uint16 closeFactorBps;
        uint256 minDebtValue;
        address[] marketList;
        mapping(address market => IFluxController.MarketConfig) markets;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice An initializer, so that the only defect of this contract is its storage layout.
    /// @param owner_ Owner.
    function initialize(address owner_) public initializer {
        __Ownable_init(owner_);
    }

    /// @dev Never deployed; only its layout is read.
    function _authorizeUpgrade(address) internal override {}
}
