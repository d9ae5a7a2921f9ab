// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable2StepUpgradeable} from "@openzeppelin/contracts-upgradeable/access/Ownable2StepUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IFluxController} from "./interfaces/IFluxController.sol";
import {IFluxMarket} from "./interfaces/IFluxMarket.sol";

/**
 * @title One Flux lending market (one asset), behind a beacon proxy
 * @notice Suppliers deposit the asset for non-transferable shares whose exchange rate grows with
 *         interest and drops only when bad debt exceeds the reserves;
 *         borrowers borrow against their supply in all markets, as the controller allows.
 *         Interest accrues per second on a kinked utilization curve; a reserve factor of each
 *         interest payment goes to reserves, which only the Timelock sweeps to itself (the treasury),
 *         so reserves stay in the market as the first buffer against bad debt until governance
 *         takes them.
 *
 * @dev Accounting choices, each to make an attack impossible rather than unprofitable:
 *      - Cash is tracked internally, never read from `balanceOf`: a donation changes nothing, so the
 *        first-depositor share-inflation attack has no lever. Tokens that deliver less than asked
 *        (fee-on-transfer) are refused.
 *      - Every rounding favours the protocol: shares minted round down, shares burned and debt
 *        round up, seized collateral rounds down.
 *      - State is updated and the position checked before any token leaves (checks-effects-
 *        interactions), every entry point is `nonReentrant` (transient storage), so a token hook
 *        that re-enters sees either the old conservative state or the final one.
 *      - Bad debt (debt left on an account with no collateral anywhere) is written off against
 *        reserves first; what reserves cannot cover is borne at once by the suppliers holding
 *        shares at the write-off: it leaves `totalAssets`, so the exchange rate drops, as in
 *        Compound and Aave. A loss is never carried as a claim on assets the market does not have,
 *        so what a supplier can withdraw never depends on who withdraws first.
 *      Why a beacon: all markets run identical code, so one proposal upgrading the beacon upgrades
 *      every market atomically; the beacon is owned by the Timelock.
 */
contract FluxMarket is IFluxMarket, Ownable2StepUpgradeable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /**
     * @notice A borrower's debt as principal at a borrow index, both in one storage slot (a first
     *         borrow creates one slot, not two; every read and write of a debt touches one).
     * @dev The bounds, checked on every write ({_snapshot}: `MarketDebtTooLarge`,
     *      `MarketBorrowIndexTooLarge`), and why they hold:
     *      - `principal` < 2^128 ~ 3.4e38 base units: a debt is what was borrowed (at most the
     *        market's cash) plus its interest; 3.4e38 base units are 3.4e20 whole tokens of 18
     *        decimals, beyond every real token's supply by orders of magnitude.
     *      - `index` < 2^128: it starts at 1e18 and must grow 3.4e20-fold (e^47.3) to pass the
     *        bound. The fastest it can grow is at 100% utilization under the steepest curve
     *        governance may set (MAX_BASE_RATE + MAX_SLOPE = 1,100% a year), accrued every second,
     *        that is e^11 a year: 4.3 years without pause; under the shipped curves at 100%
     *        utilization (29% and 54% a year) 88 to 161 years. Past the bound the market records
     *        no new debt (borrowing, partial repayment and a liquidation that leaves a debt revert
     *        with `MarketBorrowIndexTooLarge`) while full repayment still works.
     */
    struct BorrowSnapshot {
        uint128 principal;
        uint128 index;
    }

    /// @custom:storage-location erc7201:flux.storage.FluxMarket
    struct MarketStorage {
        IERC20 asset;
        IFluxController controller;
        uint256 totalShares;
        uint256 cash;
        uint256 totalBorrows;
        uint256 reserves;
        uint256 borrowIndex;
        uint64 lastAccrual;
        uint16 reserveFactorBps;
        RateModel rateModel;
        mapping(address account => uint256) shares;
        mapping(address account => BorrowSnapshot) borrows;
    }

    // keccak256(abi.encode(uint256(keccak256("flux.storage.FluxMarket")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x1c87f99d351d425ef31b5ebb17a797f2ed52b435551ec27e4aede6edd380e900;

    uint256 private constant WAD = 1e18;
    uint256 private constant YEAR = 365 days;
    /// @notice Upper bound of the base rate: 100% a year.
    uint64 public constant MAX_BASE_RATE = 1e18;
    /// @notice Upper bound of either slope: 1000% a year at full utilization.
    uint64 public constant MAX_SLOPE = 10e18;
    /// @notice The kink lies within [1%, 99%].
    uint64 public constant MIN_KINK = 0.01e18;
    /// @notice The kink lies within [1%, 99%].
    uint64 public constant MAX_KINK = 0.99e18;
    /// @notice Upper bound of the reserve factor: 50%.
    uint16 public constant MAX_RESERVE_FACTOR_BPS = 5000;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initializes the market behind its beacon proxy.
     * @param asset_ Underlying ERC-20.
     * @param controller_ The markets controller.
     * @param owner_ The Timelock (also the treasury receiving reserves).
     * @param rateModel_ Interest-rate model.
     * @param reserveFactorBps_ Share of interest to reserves.
     */
    function initialize(
        IERC20 asset_,
        IFluxController controller_,
        address owner_,
        RateModel calldata rateModel_,
        uint16 reserveFactorBps_
    ) public initializer {
        if (address(asset_) == address(0) || address(controller_) == address(0) || owner_ == address(0)) {
            revert MarketZeroAddress();
        }
        __Ownable_init(owner_);
        __Ownable2Step_init();
        MarketStorage storage $ = _storage();
        $.asset = asset_;
        $.controller = controller_;
        $.borrowIndex = WAD;
        $.lastAccrual = uint64(block.timestamp);
        _setRateModel(rateModel_);
        _setReserveFactor(reserveFactorBps_);
    }

    // =================================================================== user operations

    /**
     * @notice Deposits `assets` for `account` (on behalf is allowed: the payer is msg.sender).
     * @param assets Underlying amount.
     * @param account Receiver of the shares.
     * @return shares Shares minted (rounded down).
     */
    function deposit(uint256 assets, address account) external nonReentrant returns (uint256 shares) {
        if (assets == 0) revert MarketZeroAmount();
        if (account == address(0)) revert MarketZeroAddress();
        _accrue();
        MarketStorage storage $ = _storage();
        $.controller.checkDeposit(address(this), assets);
        shares = _toShares($, assets, Math.Rounding.Floor);
        if (shares == 0) revert MarketZeroShares();
        $.totalShares += shares;
        uint256 accountShares = $.shares[account] + shares;
        $.shares[account] = accountShares;
        $.cash += assets;
        _pullExact($, msg.sender, assets);
        emit Deposit(msg.sender, account, assets, shares, accountShares);
    }

    /**
     * @notice Withdraws `assets` of the caller's supply to `to`; the position must stay within its limit.
     * @param assets Underlying amount; `type(uint256).max` withdraws everything.
     * @param to Receiver of the underlying.
     * @return shares Shares burned (rounded up).
     */
    function withdraw(uint256 assets, address to) external nonReentrant returns (uint256 shares) {
        _accrue();
        MarketStorage storage $ = _storage();
        if (assets == type(uint256).max) {
            shares = $.shares[msg.sender];
            assets = _toAssets($, shares, Math.Rounding.Floor);
        } else {
            shares = _toShares($, assets, Math.Rounding.Ceil);
        }
        _withdraw($, msg.sender, to, assets, shares);
    }

    /**
     * @notice Redeems `shares` of the caller for underlying sent to `to`.
     * @param shares Shares to burn.
     * @param to Receiver of the underlying.
     * @return assets Underlying paid (rounded down).
     */
    function redeem(uint256 shares, address to) external nonReentrant returns (uint256 assets) {
        _accrue();
        MarketStorage storage $ = _storage();
        assets = _toAssets($, shares, Math.Rounding.Floor);
        _withdraw($, msg.sender, to, assets, shares);
    }

    /**
     * @notice Borrows `assets` to `to` against the caller's collateral in all markets.
     * @param assets Underlying amount.
     * @param to Receiver.
     */
    function borrow(uint256 assets, address to) external nonReentrant {
        if (assets == 0) revert MarketZeroAmount();
        if (to == address(0)) revert MarketZeroAddress();
        _accrue();
        MarketStorage storage $ = _storage();
        $.controller.checkBorrow(address(this), assets);
        if (assets > $.cash) revert MarketInsufficientCash(assets, $.cash);
        uint256 debt = _debtOf($, msg.sender) + assets;
        $.borrows[msg.sender] = _snapshot(debt, $.borrowIndex);
        $.totalBorrows += assets;
        $.cash -= assets;
        $.controller.checkPosition(msg.sender, address(this));
        $.asset.safeTransfer(to, assets);
        emit Borrow(msg.sender, to, assets, debt, $.totalBorrows);
    }

    /**
     * @notice Repays `assets` of `account`'s debt, paid by the caller (on behalf is allowed).
     * @param assets Underlying amount; `type(uint256).max` repays the whole debt.
     * @param account The borrower.
     * @return repaid The amount repaid.
     */
    function repay(uint256 assets, address account) external nonReentrant returns (uint256 repaid) {
        _accrue();
        MarketStorage storage $ = _storage();
        uint256 debt = _debtOf($, account);
        repaid = assets == type(uint256).max ? debt : assets;
        if (repaid == 0) revert MarketZeroAmount();
        if (repaid > debt) revert MarketRepayTooLarge(repaid, debt);
        uint256 remaining = _reduceDebt($, account, debt, repaid);
        _pullExact($, msg.sender, repaid);
        emit Repay(msg.sender, account, repaid, remaining, $.totalBorrows);
    }

    /**
     * @notice Liquidates `borrower`: the caller repays `repayAmount` of its debt here and receives
     *         the shares of `collateralMarket` that the controller prices
     *         ({IFluxController-liquidationSeize}): worth `repayAmount / priceFactor` at oracle
     *         prices, or `repayAmount x collateral / debt` for a solvent position whose cushion is
     *         thinner than the discount, and all of the borrower's shares there when the smallest
     *         covering repayment is paid for them. Instant and fixed-price: no auction. The
     *         controller decides whether and how much.
     * @param borrower The account below the liquidation line.
     * @param repayAmount Underlying of this market repaid.
     * @param collateralMarket The listed market whose supply is seized (may be this one).
     * @return seizedShares Shares of `collateralMarket` received.
     */
    function liquidate(address borrower, uint256 repayAmount, address collateralMarket)
        external
        nonReentrant
        returns (uint256 seizedShares)
    {
        if (borrower == msg.sender) revert MarketSelfLiquidation();
        if (repayAmount == 0) revert MarketZeroAmount();
        _accrue();
        if (collateralMarket != address(this)) {
            if (collateralMarket.code.length == 0) revert MarketCollateralNotListed(collateralMarket);
            IFluxMarket(collateralMarket).accrueInterest();
        }
        MarketStorage storage $ = _storage();
        seizedShares = $.controller.liquidationSeize(address(this), collateralMarket, borrower, repayAmount);
        uint256 debt = _debtOf($, borrower);
        if (repayAmount > debt) revert MarketRepayTooLarge(repayAmount, debt);
        uint256 remaining = _reduceDebt($, borrower, debt, repayAmount);
        if (collateralMarket == address(this)) {
            _seize($, msg.sender, borrower, seizedShares);
        } else {
            IFluxMarket(collateralMarket).seize(msg.sender, borrower, seizedShares);
        }
        _pullExact($, msg.sender, repayAmount);
        emit Liquidate(msg.sender, borrower, collateralMarket, repayAmount, seizedShares, remaining);
    }

    /// @inheritdoc IFluxMarket
    function seize(address liquidator, address borrower, uint256 shares) external nonReentrant {
        MarketStorage storage $ = _storage();
        if (msg.sender == address(this) || !$.controller.isListed(msg.sender)) revert MarketNotListedCaller(msg.sender);
        _seize($, liquidator, borrower, shares);
    }

    /**
     * @notice Writes off the debt of an account that has no collateral left in any market:
     *         reserves absorb it first; the rest is borne by the suppliers, whose exchange rate
     *         drops by it. Anyone may call, so it can follow the seize of the account's last
     *         collateral at once and the loss falls on the suppliers of that moment.
     * @param account The insolvent account.
     */
    function writeOffBadDebt(address account) external nonReentrant {
        _accrue();
        MarketStorage storage $ = _storage();
        uint256 debt = _debtOf($, account);
        if (debt == 0 || !$.controller.hasNoCollateral(account)) revert MarketNoBadDebt(account);
        delete $.borrows[account];
        // Debts round up individually, so the last of them may exceed totalBorrows by a few wei.
        uint256 removed = Math.min(debt, $.totalBorrows);
        $.totalBorrows -= removed;
        uint256 fromReserves = Math.min(removed, $.reserves);
        $.reserves -= fromReserves;
        emit BadDebtWrittenOff(account, debt, fromReserves, removed - fromReserves);
    }

    /**
     * @notice Sends reserves (as far as cash allows) to the treasury (the Timelock). Only the
     *         Timelock: reserves are the first buffer against bad debt, so nobody else may empty
     *         them ahead of a write-off; governance decides when the treasury takes them.
     * @return amount The amount sent.
     */
    function sweepReserves() external onlyOwner nonReentrant returns (uint256 amount) {
        _accrue();
        MarketStorage storage $ = _storage();
        amount = Math.min($.reserves, $.cash);
        if (amount == 0) revert MarketZeroAmount();
        $.reserves -= amount;
        $.cash -= amount;
        address treasury = owner();
        $.asset.safeTransfer(treasury, amount);
        emit ReservesSwept(treasury, amount);
    }

    /// @inheritdoc IFluxMarket
    function accrueInterest() external {
        _accrue();
    }

    // =================================================================== governance

    /// @notice Sets the interest-rate model (bounded). Only the Timelock.
    /// @param model New parameters.
    function setRateModel(RateModel calldata model) external onlyOwner {
        _accrue();
        _setRateModel(model);
    }

    /// @notice Sets the reserve factor (at most 50%). Only the Timelock.
    /// @param bps New reserve factor in basis points.
    function setReserveFactor(uint16 bps) external onlyOwner {
        _accrue();
        _setReserveFactor(bps);
    }

    // =================================================================== views

    /// @inheritdoc IFluxMarket
    function asset() external view returns (address) {
        return address(_storage().asset);
    }

    /// @inheritdoc IFluxMarket
    function controller() external view returns (address) {
        return address(_storage().controller);
    }

    /// @inheritdoc IFluxMarket
    function accountSnapshot(address account) external view returns (uint256 supplied, uint256 debt) {
        MarketStorage storage $ = _storage();
        uint256 shares = $.shares[account];
        // Nothing supplied and nothing owed: both are zero whatever the accrual, so skip it. The
        // controller asks every listed market on each position check, most of them about
        // accounts that do not use them; this saves their ~8 cold storage reads.
        if (shares == 0 && $.borrows[account].principal == 0) return (0, 0);
        (uint256 index, uint256 borrows_, uint256 reserves_) = _pending($);
        supplied = _sharesToAssets(shares, $.totalShares, $.cash + borrows_ - reserves_, Math.Rounding.Floor);
        debt = _debtAt($.borrows[account], index);
    }

    /// @inheritdoc IFluxMarket
    function totalAssets() external view returns (uint256) {
        MarketStorage storage $ = _storage();
        (, uint256 borrows_, uint256 reserves_) = _pending($);
        return $.cash + borrows_ - reserves_;
    }

    /// @inheritdoc IFluxMarket
    function totalBorrows() external view returns (uint256) {
        (, uint256 borrows_,) = _pending(_storage());
        return borrows_;
    }

    /// @inheritdoc IFluxMarket
    function sharesOf(address account) external view returns (uint256) {
        return _storage().shares[account];
    }

    /// @inheritdoc IFluxMarket
    function storedHoldings(address[] calldata accounts) external view returns (StoredHolding[] memory holdings) {
        MarketStorage storage $ = _storage();
        holdings = new StoredHolding[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            BorrowSnapshot memory b = $.borrows[accounts[i]];
            holdings[i] = StoredHolding({shares: $.shares[accounts[i]], principal: b.principal, index: b.index});
        }
    }

    /// @inheritdoc IFluxMarket
    function convertToShares(uint256 assets) external view returns (uint256) {
        MarketStorage storage $ = _storage();
        (, uint256 borrows_, uint256 reserves_) = _pending($);
        return _assetsToShares(assets, $.totalShares, $.cash + borrows_ - reserves_, Math.Rounding.Floor);
    }

    /// @notice Debt of `account` now (interest included, rounded up).
    /// @param account The borrower.
    /// @return The debt in underlying units.
    function debtOf(address account) external view returns (uint256) {
        MarketStorage storage $ = _storage();
        (uint256 index,,) = _pending($);
        return _debtAt($.borrows[account], index);
    }

    /// @inheritdoc IFluxMarket
    function marketState() external view returns (MarketState memory s) {
        MarketStorage storage $ = _storage();
        (uint256 index, uint256 borrows_, uint256 reserves_) = _pending($);
        s.asset = address($.asset);
        s.totalAssets = $.cash + borrows_ - reserves_;
        s.totalShares = $.totalShares;
        s.totalBorrows = borrows_;
        s.cash = $.cash;
        s.reserves = reserves_;
        s.utilization = _utilization(borrows_, s.totalAssets);
        s.borrowRatePerYear = _borrowRatePerYear($.rateModel, s.utilization);
        s.supplyRatePerYear =
            s.borrowRatePerYear * s.utilization / WAD * (10_000 - $.reserveFactorBps) / 10_000;
        s.exchangeRate = _sharesToAssets(WAD, s.totalShares, s.totalAssets, Math.Rounding.Floor);
        s.borrowIndex = index;
        s.reserveFactorBps = $.reserveFactorBps;
        s.rateModel = $.rateModel;
    }

    // =================================================================== internals

    function _withdraw(MarketStorage storage $, address account, address to, uint256 assets, uint256 shares) private {
        if (assets == 0 || shares == 0) revert MarketZeroAmount();
        if (to == address(0)) revert MarketZeroAddress();
        uint256 held = $.shares[account];
        if (shares > held) revert MarketInsufficientShares(shares, held);
        if (assets > $.cash) revert MarketInsufficientCash(assets, $.cash);
        $.shares[account] = held - shares;
        $.totalShares -= shares;
        $.cash -= assets;
        $.controller.checkPosition(account, address(0));
        $.asset.safeTransfer(to, assets);
        emit Withdraw(account, to, assets, shares, held - shares);
    }

    function _seize(MarketStorage storage $, address liquidator, address borrower, uint256 shares) private {
        uint256 held = $.shares[borrower];
        if (shares > held) revert MarketInsufficientShares(shares, held);
        $.shares[borrower] = held - shares;
        uint256 liquidatorShares = $.shares[liquidator] + shares;
        $.shares[liquidator] = liquidatorShares;
        emit Seize(liquidator, borrower, shares, liquidatorShares, held - shares);
    }

    function _reduceDebt(MarketStorage storage $, address account, uint256 debt, uint256 amount)
        private
        returns (uint256 remaining)
    {
        remaining = debt - amount;
        $.borrows[account] = _snapshot(remaining, $.borrowIndex);
        // Debts round up individually, so their sum may exceed totalBorrows by a few wei.
        $.totalBorrows -= Math.min(amount, $.totalBorrows);
        $.cash += amount;
    }

    /// @dev Pulls exactly `amount` from `from`; refuses a token that delivers any other amount (fee-on-transfer).
    function _pullExact(MarketStorage storage $, address from, uint256 amount) private {
        IERC20 token = $.asset;
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(from, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert MarketUnsupportedTransfer(amount, received);
    }

    function _accrue() private {
        MarketStorage storage $ = _storage();
        if ($.lastAccrual == block.timestamp) return;
        uint256 oldBorrows = $.totalBorrows;
        (uint256 index, uint256 borrows_, uint256 reserves_) = _pending($);
        $.borrowIndex = index;
        $.totalBorrows = borrows_;
        $.reserves = reserves_;
        $.lastAccrual = uint64(block.timestamp);
        emit AccrueInterest(borrows_ - oldBorrows, index, borrows_, reserves_);
    }

    /// @dev State as if accrued now: borrow index, total borrows and reserves.
    function _pending(MarketStorage storage $)
        private
        view
        returns (uint256 index, uint256 borrows_, uint256 reserves_)
    {
        index = $.borrowIndex;
        borrows_ = $.totalBorrows;
        reserves_ = $.reserves;
        uint256 elapsed = block.timestamp - $.lastAccrual;
        if (elapsed == 0 || borrows_ == 0) return (index, borrows_, reserves_);
        uint256 assets = $.cash + borrows_ - reserves_;
        uint256 factor = _borrowRatePerYear($.rateModel, _utilization(borrows_, assets)) * elapsed / YEAR;
        uint256 newIndex = index + index * factor / WAD;
        // Grow the total by the index's own (rounded) ratio: the total then never outgrows the sum of
        // the debts, which are principal x index / snapshot index rounded up.
        uint256 interest = Math.mulDiv(borrows_, newIndex, index) - borrows_;
        index = newIndex;
        borrows_ += interest;
        reserves_ += interest * $.reserveFactorBps / 10_000;
    }

    function _utilization(uint256 borrows_, uint256 assets) private pure returns (uint256) {
        if (borrows_ == 0 || assets == 0) return 0;
        return Math.min(borrows_ * WAD / assets, WAD);
    }

    function _borrowRatePerYear(RateModel memory m, uint256 utilization) private pure returns (uint256) {
        if (utilization <= m.kink) return m.baseRatePerYear + uint256(m.slopeLowPerYear) * utilization / WAD;
        return m.baseRatePerYear + uint256(m.slopeLowPerYear) * m.kink / WAD
            + uint256(m.slopeHighPerYear) * (utilization - m.kink) / WAD;
    }

    function _debtOf(MarketStorage storage $, address account) private view returns (uint256) {
        return _debtAt($.borrows[account], $.borrowIndex);
    }

    /**
     * @dev The snapshot of a debt of `debt` at borrow index `index`, bounds checked (see
     *      {BorrowSnapshot}). A zero debt past the index bound is stored as the empty snapshot, so
     *      that a debt can always be repaid in full.
     * @param debt The account's debt, underlying units.
     * @param index The market's borrow index now.
     * @return The snapshot to store.
     */
    function _snapshot(uint256 debt, uint256 index) internal pure returns (BorrowSnapshot memory) {
        if (debt > type(uint128).max) revert MarketDebtTooLarge(debt);
        if (index > type(uint128).max) {
            if (debt != 0) revert MarketBorrowIndexTooLarge(index);
            return BorrowSnapshot(0, 0);
        }
        return BorrowSnapshot(uint128(debt), uint128(index));
    }

    /**
     * @dev A snapshot's debt at borrow index `index`: principal x index / snapshot index, rounded up.
     * @param b The snapshot.
     * @param index The borrow index now (at least the snapshot's).
     * @return The debt, underlying units.
     */
    function _debtAt(BorrowSnapshot memory b, uint256 index) internal pure returns (uint256) {
        if (b.principal == 0) return 0;
        return Math.mulDiv(b.principal, index, b.index, Math.Rounding.Ceil);
    }

    function _toShares(MarketStorage storage $, uint256 assets, Math.Rounding rounding) private view returns (uint256) {
        return _assetsToShares(assets, $.totalShares, $.cash + $.totalBorrows - $.reserves, rounding);
    }

    function _toAssets(MarketStorage storage $, uint256 shares, Math.Rounding rounding) private view returns (uint256) {
        return _sharesToAssets(shares, $.totalShares, $.cash + $.totalBorrows - $.reserves, rounding);
    }

    /// @dev 1:1 for the first deposit; afterwards pro rata. Cash is internal, so no donation skews it.
    ///      Shares left with no assets behind them (every supplied unit lost to bad debt) price any
    ///      new deposit at zero shares, so it is refused rather than shared with worthless shares.
    function _assetsToShares(uint256 assets, uint256 supply, uint256 total, Math.Rounding rounding)
        private
        pure
        returns (uint256)
    {
        if (supply == 0) return assets;
        if (total == 0) return 0;
        return Math.mulDiv(assets, supply, total, rounding);
    }

    function _sharesToAssets(uint256 shares, uint256 supply, uint256 total, Math.Rounding rounding)
        private
        pure
        returns (uint256)
    {
        if (supply == 0) return shares;
        return Math.mulDiv(shares, total, supply, rounding);
    }

    function _setRateModel(RateModel calldata m) private {
        if (
            m.baseRatePerYear > MAX_BASE_RATE || m.slopeLowPerYear > MAX_SLOPE || m.slopeHighPerYear > MAX_SLOPE
                || m.kink < MIN_KINK || m.kink > MAX_KINK || m.slopeHighPerYear < m.slopeLowPerYear
        ) revert MarketBadParameter();
        _storage().rateModel = m;
        emit RateModelSet(m.baseRatePerYear, m.slopeLowPerYear, m.slopeHighPerYear, m.kink);
    }

    function _setReserveFactor(uint16 bps) private {
        if (bps > MAX_RESERVE_FACTOR_BPS) revert MarketBadParameter();
        MarketStorage storage $ = _storage();
        emit ReserveFactorSet($.reserveFactorBps, bps);
        $.reserveFactorBps = bps;
    }

    function _storage() private pure returns (MarketStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
