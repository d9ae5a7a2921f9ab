// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @dev What the bench needs of a mock asset (MockERC20's open mint) and of a Flux market.
interface IBenchAsset is IERC20 {
    function mint(address to, uint256 amount) external;
}

interface IBenchMarket {
    function deposit(uint256 assets, address receiver) external returns (uint256);
    function borrow(uint256 assets, address receiver) external;
}

/**
 * @title Bench-only borrower: one position, opened in its constructor
 * @notice Mints `collateral` of the mock asset to itself, deposits it in `collateralMarket` and
 *         borrows `debt` from `debtMarket`, so that the keeper-scan bench can open 10,000 real
 *         positions (each with its Deposit and Borrow events) in a few hundred transactions.
 *         Test-only, not for deployment.
 */
contract BenchBorrower {
    constructor(IBenchAsset asset, IBenchMarket collateralMarket, IBenchMarket debtMarket, uint256 collateral, uint256 debt) {
        asset.mint(address(this), collateral);
        asset.approve(address(collateralMarket), collateral);
        collateralMarket.deposit(collateral, address(this));
        debtMarket.borrow(debt, address(this));
    }
}
