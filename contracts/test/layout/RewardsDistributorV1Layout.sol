// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IEmissionSchedule} from "../../emissions/interfaces/IEmissionSchedule.sol";

/**
 * @title RewardsDistributor storage layout at commit 6640132 (reference for the upgrade check)
 * @notice Test-only, never deployed. The base contracts and every storage struct of RewardsDistributor as they
 *         were at 6640132, copied verbatim (test/layout.test.ts checks the copy against git), without
 *         the logic: storage layout depends only on these. hardhat-upgrades' `validateUpgrade`
 *         compares the current RewardsDistributor against it.
 */
contract RewardsDistributorV1Layout is OwnableUpgradeable, UUPSUpgradeable, ReentrancyGuardTransient {
    /// @custom:storage-location erc7201:flux.storage.RewardsDistributor
    struct DistributorStorage {
        // one slot: what every claim reads
        IERC20 token;
        bool paused;
        uint64 challengeWindow;
        // the active root: its own slot, read by every claim
        Root active;
        Root pending;
        IEmissionSchedule schedule;
        uint256 chainId; // the schedule's id of this chain
        address operator;
        address guardian;
        uint256 funded; // FLUX minted into this contract so far
        mapping(address account => uint256) claimed;
    }

    /// @notice A published root and what it promises.
    struct Root {
        bytes32 root;
        uint128 total; // sum of all cumulative amounts in the tree
        uint64 epochEnd; // the epoch the tree covers ends here
        uint64 submittedAt;
        bytes32 contentHash; // hash of the tree dump, so anyone can fetch and verify it
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @dev Never deployed; only its layout is read.
    function _authorizeUpgrade(address) internal override {}
}
