// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable2StepUpgradeable} from "@openzeppelin/contracts-upgradeable/access/Ownable2StepUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";

/**
 * @title FluxMarket storage layout at commit 4827adf (reference for the upgrade check)
 * @notice Test-only, never deployed. The base contracts and every storage struct of FluxMarket as they
 *         were at 4827adf, copied verbatim (test/layout.test.ts checks the copy against git), without
 *         the logic: storage layout depends only on these. hardhat-upgrades' `validateUpgrade`
 *         compares the current FluxMarket against it.
 * @dev Re-cut deliberately at 4827adf (it was 6640132, like the other references): that commit
 *      packs `BorrowSnapshot` (uint256 principal + uint256 index, two slots) into one slot
 *      (uint128 + uint128) in place. No FluxMarket has been deployed on any live chain (every
 *      deployment is local or a demo), and the compatible alternatives were worse: a new packed
 *      mapping beside a deprecated `borrows` passes `validateUpgrade` but silently drops every
 *      existing debt on upgrade, and one that keeps reading the old snapshots (a lazy migration)
 *      pays a cold read per market on every position check, which puts a first borrow above
 *      Aave v3's (the gas goal of docs/benchmarks.md). Any layout change from here on must be
 *      upgrade-safe against this reference.
 */
contract FluxMarketV1Layout is Ownable2StepUpgradeable, ReentrancyGuardTransient {
    /// @custom:storage-location erc7201:flux.storage.FluxMarket
    struct MarketStorage {
        IERC20 asset;
        IFluxController controller;
        uint256 totalShares;
        uint256 cash;
        uint256 totalBorrows;
        uint256 reserves;
        uint256 borrowIndex;
        uint64 lastAccrual;
        uint16 reserveFactorBps;
        RateModel rateModel;
        mapping(address account => uint256) shares;
        mapping(address account => BorrowSnapshot) borrows;
    }

    /// @notice Interest-rate model parameters (per year, 1e18 = 100%).
    struct RateModel {
        uint64 baseRatePerYear;
        uint64 slopeLowPerYear; // added at 100% utilization below the kink (pro rata)
        uint64 slopeHighPerYear; // added at 100% utilization above the kink (pro rata)
        uint64 kink; // utilization where the slope changes, 1e18 = 100%
    }

    /// @notice A borrower's debt as principal at a borrow index, both in one storage slot.
    struct BorrowSnapshot {
        uint128 principal;
        uint128 index;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }
}
