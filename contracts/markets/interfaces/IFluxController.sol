// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IFluxMarket} from "./IFluxMarket.sol";
import {IPriceOracle} from "./IPriceOracle.sol";

/**
 * @title The Flux markets controller: its public surface
 * @notice The structs, errors and events of the controller, the hooks the markets call, the
 *         narrowly bounded calls of the guardian and of the risk steward contract, and the views
 *         integrators read. {FluxController} implements it and declares none of these itself.
 */
interface IFluxController {
    // ------------------------------------------------------------------ structs
    /// @notice Per-market risk configuration.
    struct MarketConfig {
        bool listed;
        bool depositPaused;
        bool borrowPaused;
        uint16 collateralRatioBps;
        uint256 supplyCap; // underlying units; type(uint256).max = none
        uint256 borrowCap; // underlying units; type(uint256).max = none
    }

    /// @notice An account's position across all markets, in USD with 18 decimals.
    struct AccountPosition {
        uint256 collateralValue;
        uint256 debtValue;
        uint256 borrowLimitValue; // sum of collateral value / collateral ratio
        uint256 liquidationValue; // debt value x liquidation ratio, rounded up
        uint256 healthBps; // collateral / debt in bps; max uint when no debt
        bool borrowAllowed; // debt <= borrow limit
        bool liquidatable; // debt > 0 and collateral < liquidation value
    }

    /// @notice Parameters of `initialize`.
    struct InitParams {
        address owner;
        IPriceOracle oracle;
        address guardian;
        address steward;
        uint16 liquidationRatioBps;
        uint16 priceFactorBps;
        uint16 closeFactorBps;
        uint256 minDebtValue;
    }

    // ------------------------------------------------------------------ errors
    /// @notice Zero address where one is required.
    error ControllerZeroAddress();
    /// @notice The market is not listed.
    error ControllerMarketNotListed(address market);
    /// @notice The market is already listed.
    error ControllerMarketAlreadyListed(address market);
    /// @notice MAX_MARKETS reached.
    error ControllerTooManyMarkets();
    /// @notice The market's controller is not this contract.
    error ControllerWrongController(address market);
    /// @notice A parameter is outside its bounds; `param` names it.
    error ControllerBadParameter(bytes32 param, uint256 value);
    /// @notice Deposits into the market are paused.
    error ControllerDepositPaused(address market);
    /// @notice Borrows from the market are paused.
    error ControllerBorrowPaused(address market);
    /// @notice The deposit would exceed the supply cap.
    error ControllerSupplyCapExceeded(address market, uint256 cap, uint256 resulting);
    /// @notice The borrow would exceed the borrow cap.
    error ControllerBorrowCapExceeded(address market, uint256 cap, uint256 resulting);
    /// @notice The position would exceed its borrow limit.
    error ControllerBorrowLimitExceeded(address account, uint256 debtValue, uint256 borrowLimitValue);
    /// @notice The debt left in a market would be positive but below the minimum.
    error ControllerDebtBelowMinimum(address account, address market, uint256 debtValue, uint256 minDebtValue);
    /// @notice The borrower is not below the liquidation line.
    error ControllerNotLiquidatable(address borrower, uint256 collateralValue, uint256 liquidationValue);
    /// @notice The repayment exceeds what the close factor allows.
    error ControllerRepayTooLarge(uint256 repayAmount, uint256 maxRepay);
    /// @notice The seize exceeds the borrower's shares in the collateral market, and a repayment
    ///         one unit smaller would already take them all: repay at most what `maxLiquidation` quotes.
    error ControllerSeizeTooLarge(uint256 seizeShares, uint256 availableShares);
    /// @notice Caller is not the guardian (or the Timelock).
    error ControllerNotGuardian(address caller);
    /// @notice Caller is not the risk steward (or no steward is set).
    error ControllerNotSteward(address caller);
    /// @notice A steward change that does not tighten (a ratio not above the current one or above
    ///         the governance maximum, a cap not below the current one).
    error ControllerStewardOutOfBounds(bytes32 param, uint256 current, uint256 requested);

    // ------------------------------------------------------------------ events
    /// @notice A market was listed.
    event MarketListed(address indexed market, address indexed asset, uint16 collateralRatioBps, uint256 supplyCap, uint256 borrowCap);
    /// @notice A market's collateral ratio changed (`by` the Timelock or the steward).
    event CollateralRatioSet(address indexed market, uint16 previousBps, uint16 newBps, address indexed by);
    /// @notice The unified liquidation ratio changed.
    event LiquidationRatioSet(uint16 previousBps, uint16 newBps);
    /// @notice The liquidation price factor changed.
    event PriceFactorSet(uint16 previousBps, uint16 newBps);
    /// @notice The close factor changed.
    event CloseFactorSet(uint16 previousBps, uint16 newBps);
    /// @notice The minimum debt value changed.
    event MinDebtValueSet(uint256 previous, uint256 value);
    /// @notice A market's supply cap changed (`by` the Timelock or the steward).
    event SupplyCapSet(address indexed market, uint256 previous, uint256 cap, address indexed by);
    /// @notice A market's borrow cap changed (`by` the Timelock or the steward).
    event BorrowCapSet(address indexed market, uint256 previous, uint256 cap, address indexed by);
    /// @notice A market's pause flags changed (`by` the Timelock or the guardian).
    event PauseSet(address indexed market, bool depositPaused, bool borrowPaused, address indexed by);
    /// @notice The oracle changed.
    event OracleSet(address indexed previous, address indexed oracle);
    /// @notice The guardian changed.
    event GuardianSet(address indexed previous, address indexed guardian);
    /// @notice The risk steward changed.
    event StewardSet(address indexed previous, address indexed steward);

    // ------------------------------------------------------------------ hooks for markets

    /// @notice Reverts unless `market` may accept a deposit of `amount` (listed, not paused, under cap).
    /// @param market The market (msg.sender in practice).
    /// @param amount Underlying amount to deposit.
    function checkDeposit(address market, uint256 amount) external view;

    /// @notice Reverts unless `market` may lend `amount` more (listed, not paused, under cap).
    /// @param market The market.
    /// @param amount Underlying amount to borrow.
    function checkBorrow(address market, uint256 amount) external view;

    /// @notice Reverts unless `account`'s position, as it stands now, is within its borrow limit
    ///         and its debt in `market` is zero or at least the minimum debt.
    /// @param account The account.
    /// @param market The market whose debt just changed (or address(0)).
    function checkPosition(address account, address market) external view;

    /**
     * @notice Approves a liquidation and prices it: reverts unless the borrower is liquidatable
     *         and `repayAmount` is within the close factor; returns the collateral shares to seize,
     *         worth repaid / price factor at oracle prices, or repaid x collateral / debt for a
     *         solvent position whose cushion is thinner than the discount (rounded down). When
     *         that exceeds the borrower's shares in `collateralMarket`, returns all of them if a
     *         repayment one unit smaller would not have covered them, and reverts otherwise.
     * @param debtMarket Market whose debt is repaid.
     * @param collateralMarket Market whose supply is seized.
     * @param borrower Account liquidated.
     * @param repayAmount Underlying of `debtMarket` repaid.
     * @return seizeShares Shares of `collateralMarket` to move to the liquidator.
     */
    function liquidationSeize(address debtMarket, address collateralMarket, address borrower, uint256 repayAmount)
        external
        view
        returns (uint256 seizeShares);

    /// @notice Whether `market` is listed.
    /// @param market The market.
    /// @return True if listed.
    function isListed(address market) external view returns (bool);

    /// @notice Whether `account` has no supply left in any market (bad-debt write-off condition).
    /// @param account The account.
    /// @return True if no collateral remains.
    function hasNoCollateral(address account) external view returns (bool);

    // ------------------------------------------------------------------ guardian and steward

    /// @notice Pauses new deposits and/or borrows of a market. Guardian or Timelock; cannot unpause.
    /// @param market The market.
    /// @param pauseDeposits Pause deposits (false leaves the flag as it is).
    /// @param pauseBorrows Pause borrows (false leaves the flag as it is).
    function guardianPause(address market, bool pauseDeposits, bool pauseBorrows) external;

    /// @notice Steward only: raises a market's collateral ratio (never lowers it, never above the
    ///         governance maximum). Step size and frequency are bounded by the steward contract.
    /// @param market The market.
    /// @param bps New, higher ratio.
    function stewardRaiseCollateralRatio(address market, uint16 bps) external;

    /// @notice Steward only: lowers a market's supply cap (never raises it). Step size and
    ///         frequency are bounded by the steward contract.
    /// @param market The market.
    /// @param cap New, lower cap.
    function stewardLowerSupplyCap(address market, uint256 cap) external;

    /// @notice Steward only: lowers a market's borrow cap (never raises it). Step size and
    ///         frequency are bounded by the steward contract.
    /// @param market The market.
    /// @param cap New, lower cap.
    function stewardLowerBorrowCap(address market, uint256 cap) external;

    // ------------------------------------------------------------------ views

    /// @notice An account's collateral value, borrow limit, debt, liquidation line and health, now.
    /// @param account The account.
    /// @return The position (USD values with 18 decimals).
    function accountPosition(address account) external view returns (AccountPosition memory);

    /**
     * @notice How much more of `market`'s asset `account` may borrow now: its borrow limit minus its
     *         debt, at the market's oracle price, rounded down (ignoring cash, caps and the minimum
     *         debt). Reverts when `market` is not listed or its price is invalid.
     * @param account The account.
     * @param market The market to borrow from.
     * @return Underlying units.
     */
    function availableToBorrow(address account, address market) external view returns (uint256);

    /**
     * @notice A liquidation that {liquidationSeize} accepts now, in `debtMarket` against
     *         `collateralMarket`: the close-factor limit of the repayment (all of the debt there
     *         for a dust or under-water position) and the shares it seizes; or, when those shares
     *         exceed the borrower's shares in `collateralMarket`, the smallest repayment that
     *         seizes all of them, and all of them. (0, 0) when the borrower is not liquidatable.
     * @param borrower The account.
     * @param debtMarket Market whose debt is repaid.
     * @param collateralMarket Market whose supply is seized.
     * @return repayAmount Underlying of `debtMarket`.
     * @return seizeShares Shares of `collateralMarket`.
     */
    function maxLiquidation(address borrower, address debtMarket, address collateralMarket)
        external
        view
        returns (uint256 repayAmount, uint256 seizeShares);

    /// @notice Global risk parameters in one call.
    /// @return liquidationRatioBps Unified liquidation ratio.
    /// @return priceFactorBps Liquidation price factor.
    /// @return closeFactorBps Close factor.
    /// @return minDebtValue Minimum debt per market (USD, 18 decimals).
    function riskParameters()
        external
        view
        returns (uint16 liquidationRatioBps, uint16 priceFactorBps, uint16 closeFactorBps, uint256 minDebtValue);

    /// @notice A market's risk configuration (all zero when not listed).
    /// @param market The market.
    /// @return The configuration.
    function marketConfig(address market) external view returns (MarketConfig memory);

    /// @notice All listed markets.
    /// @return The market addresses, in listing order.
    function markets() external view returns (address[] memory);

    /// @notice The oracle, guardian and steward.
    /// @return oracle_ The price oracle.
    /// @return guardian_ The guardian.
    /// @return steward_ The risk steward.
    function roles() external view returns (address oracle_, address guardian_, address steward_);

    /**
     * @notice Everything an integrator shows about a market, in one call: totals, utilization,
     *         supply and borrow rates, exchange rate (interest accrued to now), its risk
     *         configuration (collateral ratio, caps, pauses) and its oracle price.
     * @param market The market.
     * @return state Totals and rates.
     * @return config Collateral ratio, caps and pause flags.
     * @return price Oracle price of one base unit, scaled by 1e36 / 10^decimals.
     */
    function marketOverview(address market)
        external
        view
        returns (IFluxMarket.MarketState memory state, MarketConfig memory config, uint256 price);
}
