// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/**
 * @title EmissionSchedule storage layout at commit 6640132 (reference for the upgrade check)
 * @notice Test-only, never deployed. The base contracts and every storage struct of EmissionSchedule as they
 *         were at 6640132, copied verbatim (test/layout.test.ts checks the copy against git), without
 *         the logic: storage layout depends only on these. hardhat-upgrades' `validateUpgrade`
 *         compares the current EmissionSchedule against it.
 */
contract EmissionScheduleV1Layout is OwnableUpgradeable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:flux.storage.EmissionSchedule
    struct ScheduleStorage {
        Segment[] segments;
        uint256[] chainIds;
        mapping(uint256 chainId => bool) knownChain;
        mapping(uint256 segment => mapping(uint256 chainId => uint256)) weight;
        mapping(uint256 segment => mapping(uint256 chainId => uint256)) numeratorAtStart;
        mapping(uint256 chainId => Bonus[]) bonuses;
        MarketWeight[] marketWeights;
        /// @dev Every chain ever given a launch bonus, in the order of its first one (appended in
        ///      the namespaced struct: upgrade-safe).
        uint256[] bonusChainIds;
    }

    /// @notice One piece of the base schedule, from `start` until the next segment.
    struct Segment {
        uint64 start;
        uint64 origin; // time at which the line has rate `ratePerDay`
        uint128 ratePerDay; // wei of FLUX per day for all chains together, at `origin`
        uint128 declinePerDay; // wei per day by which the daily rate falls each day
    }

    /// @notice A chain launch bonus: `amount` paid linearly over [start, start + duration).
    struct Bonus {
        uint128 amount;
        uint64 start;
        uint64 duration;
    }

    /// @notice A market's reward weights on this chain (supply and borrow sides, in bps of the chain's budget).
    struct MarketWeight {
        address market;
        uint16 supplyBps;
        uint16 borrowBps;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @dev Never deployed; only its layout is read.
    function _authorizeUpgrade(address) internal override {}
}
