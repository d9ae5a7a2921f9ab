// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxMarket.borrow and the controller's position check: limits, minimum debt, availableToBorrow
 */
contract BorrowTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice A borrow is allowed up to collateral / ratio exactly, and not one unit of value more.
    function test_borrow_upToTheLimitAndNotBeyond() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        uint256 available = controller.availableToBorrow(ALICE, address(usdcMarket));
        assertEq(available, 14_285_714285, "20,000 of WETH collateral / 1.4 USDC");
        borrowAs(ALICE, usdcMarket, available);
        IFluxController.AccountPosition memory p = position(ALICE);
        assertEq(p.borrowAllowed, true, "at the limit");
        assertLe(p.borrowLimitValue - p.debtValue, 1.3e12, "less than one USDC unit of headroom");
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxController.ControllerBorrowLimitExceeded.selector,
                ALICE,
                14_285_714286e12,
                Math.mulDiv(20_000e18, BPS, WETH_RATIO)
            )
        );
        borrowAs(ALICE, usdcMarket, 1);
    }

    /// @notice availableToBorrow is always borrowable (when above the minimum debt), for any
    ///         collateral and price, and the position stays within its limit.
    /// @param collateral WETH deposited.
    /// @param price WETH price (8 decimals).
    function testFuzz_availableToBorrow_isBorrowable(uint256 collateral, uint256 price) public {
        supply(usdcMarket, BOB, 10_000_000e6);
        collateral = bound(collateral, 0.01e18, 1_000e18);
        setWethPrice(int256(bound(price, 10e8, 100_000e8)));
        supply(wethMarket, ALICE, collateral);
        uint256 available = controller.availableToBorrow(ALICE, address(usdcMarket));
        vm.assume(available * 1e12 >= MIN_DEBT && available <= 10_000_000e6);
        borrowAs(ALICE, usdcMarket, available);
        assertEq(position(ALICE).borrowAllowed, true, "within limit");
        assertEq(controller.availableToBorrow(ALICE, address(usdcMarket)), 0, "nothing left");
    }

    /// @notice Borrowing or withdrawing past the limit reverts with the exact collateral and requirement.
    function test_checkPosition_borrowAndWithdrawBeyondLimitRevert() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        // 20,000 of WETH collateral at 140% supports 14,285.71 of debt
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxController.ControllerBorrowLimitExceeded.selector, ALICE, 16_000e18, Math.mulDiv(20_000e18, BPS, WETH_RATIO)
            )
        );
        borrowAs(ALICE, usdcMarket, 16_000e6);
        borrowAs(ALICE, usdcMarket, 14_000e6);
        // 14,000 of debt needs 19,600 of WETH: withdrawing 1 WETH leaves 18,000 (limit 12,857.14)
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxController.ControllerBorrowLimitExceeded.selector, ALICE, 14_000e18, Math.mulDiv(18_000e18, BPS, WETH_RATIO)
            )
        );
        vm.prank(ALICE);
        wethMarket.withdraw(1e18, ALICE);
        vm.prank(ALICE);
        wethMarket.withdraw(0.2e18, ALICE); // 19,600 left: exactly at the limit
        assertEq(position(ALICE).borrowAllowed, true, "at the limit");
    }

    /// @notice A borrow leaving less than the minimum debt in its market is refused; a repayment may leave less.
    function test_checkPosition_minimumDebt() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxController.ControllerDebtBelowMinimum.selector, ALICE, address(usdcMarket), 9.999999e18, MIN_DEBT
            )
        );
        borrowAs(ALICE, usdcMarket, 9.999999e6);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerDebtBelowMinimum.selector, ALICE, address(usdcMarket), 1e12, MIN_DEBT)
        );
        borrowAs(ALICE, usdcMarket, 1);
        borrowAs(ALICE, usdcMarket, 10e6);
        repayAs(ALICE, usdcMarket, 9.5e6, ALICE);
        assertEq(usdcMarket.debtOf(ALICE), 0.5e6, "repayment may leave dust");
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxController.ControllerDebtBelowMinimum.selector, ALICE, address(usdcMarket), 0.500001e18, MIN_DEBT
            )
        );
        borrowAs(ALICE, usdcMarket, 1);
    }
}
