// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title One Flux lending market: its public surface
 * @notice The structs, errors and events of a market, the calls the controller makes to it and
 *         the views integrators read. {FluxMarket} implements it and declares none of these itself;
 *         the controller and the off-chain tools (whose event ABI is compiled from this file) use
 *         only this interface.
 */
interface IFluxMarket {
    // ------------------------------------------------------------------ structs
    /// @notice Interest-rate model parameters (per year, 1e18 = 100%).
    struct RateModel {
        uint64 baseRatePerYear;
        uint64 slopeLowPerYear; // added at 100% utilization below the kink (pro rata)
        uint64 slopeHighPerYear; // added at 100% utilization above the kink (pro rata)
        uint64 kink; // utilization where the slope changes, 1e18 = 100%
    }

    /// @notice A market's state in one call (interest accrued to now).
    struct MarketState {
        address asset;
        uint256 totalAssets;
        uint256 totalShares;
        uint256 totalBorrows;
        uint256 cash;
        uint256 reserves;
        uint256 utilization; // 1e18 = 100%
        uint256 borrowRatePerYear; // 1e18 = 100%
        uint256 supplyRatePerYear; // 1e18 = 100%
        uint256 exchangeRate; // underlying per share, 1e18-scaled
        uint256 borrowIndex;
        uint16 reserveFactorBps;
        RateModel rateModel;
    }

    /**
     * @notice What a market stores of one account, as stored: its shares, and its borrow
     *         snapshot (the debt was `principal` when the borrow index was `index`; both 0 when
     *         it owes nothing). Its supply now is `shares` at the exchange rate, rounded down; its
     *         debt now is `principal x marketState().borrowIndex / index`, rounded up (0 when
     *         `principal` is 0): what `accountSnapshot` returns.
     */
    struct StoredHolding {
        uint256 shares;
        uint256 principal;
        uint256 index;
    }

    // ------------------------------------------------------------------ errors
    /// @notice A zero amount where a positive one is required (also: a withdrawal that would
    ///         pay or burn nothing, or a sweep with nothing to send).
    error MarketZeroAmount();
    /// @notice Zero address where an address is required.
    error MarketZeroAddress();
    /// @notice The deposit would mint zero shares.
    error MarketZeroShares();
    /// @notice Not enough shares for the withdrawal or the seize.
    error MarketInsufficientShares(uint256 requested, uint256 available);
    /// @notice Not enough cash in the market.
    error MarketInsufficientCash(uint256 requested, uint256 available);
    /// @notice Repayment larger than the debt.
    error MarketRepayTooLarge(uint256 repay, uint256 debt);
    /// @notice The token delivered a different amount than transferred (fee-on-transfer).
    error MarketUnsupportedTransfer(uint256 expected, uint256 received);
    /// @notice Caller of {seize} is not another listed market.
    error MarketNotListedCaller(address caller);
    /// @notice A borrower may not liquidate itself.
    error MarketSelfLiquidation();
    /// @notice The account still has collateral or has no debt.
    error MarketNoBadDebt(address account);
    /// @notice A rate-model or reserve-factor parameter is out of bounds.
    error MarketBadParameter();
    /// @notice `market`, named as a liquidation's collateral market, has no code. (A contract that
    ///         is not a listed market gets past this check and is refused by the controller with
    ///         `ControllerMarketNotListed`.)
    error MarketCollateralNotListed(address market);
    /// @notice An account's debt does not fit the 128 bits its snapshot stores it in
    ///         (see FluxMarket's `BorrowSnapshot`).
    error MarketDebtTooLarge(uint256 debt);
    /// @notice The borrow index has outgrown the 128 bits a debt snapshot stores it in, so no
    ///         debt can be recorded any more (a debt can still be repaid in full).
    error MarketBorrowIndexTooLarge(uint256 index);

    // ------------------------------------------------------------------ events
    /// @notice Interest accrued.
    event AccrueInterest(uint256 interest, uint256 borrowIndex, uint256 totalBorrows, uint256 reserves);
    /// @notice `payer` deposited `assets` for `account`, minting `shares`; `accountShares` after.
    event Deposit(address indexed payer, address indexed account, uint256 assets, uint256 shares, uint256 accountShares);
    /// @notice `account` withdrew `assets` to `to`, burning `shares`; `accountShares` after.
    event Withdraw(address indexed account, address indexed to, uint256 assets, uint256 shares, uint256 accountShares);
    /// @notice `account` borrowed `assets` sent to `to`; `accountDebt` and `totalBorrows` after.
    event Borrow(address indexed account, address indexed to, uint256 assets, uint256 accountDebt, uint256 totalBorrows);
    /// @notice `payer` repaid `assets` of `account`'s debt; `accountDebt` and `totalBorrows` after.
    event Repay(address indexed payer, address indexed account, uint256 assets, uint256 accountDebt, uint256 totalBorrows);
    /// @notice `liquidator` repaid `repaid` of `borrower`'s debt and seized `seizedShares` in
    ///         `collateralMarket`; `accountDebt` is the borrower's debt here after.
    event Liquidate(
        address indexed liquidator,
        address indexed borrower,
        address indexed collateralMarket,
        uint256 repaid,
        uint256 seizedShares,
        uint256 accountDebt
    );
    /// @notice `shares` of `borrower` moved to `liquidator`; both balances after.
    event Seize(address indexed liquidator, address indexed borrower, uint256 shares, uint256 liquidatorShares, uint256 borrowerShares);
    /// @notice `debt` of `account` written off: `fromReserves` absorbed by the reserves, `toSuppliers`
    ///         borne by the suppliers (taken out of `totalAssets`, lowering the exchange rate).
    event BadDebtWrittenOff(address indexed account, uint256 debt, uint256 fromReserves, uint256 toSuppliers);
    /// @notice `amount` of reserves sent to the treasury.
    event ReservesSwept(address indexed treasury, uint256 amount);
    /// @notice New rate model.
    event RateModelSet(uint64 baseRatePerYear, uint64 slopeLowPerYear, uint64 slopeHighPerYear, uint64 kink);
    /// @notice New reserve factor.
    event ReserveFactorSet(uint16 previousBps, uint16 newBps);

    // ------------------------------------------------------------------ calls of the controller

    /// @notice The underlying ERC-20.
    /// @return The asset address.
    function asset() external view returns (address);

    /// @notice The controller that judges this market's positions.
    /// @return The controller address.
    function controller() external view returns (address);

    /// @notice An account's supplied underlying (its shares at the exchange rate, rounded down) and
    ///         its debt (rounded up), both with interest accrued to now.
    /// @param account The account.
    /// @return supplied Underlying units supplied.
    /// @return debt Underlying units owed.
    function accountSnapshot(address account) external view returns (uint256 supplied, uint256 debt);

    /// @notice Total underlying the suppliers own (cash + borrows - reserves), interest accrued to now.
    /// @return The amount.
    function totalAssets() external view returns (uint256);

    /// @notice Total borrows, interest accrued to now.
    /// @return The amount.
    function totalBorrows() external view returns (uint256);

    /// @notice Accrues interest up to now.
    function accrueInterest() external;

    /**
     * @notice Moves `shares` of `borrower`'s supply to `liquidator`. Only callable by another
     *         listed market (which calls it only from `liquidate`, for the shares the controller
     *         priced); reverts when `borrower` holds fewer shares.
     * @param liquidator Receiver of the shares.
     * @param borrower Account liquidated.
     * @param shares Shares to move.
     */
    function seize(address liquidator, address borrower, uint256 shares) external;

    /// @notice Converts underlying to shares, rounding down.
    /// @param assets Underlying amount.
    /// @return Shares.
    function convertToShares(uint256 assets) external view returns (uint256);

    /// @notice Shares held by `account`.
    /// @param account The account.
    /// @return Shares.
    function sharesOf(address account) external view returns (uint256);

    /**
     * @notice The stored holdings of `accounts`, in their order (see {StoredHolding}): no interest
     *         accrued, nothing rounded, no external call. With one `marketState()` read at the same
     *         block they give every account's `accountSnapshot`, for keepers and monitors that
     *         value thousands of positions per block. Costs about 6,300 gas per account: callers
     *         keep each call within their node's eth_call gas cap.
     * @param accounts The accounts (repeats and accounts without holdings allowed).
     * @return holdings One entry per account.
     */
    function storedHoldings(address[] calldata accounts) external view returns (StoredHolding[] memory holdings);

    /// @notice The market's totals, utilization, rates and exchange rate now, in one call.
    /// @return s The state.
    function marketState() external view returns (MarketState memory s);
}
