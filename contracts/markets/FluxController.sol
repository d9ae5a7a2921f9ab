// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IFluxController} from "./interfaces/IFluxController.sol";
import {IFluxMarket} from "./interfaces/IFluxMarket.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {PositionMath} from "./libraries/PositionMath.sol";

/**
 * @title Flux markets controller: risk parameters and the single judge of positions
 * @notice Lists markets, holds Flux's risk parameters and decides "may borrow", "may withdraw" and
 *         "is liquidatable" for every account across all markets.
 *
 *         Flux's risk model:
 *         - Each market has a *collateral ratio* for its asset used as collateral (stablecoins
 *           130%, ETH/BTC 140%): a supply of value V supports V / ratio of debt (about 77% / 71%).
 *           Borrowing is allowed while total debt value <= the sum of V_i / ratio_i, i.e. while
 *           collateral value / debt stays at or above the (value-weighted) ratio of the assets.
 *         - One unified *liquidation ratio* (110%): liquidatable when
 *           collateral value < total debt value x 110%.
 *         - Liquidation is instant at a fixed *price factor* (97%): the liquidator receives
 *           collateral worth repaid / 0.97 at oracle prices. No auction. Only for a position that
 *           is still solvent but has less than a 3% cushion (debt <= collateral < debt / 0.97)
 *           does the discount shrink to the cushion: the liquidator receives collateral worth
 *           repaid x collateral / debt, so the liquidation keeps collateral >= debt: no solvent
 *           position is ever turned into bad debt, and the liquidation that takes all its
 *           collateral repays all its debt.
 *         The gap between the two lines is the buffer: a position at its limit survives a
 *         1 - 110/130 = 15.4% (stablecoin collateral) or 1 - 110/140 = 21.4% (ETH/BTC collateral)
 *         drop of its collateral's price.
 *
 *         Close factor and dust: a liquidation repays at most `closeFactorBps` (50%) of the
 *         borrower's debt in the repaid market, except that it may repay all of it when the
 *         borrower's total debt value is at most twice `minDebtValue` (splitting would leave
 *         unliquidatable dust) or when the position is under water (collateral x price factor <
 *         debt: halving cannot restore it). A borrow must leave the debt in its market zero or at
 *         least `minDebtValue`, so dust positions are not created by borrowing.
 *
 *         Governance (the Timelock) changes every parameter within on-chain bounds. A guardian may
 *         only pause new deposits and borrows (never repayments, withdrawals or liquidations). The
 *         risk steward (a {FluxRiskSteward} contract set by the Timelock) may only tighten: this
 *         controller lets it raise a collateral ratio (up to the governance maximum) or lower a
 *         cap, never the reverse; the steward contract itself bounds each change (at most 10
 *         points, at most half a cap, once per parameter per market per day). Loosening always
 *         needs a proposal. The arithmetic of positions and liquidations is in {PositionMath}.
 * @dev Owner: the Timelock. UUPS; state in an ERC-7201 namespace. Positions loop over all listed
 *      markets (at most MAX_MARKETS); a market's price is read only if the account uses it.
 *      Collateral whose price is invalid (missing, failing, stale, out of range) counts as worth
 *      zero, for borrowing, withdrawing and liquidation alike; only a debt whose price is invalid
 *      makes a position unreadable (the call reverts). So a feed an account merely supplies to
 *      (even 1 wei deposited on its behalf by a stranger) never blocks it, and a borrower cannot
 *      escape liquidation by supplying dust to a market whose feed is stale.
 */
contract FluxController is IFluxController, OwnableUpgradeable, UUPSUpgradeable {
    /// @dev What the position loop read of one market (see {checkPosition}).
    struct MarketRead {
        bool listed; // the market is in the list (so `debt` and, when used, `price` were read)
        uint256 debt;
        uint256 price; // zero when the account owes nothing there (then it was read only if supplied, and may be invalid)
    }

    /// @custom:storage-location erc7201:flux.storage.FluxController
    struct ControllerStorage {
        IPriceOracle oracle;
        address guardian;
        address steward;
        uint16 liquidationRatioBps;
        uint16 priceFactorBps;
        uint16 closeFactorBps;
        uint256 minDebtValue;
        address[] marketList;
        mapping(address market => MarketConfig) markets;
        // Deprecated, never read or written: the steward's cooldowns moved to FluxRiskSteward. The
        // member keeps its place and its name (hardhat-upgrades reads a renamed member of a
        // namespace as a deletion), so the layout of the namespace is unchanged (test/layout.test.ts).
        mapping(address market => mapping(bytes4 param => uint256)) stewardLastChange;
    }

    // keccak256(abi.encode(uint256(keccak256("flux.storage.FluxController")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0xabbba1babaa50d10986d8dc55bbe0e8d7d2902120b420e05d82b65177c5a9b00;

    uint256 private constant BPS = 10_000;
    /// @notice Most markets one controller lists (bounds the gas of a position check).
    uint256 public constant MAX_MARKETS = 16;
    /// @notice Highest collateral ratio governance may set: 300%.
    uint16 public constant MAX_COLLATERAL_RATIO_BPS = 30_000;
    /// @notice Highest liquidation ratio: 200%.
    uint16 public constant MAX_LIQUIDATION_RATIO_BPS = 20_000;
    /// @notice Price factor bounds: 80% .. 99.9%.
    uint16 public constant MIN_PRICE_FACTOR_BPS = 8_000;
    /// @notice Price factor bounds: 80% .. 99.9%.
    uint16 public constant MAX_PRICE_FACTOR_BPS = 9_990;
    /// @notice Close factor bounds: 10% .. 100%.
    uint16 public constant MIN_CLOSE_FACTOR_BPS = 1_000;
    /// @notice Highest minimum debt: 1,000,000 USD.
    uint256 public constant MAX_MIN_DEBT_VALUE = 1_000_000e18;
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the controller behind its proxy.
    /// @param p Owner (Timelock), oracle, guardian, steward and the global risk parameters.
    function initialize(InitParams calldata p) public initializer {
        if (p.owner == address(0) || address(p.oracle) == address(0)) revert ControllerZeroAddress();
        __Ownable_init(p.owner);
        _setOracle(p.oracle);
        _setGuardian(p.guardian);
        _setSteward(p.steward);
        _setLiquidationRatio(p.liquidationRatioBps);
        _setPriceFactor(p.priceFactorBps);
        _setCloseFactor(p.closeFactorBps);
        _setMinDebtValue(p.minDebtValue);
    }

    modifier onlySteward() {
        address steward_ = _storage().steward;
        if (msg.sender != steward_ || steward_ == address(0)) revert ControllerNotSteward(msg.sender);
        _;
    }

    modifier onlyListed(address market) {
        if (!_storage().markets[market].listed) revert ControllerMarketNotListed(market);
        _;
    }

    // =================================================================== governance (Timelock)

    /**
     * @notice Lists a market, unpaused, at most MAX_MARKETS in all. Only the Timelock.
     * @param market The market (its controller must be this contract).
     * @param collateralRatioBps Collateral ratio of its asset as collateral (> liquidation ratio,
     *        <= 300%).
     * @param supplyCap Maximum total supplied, underlying units (type(uint256).max = none).
     * @param borrowCap Maximum total borrowed, underlying units (type(uint256).max = none).
     */
    function listMarket(address market, uint16 collateralRatioBps, uint256 supplyCap, uint256 borrowCap)
        external
        onlyOwner
    {
        ControllerStorage storage $ = _storage();
        if (market == address(0)) revert ControllerZeroAddress();
        if ($.markets[market].listed) revert ControllerMarketAlreadyListed(market);
        if ($.marketList.length >= MAX_MARKETS) revert ControllerTooManyMarkets();
        if (_marketController(market) != address(this)) revert ControllerWrongController(market);
        _checkCollateralRatio(collateralRatioBps);
        $.markets[market] = MarketConfig(true, false, false, collateralRatioBps, supplyCap, borrowCap);
        $.marketList.push(market);
        emit MarketListed(market, IFluxMarket(market).asset(), collateralRatioBps, supplyCap, borrowCap);
    }

    /// @notice Sets a market's collateral ratio within bounds. Only the Timelock.
    /// @param market The market.
    /// @param bps New ratio (> liquidation ratio, <= 300%).
    function setCollateralRatio(address market, uint16 bps) external onlyOwner onlyListed(market) {
        _checkCollateralRatio(bps);
        _setCollateralRatio(market, bps);
    }

    /// @notice Sets the unified liquidation ratio. Only the Timelock.
    /// @param bps New ratio (> 100%, < every market's collateral ratio, <= 200%), with
    ///        liquidation ratio x price factor > 100%.
    function setLiquidationRatio(uint16 bps) external onlyOwner {
        _setLiquidationRatio(bps);
    }

    /// @notice Sets the liquidation price factor. Only the Timelock.
    /// @param bps New factor within [80%, 99.9%], with liquidation ratio x factor > 100%.
    function setPriceFactor(uint16 bps) external onlyOwner {
        _setPriceFactor(bps);
    }

    /// @notice Sets the close factor. Only the Timelock.
    /// @param bps New factor within [10%, 100%].
    function setCloseFactor(uint16 bps) external onlyOwner {
        _setCloseFactor(bps);
    }

    /// @notice Sets the minimum debt per market (USD, 18 decimals). Only the Timelock.
    /// @param value New minimum, at most 1,000,000 USD.
    function setMinDebtValue(uint256 value) external onlyOwner {
        _setMinDebtValue(value);
    }

    /// @notice Sets a market's caps, either way, without bounds. Only the Timelock.
    /// @param market The market.
    /// @param supplyCap New supply cap (type(uint256).max = none).
    /// @param borrowCap New borrow cap (type(uint256).max = none).
    function setCaps(address market, uint256 supplyCap, uint256 borrowCap) external onlyOwner onlyListed(market) {
        _setSupplyCap(market, supplyCap);
        _setBorrowCap(market, borrowCap);
    }

    /// @notice Sets a market's pause flags, either way. Only the Timelock.
    /// @param market The market.
    /// @param depositPaused Whether deposits are paused.
    /// @param borrowPaused Whether borrows are paused.
    function setPaused(address market, bool depositPaused, bool borrowPaused) external onlyOwner onlyListed(market) {
        _setPaused(market, depositPaused, borrowPaused);
    }

    /// @notice Sets the price oracle. Only the Timelock.
    /// @param oracle_ The new oracle.
    function setOracle(IPriceOracle oracle_) external onlyOwner {
        _setOracle(oracle_);
    }

    /// @notice Sets the guardian (address(0) for none). Only the Timelock.
    /// @param guardian_ The new guardian.
    function setGuardian(address guardian_) external onlyOwner {
        _setGuardian(guardian_);
    }

    /// @notice Sets the risk steward (address(0) for none): the one address that may call the
    ///         tighten-only steward functions, in practice a {FluxRiskSteward} contract. Only the
    ///         Timelock; replacing it is also how the steward's rules change.
    /// @param steward_ The new steward.
    function setSteward(address steward_) external onlyOwner {
        _setSteward(steward_);
    }

    // =================================================================== guardian and steward

    /// @inheritdoc IFluxController
    function guardianPause(address market, bool pauseDeposits, bool pauseBorrows) external onlyListed(market) {
        ControllerStorage storage $ = _storage();
        if (msg.sender != $.guardian && msg.sender != owner()) revert ControllerNotGuardian(msg.sender);
        MarketConfig storage c = $.markets[market];
        _setPaused(market, c.depositPaused || pauseDeposits, c.borrowPaused || pauseBorrows);
    }

    /// @inheritdoc IFluxController
    /// @dev Defense in depth: the steward contract bounds the step and the frequency; this only
    ///      refuses a change that would not tighten.
    function stewardRaiseCollateralRatio(address market, uint16 bps) external onlySteward onlyListed(market) {
        uint16 current = _storage().markets[market].collateralRatioBps;
        if (bps <= current || bps > MAX_COLLATERAL_RATIO_BPS) {
            revert ControllerStewardOutOfBounds("collateralRatio", current, bps);
        }
        _setCollateralRatio(market, bps);
    }

    /// @inheritdoc IFluxController
    function stewardLowerSupplyCap(address market, uint256 cap) external onlySteward onlyListed(market) {
        uint256 current = _storage().markets[market].supplyCap;
        if (cap >= current) revert ControllerStewardOutOfBounds("supplyCap", current, cap);
        _setSupplyCap(market, cap);
    }

    /// @inheritdoc IFluxController
    function stewardLowerBorrowCap(address market, uint256 cap) external onlySteward onlyListed(market) {
        uint256 current = _storage().markets[market].borrowCap;
        if (cap >= current) revert ControllerStewardOutOfBounds("borrowCap", current, cap);
        _setBorrowCap(market, cap);
    }

    // =================================================================== hooks for markets

    /// @inheritdoc IFluxController
    function checkDeposit(address market, uint256 amount) external view onlyListed(market) {
        MarketConfig storage c = _storage().markets[market];
        if (c.depositPaused) revert ControllerDepositPaused(market);
        uint256 resulting = IFluxMarket(market).totalAssets() + amount;
        if (resulting > c.supplyCap) revert ControllerSupplyCapExceeded(market, c.supplyCap, resulting);
    }

    /// @inheritdoc IFluxController
    function checkBorrow(address market, uint256 amount) external view onlyListed(market) {
        MarketConfig storage c = _storage().markets[market];
        if (c.borrowPaused) revert ControllerBorrowPaused(market);
        uint256 resulting = IFluxMarket(market).totalBorrows() + amount;
        if (resulting > c.borrowCap) revert ControllerBorrowCapExceeded(market, c.borrowCap, resulting);
    }

    /// @inheritdoc IFluxController
    function checkPosition(address account, address market) external view {
        (AccountPosition memory p, MarketRead memory m) = _positionAndRead(account, market);
        if (!p.borrowAllowed) revert ControllerBorrowLimitExceeded(account, p.debtValue, p.borrowLimitValue);
        if (market != address(0)) {
            ControllerStorage storage $ = _storage();
            // A listed market's debt and price were read by the position loop (same call, same
            // state); anything else is asked directly.
            uint256 debt = m.listed ? m.debt : _debtIn(market, account);
            if (debt > 0) {
                uint256 debtValue = Math.mulDiv(debt, m.listed ? m.price : _price(market), 1e18, Math.Rounding.Floor);
                if (debtValue < $.minDebtValue) {
                    revert ControllerDebtBelowMinimum(account, market, debtValue, $.minDebtValue);
                }
            }
        }
    }

    /// @inheritdoc IFluxController
    function liquidationSeize(address debtMarket, address collateralMarket, address borrower, uint256 repayAmount)
        external
        view
        onlyListed(debtMarket)
        onlyListed(collateralMarket)
        returns (uint256 seizeShares)
    {
        // The position loop reads the borrower's debt in `debtMarket` on the way (listed: checked above).
        (AccountPosition memory p, MarketRead memory m) = _positionAndRead(borrower, debtMarket);
        if (!p.liquidatable) revert ControllerNotLiquidatable(borrower, p.collateralValue, p.liquidationValue);
        uint256 maxRepay = _maxRepay(_storage(), p, m.debt);
        if (repayAmount > maxRepay) revert ControllerRepayTooLarge(repayAmount, maxRepay);
        seizeShares = _seizeShares(p, debtMarket, collateralMarket, repayAmount);
        uint256 available = IFluxMarket(collateralMarket).sharesOf(borrower);
        if (seizeShares > available) {
            // Only an insolvent account's collateral can fall short of a seize (a solvent one's is
            // priced at collateral / debt at most, so even its whole debt buys at most all of it).
            // The smallest repayment that covers all the shares left takes them all (overpaying by
            // less than one unit of the debt asset); otherwise a remainder worth less than one unit
            // could never be seized, and the account's bad debt never written off.
            if (_seizeShares(p, debtMarket, collateralMarket, repayAmount - 1) >= available) {
                revert ControllerSeizeTooLarge(seizeShares, available);
            }
            seizeShares = available;
        }
    }

    /// @inheritdoc IFluxController
    function isListed(address market) external view returns (bool) {
        return _storage().markets[market].listed;
    }

    /// @inheritdoc IFluxController
    function hasNoCollateral(address account) external view returns (bool) {
        address[] storage list = _storage().marketList;
        for (uint256 i = 0; i < list.length; ++i) {
            if (IFluxMarket(list[i]).sharesOf(account) != 0) return false;
        }
        return true;
    }

    // =================================================================== views for integrators

    /// @inheritdoc IFluxController
    function accountPosition(address account) external view returns (AccountPosition memory) {
        return _position(account);
    }

    /// @inheritdoc IFluxController
    function availableToBorrow(address account, address market) external view onlyListed(market) returns (uint256) {
        AccountPosition memory p = _position(account);
        if (p.borrowLimitValue <= p.debtValue) return 0;
        return (p.borrowLimitValue - p.debtValue) * 1e18 / _price(market);
    }

    /// @inheritdoc IFluxController
    function maxLiquidation(address borrower, address debtMarket, address collateralMarket)
        external
        view
        onlyListed(debtMarket)
        onlyListed(collateralMarket)
        returns (uint256 repayAmount, uint256 seizeShares)
    {
        (AccountPosition memory p, MarketRead memory m) = _positionAndRead(borrower, debtMarket);
        if (!p.liquidatable) return (0, 0);
        repayAmount = _maxRepay(_storage(), p, m.debt);
        uint256 available = IFluxMarket(collateralMarket).sharesOf(borrower);
        seizeShares = _seizeShares(p, debtMarket, collateralMarket, repayAmount);
        if (seizeShares > available) {
            // Not enough collateral in this market: the smallest repayment that takes all of it.
            repayAmount = _repayForAllShares(p, debtMarket, collateralMarket, borrower, available);
            seizeShares = available;
        }
    }

    /// @inheritdoc IFluxController
    function marketOverview(address market)
        external
        view
        onlyListed(market)
        returns (IFluxMarket.MarketState memory state, MarketConfig memory config, uint256 price)
    {
        state = IFluxMarket(market).marketState();
        config = _storage().markets[market];
        price = _price(market);
    }

    /// @inheritdoc IFluxController
    function marketConfig(address market) external view returns (MarketConfig memory) {
        return _storage().markets[market];
    }

    /// @inheritdoc IFluxController
    function markets() external view returns (address[] memory) {
        return _storage().marketList;
    }

    /// @inheritdoc IFluxController
    function riskParameters()
        external
        view
        returns (uint16 liquidationRatioBps, uint16 priceFactorBps, uint16 closeFactorBps, uint256 minDebtValue)
    {
        ControllerStorage storage $ = _storage();
        return ($.liquidationRatioBps, $.priceFactorBps, $.closeFactorBps, $.minDebtValue);
    }

    /// @inheritdoc IFluxController
    function roles() external view returns (address oracle_, address guardian_, address steward_) {
        ControllerStorage storage $ = _storage();
        return (address($.oracle), $.guardian, $.steward);
    }

    // =================================================================== internals

    function _position(address account) private view returns (AccountPosition memory p) {
        (p,) = _positionAndRead(account, address(0));
    }

    /// @dev The position of `account`, and what the loop read of `market` on the way (its debt,
    ///      and its price when the account uses it), so that the caller need not read them again.
    function _positionAndRead(address account, address market)
        private
        view
        returns (AccountPosition memory p, MarketRead memory m)
    {
        ControllerStorage storage $ = _storage();
        address[] storage list = $.marketList;
        for (uint256 i = 0; i < list.length; ++i) {
            address listed = list[i];
            (uint256 supplied, uint256 debt) = IFluxMarket(listed).accountSnapshot(account);
            bool isMarket = listed == market;
            if (isMarket) {
                m.listed = true;
                m.debt = debt;
            }
            if (supplied == 0 && debt == 0) continue;
            uint256 price;
            if (debt > 0) {
                price = _price(listed); // reverts when invalid: a debt is never valued at less
                if (isMarket) m.price = price;
            } else {
                // Supply only: an invalid price values it at zero, never blocks the position.
                (, price) = $.oracle.tryGetPrice(IFluxMarket(listed).asset());
            }
            if (supplied > 0) {
                uint256 value = PositionMath.collateralValue(supplied, price);
                p.collateralValue += value;
                p.borrowLimitValue += PositionMath.borrowLimit(value, $.markets[listed].collateralRatioBps);
            }
            if (debt > 0) p.debtValue += PositionMath.debtValue(debt, price);
        }
        PositionMath.finish(p, $.liquidationRatioBps);
    }

    /// @dev {PositionMath-maxRepay} with the controller's parameters.
    function _maxRepay(ControllerStorage storage $, AccountPosition memory p, uint256 debt)
        private
        view
        returns (uint256)
    {
        return PositionMath.maxRepay(p, debt, $.minDebtValue, $.priceFactorBps, $.closeFactorBps);
    }

    /// @dev Collateral shares worth repayAmount x the seize price ({PositionMath-seizePrice}) at
    ///      oracle prices, rounded down.
    function _seizeShares(
        AccountPosition memory p,
        address debtMarket,
        address collateralMarket,
        uint256 repayAmount
    ) private view returns (uint256) {
        (uint256 num, uint256 den) = PositionMath.seizePrice(p, _storage().priceFactorBps);
        uint256 seizeAssets =
            PositionMath.seizeAssets(repayAmount, _price(debtMarket), _price(collateralMarket), num, den);
        return IFluxMarket(collateralMarket).convertToShares(seizeAssets);
    }

    /// @dev The smallest repayment whose seize reaches all `shares` of `borrower`: the least
    ///      underlying that converts to `shares`, priced back through the seize formula, rounded up.
    function _repayForAllShares(
        AccountPosition memory p,
        address debtMarket,
        address collateralMarket,
        address borrower,
        uint256 shares
    ) private view returns (uint256) {
        (uint256 assets,) = IFluxMarket(collateralMarket).accountSnapshot(borrower); // rounded down
        if (IFluxMarket(collateralMarket).convertToShares(assets) < shares) ++assets;
        (uint256 num, uint256 den) = PositionMath.seizePrice(p, _storage().priceFactorBps);
        return PositionMath.repayFor(assets, _price(debtMarket), _price(collateralMarket), num, den);
    }

    function _price(address market) private view returns (uint256) {
        return _storage().oracle.getPrice(IFluxMarket(market).asset());
    }

    function _debtIn(address market, address account) private view returns (uint256 debt) {
        (, debt) = IFluxMarket(market).accountSnapshot(account);
    }

    /// @dev The controller `market` names, or address(0) when the call fails or does not answer
    ///      with exactly one word (an EOA, or a contract that is not a market), so listing refuses it.
    ///      A low-level call with a typed selector rather than a try/catch: a malformed answer
    ///      must not revert the listing with a decoding error.
    function _marketController(address market) private view returns (address) {
        (bool ok, bytes memory data) = market.staticcall(abi.encodeCall(IFluxMarket.controller, ()));
        if (!ok || data.length != 32) return address(0);
        return abi.decode(data, (address));
    }

    function _checkCollateralRatio(uint16 bps) private view {
        if (bps <= _storage().liquidationRatioBps || bps > MAX_COLLATERAL_RATIO_BPS) {
            revert ControllerBadParameter("collateralRatio", bps);
        }
    }

    function _setCollateralRatio(address market, uint16 bps) private {
        MarketConfig storage c = _storage().markets[market];
        emit CollateralRatioSet(market, c.collateralRatioBps, bps, msg.sender);
        c.collateralRatioBps = bps;
    }

    function _setLiquidationRatio(uint16 bps) private {
        ControllerStorage storage $ = _storage();
        if (bps <= BPS || bps > MAX_LIQUIDATION_RATIO_BPS) revert ControllerBadParameter("liquidationRatio", bps);
        if ($.priceFactorBps != 0 && uint256(bps) * $.priceFactorBps <= BPS * BPS) {
            revert ControllerBadParameter("liquidationRatio", bps);
        }
        for (uint256 i = 0; i < $.marketList.length; ++i) {
            if ($.markets[$.marketList[i]].collateralRatioBps <= bps) {
                revert ControllerBadParameter("liquidationRatio", bps);
            }
        }
        emit LiquidationRatioSet($.liquidationRatioBps, bps);
        $.liquidationRatioBps = bps;
    }

    /// @dev Liquidation ratio x price factor must exceed 100%, so that a liquidation at the line
    ///      (collateral / debt = liquidation ratio) always improves the position.
    function _setPriceFactor(uint16 bps) private {
        ControllerStorage storage $ = _storage();
        if (bps < MIN_PRICE_FACTOR_BPS || bps > MAX_PRICE_FACTOR_BPS) revert ControllerBadParameter("priceFactor", bps);
        if (uint256($.liquidationRatioBps) * bps <= BPS * BPS && $.liquidationRatioBps != 0) {
            revert ControllerBadParameter("priceFactor", bps);
        }
        emit PriceFactorSet($.priceFactorBps, bps);
        $.priceFactorBps = bps;
    }

    function _setCloseFactor(uint16 bps) private {
        if (bps < MIN_CLOSE_FACTOR_BPS || bps > BPS) revert ControllerBadParameter("closeFactor", bps);
        ControllerStorage storage $ = _storage();
        emit CloseFactorSet($.closeFactorBps, bps);
        $.closeFactorBps = bps;
    }

    function _setMinDebtValue(uint256 value) private {
        if (value > MAX_MIN_DEBT_VALUE) revert ControllerBadParameter("minDebtValue", value);
        ControllerStorage storage $ = _storage();
        emit MinDebtValueSet($.minDebtValue, value);
        $.minDebtValue = value;
    }

    function _setSupplyCap(address market, uint256 cap) private {
        MarketConfig storage c = _storage().markets[market];
        emit SupplyCapSet(market, c.supplyCap, cap, msg.sender);
        c.supplyCap = cap;
    }

    function _setBorrowCap(address market, uint256 cap) private {
        MarketConfig storage c = _storage().markets[market];
        emit BorrowCapSet(market, c.borrowCap, cap, msg.sender);
        c.borrowCap = cap;
    }

    function _setPaused(address market, bool depositPaused, bool borrowPaused) private {
        MarketConfig storage c = _storage().markets[market];
        c.depositPaused = depositPaused;
        c.borrowPaused = borrowPaused;
        emit PauseSet(market, depositPaused, borrowPaused, msg.sender);
    }

    function _setOracle(IPriceOracle oracle_) private {
        if (address(oracle_) == address(0)) revert ControllerZeroAddress();
        ControllerStorage storage $ = _storage();
        emit OracleSet(address($.oracle), address(oracle_));
        $.oracle = oracle_;
    }

    function _setGuardian(address guardian_) private {
        ControllerStorage storage $ = _storage();
        emit GuardianSet($.guardian, guardian_);
        $.guardian = guardian_;
    }

    function _setSteward(address steward_) private {
        ControllerStorage storage $ = _storage();
        emit StewardSet($.steward, steward_);
        $.steward = steward_;
    }

    /// @dev Only the Timelock may upgrade.
    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _storage() private pure returns (ControllerStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
