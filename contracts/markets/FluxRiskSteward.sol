// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IFluxController} from "./interfaces/IFluxController.sol";
import {IFluxRiskSteward} from "./interfaces/IFluxRiskSteward.sol";

/**
 * @title Flux risk steward: bounded, rate-limited tightening by a risk council
 * @notice Holds the controller's steward role, as Aave v3's risk stewards hold a risk-admin role:
 *         the risk council (a multisig) may, through this contract only, raise a market's
 *         collateral ratio by at most 10 percentage points, or cut its supply or borrow cap by at
 *         most half, each at most once a day per parameter per market. Loosening always needs a
 *         governance proposal. The controller accepts from its steward only changes that tighten
 *         (defense in depth), so even a faulty steward could not loosen anything.
 * @dev Deliberately not upgradeable: it holds no funds and nothing but its cooldown bookkeeping, so
 *      changing its rules means deploying a new steward and having the Timelock point the
 *      controller at it (`FluxController.setSteward`); the old one then loses its role at once.
 *      An immutable contract also means the council can never be given wider bounds by an upgrade
 *      that skipped the Timelock. The council is replaceable only by the Timelock.
 */
contract FluxRiskSteward is IFluxRiskSteward {
    uint256 private constant BPS = 10_000;
    /// @notice Largest collateral-ratio raise per change: 10 percentage points.
    uint16 public constant MAX_RATIO_STEP_BPS = 1_000;
    /// @notice Largest cap cut per change: 50%.
    uint16 public constant MAX_CAP_CUT_BPS = 5_000;
    /// @notice Minimum time between two changes of the same parameter of a market.
    uint256 public constant MIN_DELAY = 1 days;

    /// @inheritdoc IFluxRiskSteward
    IFluxController public immutable CONTROLLER;
    /// @inheritdoc IFluxRiskSteward
    address public immutable TIMELOCK;
    /// @inheritdoc IFluxRiskSteward
    address public council;
    /// @inheritdoc IFluxRiskSteward
    mapping(address market => mapping(bytes32 param => uint256)) public lastChange;

    /// @param controller_ The controller (which must then make this contract its steward).
    /// @param timelock_ The Timelock (owner of the controller).
    /// @param council_ The risk council.
    constructor(IFluxController controller_, address timelock_, address council_) {
        if (address(controller_) == address(0) || timelock_ == address(0) || council_ == address(0)) {
            revert StewardZeroAddress();
        }
        CONTROLLER = controller_;
        TIMELOCK = timelock_;
        _setCouncil(council_);
    }

    modifier onlyCouncil() {
        address council_ = council;
        if (msg.sender != council_ || council_ == address(0)) revert StewardNotCouncil(msg.sender);
        _;
    }

    /// @inheritdoc IFluxRiskSteward
    function raiseCollateralRatio(address market, uint16 bps) external onlyCouncil {
        uint16 current = CONTROLLER.marketConfig(market).collateralRatioBps;
        if (bps <= current || bps - current > MAX_RATIO_STEP_BPS) {
            revert StewardOutOfBounds("collateralRatio", current, bps);
        }
        _tick(market, "collateralRatio", current, bps);
        CONTROLLER.stewardRaiseCollateralRatio(market, bps);
    }

    /// @inheritdoc IFluxRiskSteward
    function lowerSupplyCap(address market, uint256 cap) external onlyCouncil {
        uint256 current = CONTROLLER.marketConfig(market).supplyCap;
        _checkCapCut(current, cap, "supplyCap");
        _tick(market, "supplyCap", current, cap);
        CONTROLLER.stewardLowerSupplyCap(market, cap);
    }

    /// @inheritdoc IFluxRiskSteward
    function lowerBorrowCap(address market, uint256 cap) external onlyCouncil {
        uint256 current = CONTROLLER.marketConfig(market).borrowCap;
        _checkCapCut(current, cap, "borrowCap");
        _tick(market, "borrowCap", current, cap);
        CONTROLLER.stewardLowerBorrowCap(market, cap);
    }

    /// @inheritdoc IFluxRiskSteward
    function setCouncil(address council_) external {
        if (msg.sender != TIMELOCK) revert StewardNotTimelock(msg.sender);
        _setCouncil(council_);
    }

    /// @dev Refuses a cap that is not lower, or lower by more than MAX_CAP_CUT_BPS of the current one.
    function _checkCapCut(uint256 current, uint256 requested, bytes32 param) private pure {
        if (requested >= current || requested < current - Math.mulDiv(current, MAX_CAP_CUT_BPS, BPS)) {
            revert StewardOutOfBounds(param, current, requested);
        }
    }

    /// @dev Refuses a change of `param` of `market` within MIN_DELAY of the last one, then records it.
    function _tick(address market, bytes32 param, uint256 previous, uint256 value) private {
        uint256 last = lastChange[market][param];
        if (last != 0 && block.timestamp < last + MIN_DELAY) revert StewardCooldown(param, last + MIN_DELAY);
        lastChange[market][param] = block.timestamp;
        emit StewardChange(market, param, previous, value, block.timestamp + MIN_DELAY);
    }

    function _setCouncil(address council_) private {
        emit CouncilSet(council, council_);
        council = council_;
    }
}
