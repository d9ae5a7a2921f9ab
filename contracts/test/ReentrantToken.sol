// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/**
 * @title Test token that hands control to a hook contract during every transfer
 * @notice Like an ERC-777 `tokensToSend` hook: before balances move in `transfer` / `transferFrom`,
 *         the token calls `onTokenTransfer(from, to, amount)` on the configured hook, which may
 *         re-enter anything (a market, another market, the controller). Reverts of the hook bubble
 *         up unchanged, so a test can expect the exact error of the re-entered call.
 * @dev Test-only: anyone may mint and anyone may set the hook. Mints and burns do not call the
 *      hook, and a transfer made by the hook itself does not call it again.
 */
contract ReentrantToken is ERC20 {
    /// @notice What the hook must implement: `onTokenTransfer(address from, address to, uint256 amount)`
    ///         (the selector of that signature).
    bytes4 public constant HOOK_SELECTOR = 0x677ba3d3;

    /// @notice The hook contract called before every transfer (address(0) for none).
    address public hook;

    bool private _inHook;

    /// @notice The hook changed.
    event HookSet(address indexed hook);

    constructor() ERC20("Reentrant Token", "REENT") {}

    /// @notice Mints `amount` to `to` (anyone may call: test token).
    /// @param to Recipient.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets the hook called before every transfer (anyone may call: test token).
    /// @param hook_ The hook contract, or address(0) to disable.
    function setHook(address hook_) external {
        hook = hook_;
        emit HookSet(hook_);
    }

    /// @dev Calls the hook before moving balances (not on mint or burn, not recursively).
    function _update(address from, address to, uint256 value) internal override {
        address hook_ = hook;
        if (hook_ != address(0) && from != address(0) && to != address(0) && !_inHook) {
            _inHook = true;
            Address.functionCall(hook_, abi.encodeWithSelector(HOOK_SELECTOR, from, to, value));
            _inHook = false;
        }
        super._update(from, to, value);
    }
}
