// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/**
 * @notice Test-only: an implementation that breaks the token's storage layout (a field inserted
 *         before `minterAllowance` in the FLUX namespace, and the Votes/Permit/Capped namespaces
 *         dropped). hardhat-upgrades must refuse it.
 */
contract FluxTokenBadLayout is ERC20Upgradeable, OwnableUpgradeable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:flux.storage.FluxToken
    struct FluxTokenStorage {
        uint256 totalMinted;
        mapping(address minter => uint256) minterAllowance;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializer, so that the only defect of this contract is its storage layout.
    /// @param owner_ Owner.
    function initialize(address owner_) public initializer {
        __ERC20_init("Bad", "BAD");
        __Ownable_init(owner_);
    }

    /// @notice Reads the field that collides with the old layout.
    /// @return value The value in the first slot of the namespace.
    function totalMinted() external view returns (uint256 value) {
        FluxTokenStorage storage $;
        assembly {
            $.slot := 0x14440d951fa8a010c6fafb77a4a36644fb2f3c6c9c21d6330623736de3e27600
        }
        value = $.totalMinted;
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}
}
