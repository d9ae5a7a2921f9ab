// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FluxMarket} from "../markets/FluxMarket.sol";

/// @notice Test-only: exposes FluxMarket's packing of a debt snapshot for fuzzing its bounds.
contract FluxMarketSnapshotHarness is FluxMarket {
    /// @notice {FluxMarket-_snapshot}, unpacked.
    /// @param debt The debt, underlying units.
    /// @param index The borrow index.
    /// @return principal The stored principal.
    /// @return snapshotIndex The stored index.
    function snapshot(uint256 debt, uint256 index) external pure returns (uint128 principal, uint128 snapshotIndex) {
        BorrowSnapshot memory b = _snapshot(debt, index);
        return (b.principal, b.index);
    }

    /// @notice {FluxMarket-_debtAt} of the snapshot of `debt` at `snapshotIndex`, at `index`.
    /// @param debt The debt when the snapshot was taken.
    /// @param snapshotIndex The borrow index then.
    /// @param index The borrow index now.
    /// @return The debt now, rounded up.
    function debtAt(uint256 debt, uint256 snapshotIndex, uint256 index) external pure returns (uint256) {
        return _debtAt(_snapshot(debt, snapshotIndex), index);
    }
}
