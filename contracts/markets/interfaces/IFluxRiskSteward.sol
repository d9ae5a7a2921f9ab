// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IFluxController} from "./IFluxController.sol";

/**
 * @title The Flux risk steward: its public surface
 * @notice A contract that holds the controller's steward role and lets a risk council only tighten
 *         risk parameters, by bounded steps, at most once a day per parameter per market.
 *         {FluxRiskSteward} implements it and declares none of these itself.
 */
interface IFluxRiskSteward {
    /// @notice Caller is not the risk council.
    error StewardNotCouncil(address caller);
    /// @notice Caller is not the Timelock.
    error StewardNotTimelock(address caller);
    /// @notice Zero address where one is required.
    error StewardZeroAddress();
    /// @notice The change loosens, or moves more than one step (10 ratio points, half a cap).
    error StewardOutOfBounds(bytes32 param, uint256 current, uint256 requested);
    /// @notice This parameter of this market changed less than MIN_DELAY ago.
    error StewardCooldown(bytes32 param, uint256 nextAllowed);

    /// @notice The risk council changed (by the Timelock).
    event CouncilSet(address indexed previous, address indexed council);
    /// @notice The council changed `param` of `market` from `previous` to `value` through the
    ///         steward; the same parameter of that market may change again from `nextAllowed`.
    event StewardChange(address indexed market, bytes32 indexed param, uint256 previous, uint256 value, uint256 nextAllowed);

    /// @notice Raises a market's collateral ratio by at most 10 points. Council only; once a day.
    /// @param market The market.
    /// @param bps New, higher ratio.
    function raiseCollateralRatio(address market, uint16 bps) external;

    /// @notice Lowers a market's supply cap by at most half. Council only; once a day.
    /// @param market The market.
    /// @param cap New, lower cap.
    function lowerSupplyCap(address market, uint256 cap) external;

    /// @notice Lowers a market's borrow cap by at most half. Council only; once a day.
    /// @param market The market.
    /// @param cap New, lower cap.
    function lowerBorrowCap(address market, uint256 cap) external;

    /// @notice Replaces the risk council. Only the Timelock.
    /// @param council_ The new council (address(0) disables the steward until replaced).
    function setCouncil(address council_) external;

    /// @notice The controller this steward acts on.
    /// @return The controller.
    function CONTROLLER() external view returns (IFluxController);

    /// @notice The Timelock, the only address that may replace the council.
    /// @return The Timelock.
    function TIMELOCK() external view returns (address);

    /// @notice The key that may call the steward.
    /// @return The council.
    function council() external view returns (address);

    /// @notice When the steward last changed `param` of `market` (0 = never).
    /// @param market The market.
    /// @param param "collateralRatio", "supplyCap" or "borrowCap".
    /// @return Timestamp of the last change.
    function lastChange(address market, bytes32 param) external view returns (uint256);
}
