// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {FluxMarket} from "../../markets/FluxMarket.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {ReentrancyAttacker} from "../../test/ReentrancyAttacker.sol";
import {ReentrantToken} from "../../test/ReentrantToken.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title Re-entrancy through a hooked token into the same and other markets
 */
contract ReentrancyTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice A token hook re-entering the same market during a deposit's pull (or a withdrawal's
    ///         push) hits the re-entrancy guard; with the error bubbled, the whole operation reverts.
    function test_nonReentrant_reentryIntoTheSameMarketReverts() public {
        (ReentrantToken token, FluxMarket market, ReentrancyAttacker attacker) = reentrancySetup();
        bytes[3] memory payloads = [
            abi.encodeCall(FluxMarket.withdraw, (1e18, address(attacker))),
            abi.encodeCall(FluxMarket.borrow, (100e18, address(attacker))),
            abi.encodeCall(FluxMarket.deposit, (1e18, address(attacker)))
        ];
        for (uint256 i = 0; i < payloads.length; ++i) {
            attacker.arm(address(market), payloads[i], true);
            vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
            attacker.deposit(market, 1_000e18);
        }
        assertEq(token.HOOK_SELECTOR(), ReentrancyAttacker.onTokenTransfer.selector, "hook selector");
        attacker.arm(address(market), payloads[0], true);
        attacker.deposit(usdcMarket, 1_000e6); // the hooked token is not moved: not armed-fired
        assertEq(attacker.fired(), false, "hook only fires on the hooked token");

        attacker.arm(address(market), payloads[1], false);
        attacker.deposit(market, 1_000e18);
        assertEq(attacker.innerOk(), false, "inner call failed");
        assertEq(
            attacker.innerError(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "with the re-entrancy error"
        );
        assertEq(market.debtOf(address(attacker)), 0, "no debt was created");
        assertEq(token.balanceOf(address(market)), market.marketState().cash, "tokens == cash");

        attacker.arm(address(market), payloads[2], true);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        attacker.withdraw(market, 1e18);
    }

    /// @notice Re-entering another market during a borrow's token transfer sees the new debt already
    ///         (effects before interactions): it cannot borrow past the limit, only within it.
    function test_borrow_reentryIntoAnotherMarketCannotExceedTheLimit() public {
        (, FluxMarket market, ReentrancyAttacker attacker) = reentrancySetup();
        supply(market, BOB, 100_000e18);
        // collateral: 13,000 USDC at 130% supports 10,000 of debt; 9,000 of the 1-USD hooked token leaves 1,000
        usdc.mint(address(attacker), 13_000e6);
        attacker.approve(usdc, address(usdcMarket), 13_000e6);
        attacker.deposit(usdcMarket, 13_000e6);

        // 5,000 USDC would fit if the 9,000 debt were not recorded yet (5,000 <= 10,000)
        attacker.arm(address(usdcMarket), abi.encodeCall(FluxMarket.borrow, (5_000e6, address(attacker))), true);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxController.ControllerBorrowLimitExceeded.selector, address(attacker), 14_000e18, 10_000e18
            )
        );
        attacker.borrow(market, 9_000e18);

        // within the 1,000 USD headroom: allowed, and the final position is within limit
        attacker.arm(address(usdcMarket), abi.encodeCall(FluxMarket.borrow, (300e6, address(attacker))), true);
        attacker.borrow(market, 9_000e18);
        assertEq(usdcMarket.debtOf(address(attacker)), 300e6, "inner borrow within the limit");
        assertEq(position(address(attacker)).borrowAllowed, true, "position within its limit");
    }

    /// @notice Re-entering another market during a withdrawal's transfer sees the reduced collateral.
    function test_withdraw_reentryIntoAnotherMarketSeesReducedCollateral() public {
        (, FluxMarket market, ReentrancyAttacker attacker) = reentrancySetup();
        supply(usdcMarket, BOB, 100_000e6);
        attacker.deposit(market, 13_000e18); // 13,000 USD at 140%: limit 9,285.71
        attacker.borrow(usdcMarket, 8_000e6);
        // after withdrawing 1,000 the limit is 8,571.43: an inner borrow of 600 (8,600) must fail,
        // although it would pass against the collateral before the withdrawal
        attacker.arm(address(usdcMarket), abi.encodeCall(FluxMarket.borrow, (600e6, address(attacker))), true);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFluxController.ControllerBorrowLimitExceeded.selector,
                address(attacker),
                8_600e18,
                Math.mulDiv(12_000e18, BPS, WETH_RATIO)
            )
        );
        attacker.withdraw(market, 1_000e18);
        attacker.arm(address(usdcMarket), abi.encodeCall(FluxMarket.borrow, (600e6, address(attacker))), false);
        attacker.withdraw(market, 1_000e18);
        assertEq(attacker.innerOk(), false, "inner borrow refused");
        assertEq(usdcMarket.debtOf(address(attacker)), 8_000e6, "debt unchanged");
        assertEq(position(address(attacker)).borrowAllowed, true, "within limit");
    }

    /// @notice Collateral credited before the tokens arrive cannot be kept: if the pull then fails,
    ///         the borrow made against it in the hook is undone with everything else.
    function test_deposit_borrowAgainstUnpaidDepositIsUndone() public {
        (ReentrantToken token, FluxMarket market, ReentrancyAttacker attacker) = reentrancySetup();
        supply(usdcMarket, BOB, 100_000e6);
        uint256 holding = token.balanceOf(address(attacker));
        uint256 usdcHeld = usdc.balanceOf(address(attacker));
        attacker.arm(address(usdcMarket), abi.encodeCall(FluxMarket.borrow, (5_000e6, address(attacker))), true);
        attacker.approve(token, address(market), type(uint256).max);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, address(attacker), holding, holding + 1)
        );
        attacker.deposit(market, holding + 1);
        assertEq(usdc.balanceOf(address(attacker)), usdcHeld, "no USDC borrowed");
        assertEq(usdcMarket.debtOf(address(attacker)), 0, "no debt");
        assertEq(market.sharesOf(address(attacker)), 0, "no shares");
    }
}
