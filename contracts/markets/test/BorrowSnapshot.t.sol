// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IFluxMarket} from "../../markets/interfaces/IFluxMarket.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";
import {FluxMarketSnapshotHarness} from "../../test/FluxMarketSnapshotHarness.sol";

/**
 * @title FluxMarket's packed debt snapshot: principal and borrow index in one slot, and its bounds
 */
contract BorrowSnapshotTest is FluxMarketsFixture {
    uint256 private constant MAX128 = type(uint128).max;
    /// @dev Member 10 of MarketStorage: asset, controller, totalShares, cash, totalBorrows,
    ///      reserves, borrowIndex, (lastAccrual, reserveFactorBps), rateModel, shares, borrows.
    uint256 private constant BORROWS_MEMBER = 10;

    FluxMarketSnapshotHarness private harness;

    /// @notice Deploys the fixture and the harness.
    function setUp() public {
        deployMarkets();
        harness = new FluxMarketSnapshotHarness();
    }

    /// @dev Storage slot of `account`'s snapshot in `market`.
    function snapshotSlot(address account) private pure returns (bytes32) {
        return keccak256(abi.encode(account, uint256(erc7201("flux.storage.FluxMarket")) + BORROWS_MEMBER));
    }

    /// @notice A borrow writes principal (low 128 bits) and index (high 128 bits) into one slot;
    ///         the slot after it stays empty; a repayment rewrites the same slot.
    function test_borrow_packsPrincipalAndIndexIntoOneSlot() public {
        openStandardPosition();
        bytes32 slot = snapshotSlot(ALICE);
        assertEq(uint256(vm.load(address(usdcMarket), slot)), 14_000e6 | (1e18 << 128), "principal | index << 128");
        assertEq(vm.load(address(usdcMarket), bytes32(uint256(slot) + 1)), bytes32(0), "no second slot");

        warpBy(365 days);
        repayAs(ALICE, usdcMarket, 476e6, ALICE);
        // a year at 2% + 10% x 14% = 3.4%: 14,476 owed, 14,000 after repaying the interest, at index 1.034
        assertEq(uint256(vm.load(address(usdcMarket), slot)), 14_000e6 | (1.034e18 << 128), "rewritten in place");
        assertEq(usdcMarket.debtOf(ALICE), 14_000e6, "debt");
    }

    /// @notice Within 128 bits a snapshot keeps principal and index exactly, and its debt at any
    ///         later index is the unpacked principal x index / snapshot index, rounded up.
    /// @param debt The debt (bounded to 128 bits).
    /// @param snapshotIndex The index at the snapshot (bounded to [1e18, 2^128)).
    /// @param growth How much the index grew since (bounded so the later index fits 256 bits).
    function testFuzz_snapshot_roundTripsWithin128Bits(uint256 debt, uint256 snapshotIndex, uint256 growth) public view {
        debt = bound(debt, 0, MAX128);
        snapshotIndex = bound(snapshotIndex, 1e18, MAX128);
        uint256 index = snapshotIndex + bound(growth, 0, MAX128);
        (uint128 principal, uint128 storedIndex) = harness.snapshot(debt, snapshotIndex);
        assertEq(principal, debt, "principal");
        assertEq(storedIndex, snapshotIndex, "index");
        uint256 expected = debt == 0 ? 0 : Math.mulDiv(debt, index, snapshotIndex, Math.Rounding.Ceil);
        assertEq(harness.debtAt(debt, snapshotIndex, index), expected, "debt at a later index");
        assertEq(harness.debtAt(debt, snapshotIndex, snapshotIndex), debt, "debt at the same index");
    }

    /// @notice A debt above 128 bits is refused with its amount, whatever the index.
    /// @param debt The debt (bounded above 128 bits).
    /// @param index The borrow index.
    function testFuzz_snapshot_revertsOnADebtBeyond128Bits(uint256 debt, uint256 index) public {
        debt = bound(debt, MAX128 + 1, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketDebtTooLarge.selector, debt));
        harness.snapshot(debt, index);
    }

    /// @notice Past 128 bits of index a debt cannot be recorded, but a debt of zero (repaid in
    ///         full) is, as the empty snapshot.
    /// @param debt The debt (bounded to 128 bits).
    /// @param index The borrow index (bounded above 128 bits).
    function testFuzz_snapshot_revertsOnAnIndexBeyond128BitsUnlessRepaid(uint256 debt, uint256 index) public {
        debt = bound(debt, 1, MAX128);
        index = bound(index, MAX128 + 1, type(uint256).max);
        (uint128 principal, uint128 storedIndex) = harness.snapshot(0, index);
        assertEq(principal, 0, "empty principal");
        assertEq(storedIndex, 0, "empty index");
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketBorrowIndexTooLarge.selector, index));
        harness.snapshot(debt, index);
    }

    /// @notice A market lends up to 2^128 - 1 units to one account and refuses one more with the
    ///         resulting debt.
    function test_borrow_revertsBeyondA128BitDebt() public {
        supply(usdcMarket, BOB, 2 * MAX128);
        supply(wethMarket, ALICE, 1e48); // 2e33 USD of collateral: the limit is not what stops it
        borrowAs(ALICE, usdcMarket, MAX128);
        assertEq(usdcMarket.debtOf(ALICE), MAX128, "the largest debt a snapshot holds");
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketDebtTooLarge.selector, MAX128 + 1));
        borrowAs(ALICE, usdcMarket, 1);
    }

    /// @notice Once the index outgrows 128 bits (here: the steepest curve at 100% utilization,
    ///         accrued yearly, for 20 years), borrowing and partial repayment revert with the
    ///         index, and the debt can still be repaid in full.
    function test_borrow_revertsPastA128BitIndexWhileAFullRepayWorks() public {
        usdcMarket.setRateModel(
            IFluxMarket.RateModel({baseRatePerYear: 1e18, slopeLowPerYear: 10e18, slopeHighPerYear: 10e18, kink: 0.8e18})
        );
        supply(usdcMarket, BOB, 1_000e6 + 1);
        supply(wethMarket, ALICE, 1e48);
        borrowAs(ALICE, usdcMarket, 1_000e6); // utilization 100% (one unit of cash left): 1,100% a year
        uint256 elapsedYears;
        while (usdcMarket.marketState().borrowIndex <= MAX128) {
            warpBy(365 days);
            usdcMarket.accrueInterest();
            ++elapsedYears;
        }
        assertEq(elapsedYears, 20, "about 12x a year: 1e18 x 12^19 < 2^128 < 1e18 x 12^20");
        uint256 index = usdcMarket.marketState().borrowIndex;

        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketBorrowIndexTooLarge.selector, index));
        borrowAs(ALICE, usdcMarket, 1);
        fund(usdcMarket, ALICE, 1e6);
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketBorrowIndexTooLarge.selector, index));
        vm.prank(ALICE);
        usdcMarket.repay(1e6, ALICE);

        uint256 debt = usdcMarket.debtOf(ALICE);
        assertEq(debt, Math.mulDiv(1_000e6, index, 1e18, Math.Rounding.Ceil), "1,000 x index");
        assertEq(repayAs(ALICE, usdcMarket, type(uint256).max, ALICE), debt, "repaid in full");
        assertEq(usdcMarket.debtOf(ALICE), 0, "no debt left");
        assertEq(vm.load(address(usdcMarket), snapshotSlot(ALICE)), bytes32(0), "empty snapshot");
    }
}
