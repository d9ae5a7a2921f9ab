// SPDX-License-Identifier: MIT
// solhint-disable one-contract-per-file, interface-starts-with-i
pragma solidity ^0.8.28;

// A dependency-free stand-in for the parts of forge-std that this project's Solidity tests use.
// Hardhat 3 runs Solidity tests on EDR, which answers Foundry cheatcodes at the address below and
// reads forge-std's invariant-targeting functions (`targetContracts`, `targetSelectors`) by ABI, so
// declaring them with the same signatures here is all the runner needs. `Vm` and `vm` keep
// forge-std's names (hence the naming rules disabled for them) so tests read like Foundry tests.

/**
 * @title Foundry cheatcodes used by the FLUX tests
 * @notice The subset of Foundry's `Vm` interface that EDR implements and these tests call.
 * @dev Add a declaration here (with forge-std's exact signature) before using another cheatcode.
 */
interface Vm {
    /// @notice Sets `msg.sender` for the next external call only.
    /// @param sender The address the next call comes from.
    function prank(address sender) external;

    /// @notice Sets `msg.sender` for every following external call until `stopPrank`.
    /// @param sender The address the calls come from.
    function startPrank(address sender) external;

    /// @notice Ends a `startPrank`.
    function stopPrank() external;

    /// @notice Sets `block.timestamp`.
    /// @param newTimestamp The new timestamp in seconds.
    function warp(uint256 newTimestamp) external;

    /// @notice Discards the current fuzz input when `condition` is false.
    /// @param condition Whether the input is usable.
    function assume(bool condition) external pure;

    /// @notice Expects the next call to revert with exactly this 4-byte error selector (no arguments).
    /// @param revertData The expected selector.
    function expectRevert(bytes4 revertData) external;

    /// @notice Expects the next call to revert with exactly this revert data (selector and arguments).
    /// @param revertData The expected ABI-encoded error.
    function expectRevert(bytes calldata revertData) external;

    /// @notice Expects the next emitted event to match the one emitted right after this call
    ///         (all topics, data and emitter are compared).
    function expectEmit() external;

    /// @notice Names an address in traces.
    /// @param account The address.
    /// @param newLabel Its name.
    function label(address account, string calldata newLabel) external;

    /// @notice The address of a private key.
    /// @param privateKey The private key.
    /// @return keyAddr The address it controls.
    function addr(uint256 privateKey) external pure returns (address keyAddr);

    /// @notice Signs a 32-byte digest with a private key (secp256k1).
    /// @param privateKey The signer's key.
    /// @param digest The hash to sign.
    /// @return v Recovery id.
    /// @return r Signature r.
    /// @return s Signature s.
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);

    /// @notice A log recorded after `recordLogs`.
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    /// @notice Starts recording every emitted log.
    function recordLogs() external;

    /// @notice The logs recorded since `recordLogs` (or the last call to this), and clears them.
    /// @return logs The logs, in order.
    function getRecordedLogs() external returns (Log[] memory logs);

    /// @notice Reads a raw storage slot of any account.
    /// @param target The account.
    /// @param slot The slot.
    /// @return data The 32-byte word stored there.
    function load(address target, bytes32 slot) external view returns (bytes32 data);
}

/**
 * @title Cheatcode access and input bounding
 * @notice Base for every contract that drives a test: the tests themselves and invariant handlers.
 */
abstract contract FluxTestBase {
    /// @dev Foundry's cheatcode address: address(uint160(uint256(keccak256("hevm cheat code")))).
    // solhint-disable-next-line const-name-snakecase
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    /// @notice `bound` was called with `min > max`.
    error BoundInvalidRange(uint256 min, uint256 max);

    /**
     * @dev Maps a fuzzed `x` into `[min, max]`. Values already in range are kept as they are, so the
     *      fuzzer's edge-case values (0, 1, type(uint256).max, ...) still reach the test unchanged
     *      when they fit; others wrap around by modulo.
     */
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (min > max) revert BoundInvalidRange(min, max);
        if (!(x < min || x > max)) return x;
        // Reached only when [min, max] is not the whole uint256 range, so the +1 cannot overflow.
        return min + (x % (max - min + 1));
    }
}

/**
 * @title Base contract of the FLUX Solidity tests
 * @notice Cheatcodes, assertions that report both sides, and invariant targeting.
 * @dev Assertions revert with a custom error carrying the message and both values; Hardhat decodes it
 *      in the failure report. Invariant targeting, as EDR does it (checked by experiment): after
 *      `setUp` it reads `targetContracts()` and `targetSelectors()` from the test contract.
 *      - `targetContracts()` empty: every contract deployed in `setUp` is fuzzed, all functions.
 *      - `targetSelectors()` narrows the functions of the contracts it names, but does not narrow the
 *        set of contracts: with `targetContracts()` empty, the other `setUp` deployments stay targets.
 *      So an invariant suite with a handler calls both `targetContract(handler)` and
 *      `targetSelector(handler, actions)` in `setUp`.
 */
abstract contract FluxTest is FluxTestBase {
    /// @notice Same layout as forge-std's `StdInvariant.FuzzSelector`, which the runner decodes.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// @notice A uint256 assertion failed: `relation` is the relation that should have held.
    error AssertionFailedUint(string message, string relation, uint256 left, uint256 right);
    /// @notice An address equality assertion failed.
    error AssertionFailedAddress(string message, address left, address right);
    /// @notice A bool equality assertion failed.
    error AssertionFailedBool(string message, bool left, bool right);
    /// @notice A bytes32 equality assertion failed.
    error AssertionFailedBytes32(string message, bytes32 left, bytes32 right);
    /// @notice A bytes equality assertion failed.
    error AssertionFailedBytes(string message, bytes left, bytes right);
    /// @notice A string equality assertion failed.
    error AssertionFailedString(string message, string left, string right);

    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;

    /// @notice Contracts the invariant runner may call (read by EDR, as forge-std's `targetContracts`).
    /// @return targeted The addresses registered with `targetContract`.
    function targetContracts() public view returns (address[] memory targeted) {
        return _targetedContracts;
    }

    /// @notice Functions the invariant runner may call (read by EDR, as forge-std's `targetSelectors`).
    /// @return targeted The selectors registered with `targetSelector`, per contract.
    function targetSelectors() public view returns (FuzzSelector[] memory targeted) {
        return _targetedSelectors;
    }

    /// @dev Lets the invariant runner call any function of `target`.
    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    /// @dev Restricts the invariant runner to `selectors` of `target`.
    function targetSelector(address target, bytes4[] memory selectors) internal {
        _targetedSelectors.push(FuzzSelector({addr: target, selectors: selectors}));
    }

    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        if (left != right) revert AssertionFailedUint(message, "left == right", left, right);
    }

    function assertLe(uint256 left, uint256 right, string memory message) internal pure {
        if (left > right) revert AssertionFailedUint(message, "left <= right", left, right);
    }

    /// @dev Fails unless `left >= right`.
    function assertGe(uint256 left, uint256 right, string memory message) internal pure {
        if (left < right) revert AssertionFailedUint(message, "left >= right", left, right);
    }

    function assertGt(uint256 left, uint256 right, string memory message) internal pure {
        if (!(left > right)) revert AssertionFailedUint(message, "left > right", left, right);
    }

    /// @dev Fails unless `left < right`.
    function assertLt(uint256 left, uint256 right, string memory message) internal pure {
        if (!(left < right)) revert AssertionFailedUint(message, "left < right", left, right);
    }

    function assertEq(address left, address right, string memory message) internal pure {
        if (left != right) revert AssertionFailedAddress(message, left, right);
    }

    function assertEq(bool left, bool right, string memory message) internal pure {
        if (left != right) revert AssertionFailedBool(message, left, right);
    }

    function assertEq(bytes32 left, bytes32 right, string memory message) internal pure {
        if (left != right) revert AssertionFailedBytes32(message, left, right);
    }

    /// @dev Fails unless the two byte strings are equal (e.g. recorded revert data).
    function assertEq(bytes memory left, bytes memory right, string memory message) internal pure {
        if (keccak256(left) != keccak256(right)) revert AssertionFailedBytes(message, left, right);
    }

    function assertEq(string memory left, string memory right, string memory message) internal pure {
        if (keccak256(bytes(left)) != keccak256(bytes(right))) {
            revert AssertionFailedString(message, left, right);
        }
    }
}
