// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BenchBorrower, IBenchAsset, IBenchMarket} from "./BenchBorrower.sol";

/// @title Bench-only factory of {BenchBorrower}s. Test-only, not for deployment.
contract BenchBorrowerFactory {
    /// @notice A borrower was created.
    event BorrowerOpened(address borrower);

    /// @notice Opens one borrower per entry of `collaterals` and `debts` (same length).
    function open(
        IBenchAsset asset,
        IBenchMarket collateralMarket,
        IBenchMarket debtMarket,
        uint256[] calldata collaterals,
        uint256[] calldata debts
    ) external {
        for (uint256 i = 0; i < collaterals.length; ++i) {
            emit BorrowerOpened(address(new BenchBorrower(asset, collateralMarket, debtMarket, collaterals[i], debts[i])));
        }
    }
}
