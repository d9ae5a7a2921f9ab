// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {FluxMarket} from "../markets/FluxMarket.sol";

/**
 * @title An attacker contract behind the ReentrantToken hook
 * @notice Holds tokens, acts on markets as itself, and when armed re-enters `target` with `payload`
 *         during the next token transfer; either bubbles the inner revert up or records it.
 */
contract ReentrancyAttacker {
    /// @notice `execute` was called by someone else.
    error OnlySelf();

    /// @notice Whether the re-entrant call succeeded.
    bool public innerOk;
    /// @notice Revert data of the re-entrant call.
    bytes public innerError;
    /// @notice Whether the hook fired while armed.
    bool public fired;

    address private _target;
    bytes private _payload;
    bool private _bubble;

    /// @notice Arms the hook: the next transfer of the hooked token calls `target` with `payload`.
    /// @param target The contract to re-enter.
    /// @param payload The calldata.
    /// @param bubble Whether the inner revert aborts the outer operation.
    function arm(address target, bytes calldata payload, bool bubble) external {
        _target = target;
        _payload = payload;
        _bubble = bubble;
    }

    /// @notice The token hook: fires once per arming.
    function onTokenTransfer(address, address, uint256) external {
        address target = _target;
        if (target == address(0)) return;
        _target = address(0);
        fired = true;
        if (_bubble) {
            Address.functionCall(target, _payload); // bubbles the inner revert unchanged
            innerOk = true;
            return;
        }
        try this.execute(target, _payload) {
            innerOk = true;
        } catch (bytes memory returned) {
            innerOk = false;
            innerError = returned;
        }
    }

    /// @notice Calls `target` with `payload`, bubbling its revert (only the attacker itself may call).
    function execute(address target, bytes calldata payload) external {
        if (msg.sender != address(this)) revert OnlySelf();
        Address.functionCall(target, payload);
    }

    /// @notice Approves `spender` for `amount` of `token`.
    function approve(IERC20 token, address spender, uint256 amount) external {
        token.approve(spender, amount);
    }

    /// @notice Deposits for itself.
    function deposit(FluxMarket market, uint256 amount) external {
        market.deposit(amount, address(this));
    }

    /// @notice Borrows to itself.
    function borrow(FluxMarket market, uint256 amount) external {
        market.borrow(amount, address(this));
    }

    /// @notice Withdraws to itself.
    function withdraw(FluxMarket market, uint256 amount) external {
        market.withdraw(amount, address(this));
    }
}
