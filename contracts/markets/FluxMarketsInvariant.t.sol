// SPDX-License-Identifier: MIT
// solhint-disable one-contract-per-file, gas-small-strings, gas-struct-packing, func-name-mixedcase
// A handler keeps one public counter per property it checks, so max-states-count is off too.
// solhint-disable max-states-count
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {FluxController} from "./FluxController.sol";
import {FluxMarket} from "./FluxMarket.sol";
import {IFluxController} from "./interfaces/IFluxController.sol";
import {IFluxMarket} from "./interfaces/IFluxMarket.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {MockAggregator} from "../test/MockAggregator.sol";
import {MockERC20} from "../test/MockERC20.sol";
import {FluxTestBase} from "../test/utils/FluxTest.sol";
import {FluxMarketsFixture} from "../test/utils/MarketsFixture.sol";

/**
 * @title Invariant handler for the Flux markets
 * @notice Three users and one liquidator act on two lending markets (6-decimal stablecoin,
 *         18-decimal ETH) and a third, collateral-only market whose feed lapses and recovers:
 *         bounded deposits (also on behalf, into any of the three), withdrawals, borrows,
 *         repayments (also on behalf), price moves of +-30% per step within a 100x band, time warps
 *         (interest), liquidations quoted by `controller.maxLiquidation` (sometimes partial),
 *         bad-debt write-offs, reserve sweeps by the Timelock and token donations. It keeps a
 *         ledger of every token flow and checks, right after each action, what can only be checked
 *         then: the borrow limit of the actor; the liquidation price; that the exchange rate falls
 *         only at a write-off and exactly by the loss the reserves did not absorb; that a solvent
 *         account never ends a liquidation with debt and no collateral; and that every account's
 *         position stays readable (so liquidatable) whatever the third market's feed does.
 * @dev Actions never revert on their own account: calls that may legitimately be refused
 *      (a withdrawal past the limit, a borrow under the minimum debt) use try/catch and compare the
 *      error selector with the expected ones; anything else is counted in `unexpectedReverts`.
 *      Every other call is made directly, so with `failOnRevert` a regression that makes it revert
 *      fails the run.
 */
contract FluxMarketsHandler is FluxTestBase {
    uint256 internal constant USERS = 3;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant PRICE_FACTOR_BPS = 9_700;

    /// @notice Token-flow ledger of one market, from the handler's own amounts.
    struct Ledger {
        uint256 deposited; // tokens paid in by deposits
        uint256 withdrawn; // tokens paid out by withdrawals
        uint256 borrowed; // tokens paid out by borrows
        uint256 repaid; // tokens paid in by repayments and liquidations
        uint256 repaidAgainstBorrows; // sum of min(repayment, totalBorrows before it)
        uint256 interest; // totalBorrows growth over time warps (accrued interest)
        uint256 writtenOff; // sum of min(debt, totalBorrows before it) of write-offs
        uint256 swept; // reserves paid out to the treasury
        uint256 donated; // tokens sent to the market outside its accounting
    }

    /// @notice Fixed bounds and the last observed exchange rate of one market.
    struct MarketCase {
        FluxMarket market;
        MockAggregator feed;
        int256 minPrice; // initial / 10
        int256 maxPrice; // initial x 10
        uint256 maxAmount; // ~1M USD of the asset
        uint256 lastAssets; // totalAssets after the previous action
        uint256 lastShares; // totalShares after the previous action
    }

    /// @notice The controller.
    FluxController public controller;
    /// @notice The oracle (prices for the liquidation check).
    IPriceOracle public oracle;

    /// @notice Successful withdrawals/borrows that left the actor beyond its limit, or deposits that
    ///         made a position worse.
    uint256 public limitViolations;
    /// @notice Liquidations that paid more collateral value than repaid / price factor.
    uint256 public bonusViolations;
    /// @notice Highest seized value / repaid value seen, 1e18 = 1.
    uint256 public worstSeizeRatioWad;
    /// @notice Times a market's exchange rate (totalAssets / totalShares) went down outside a
    ///         write-off.
    uint256 public rateDecreases;
    /// @notice Write-offs whose loss to the suppliers was not exactly the debt the reserves left.
    uint256 public writeOffViolations;
    /// @notice Liquidations of a solvent account that left it with debt and no collateral.
    uint256 public solventTurnedBadDebt;
    /// @notice Times `accountPosition` reverted for an account whose debts all had valid prices.
    uint256 public unreadablePositions;

    /// @notice Reverts with an unexpected error.
    uint256 public unexpectedReverts;
    /// @notice Selector of the last unexpected revert.
    bytes4 public lastUnexpectedSelector;
    /// @notice Successful liquidations.
    uint256 public liquidations;
    /// @notice Successful write-offs.
    uint256 public writeOffs;

    MarketCase[2] internal _cases;
    address[USERS + 1] internal _actors; // the last one is the liquidator
    Ledger[2] internal _ledger;
    /// @dev The collateral-only market whose feed lapses, and its feed.
    FluxMarket internal _lapsing;
    MockAggregator internal _lapsingFeed;
    /// @dev The owner of the markets (the Timelock's stand-in), who alone sweeps reserves.
    address internal _owner;

    /// @notice Wires the handler and approves both markets for every actor.
    /// @param controller_ The controller.
    /// @param markets_ Stablecoin market, ETH market.
    /// @param feeds_ Their feeds.
    /// @param actors_ Three users, then the liquidator.
    /// @param lapsing_ A listed market nobody borrows from, whose feed the handler lets lapse.
    /// @param lapsingFeed_ Its feed.
    /// @param owner_ The markets' owner.
    constructor(
        FluxController controller_,
        FluxMarket[2] memory markets_,
        MockAggregator[2] memory feeds_,
        address[USERS + 1] memory actors_,
        FluxMarket lapsing_,
        MockAggregator lapsingFeed_,
        address owner_
    ) {
        controller = controller_;
        _lapsing = lapsing_;
        _lapsingFeed = lapsingFeed_;
        _owner = owner_;
        (address oracle_,,) = controller_.roles();
        oracle = IPriceOracle(oracle_);
        _actors = actors_;
        for (uint256 i = 0; i < 2; ++i) {
            (, int256 answer,,,) = feeds_[i].latestRoundData();
            MockERC20 token = MockERC20(markets_[i].asset());
            MarketCase storage mc = _cases[i];
            mc.market = markets_[i];
            mc.feed = feeds_[i];
            mc.minPrice = answer / 10;
            mc.maxPrice = answer * 10;
            mc.maxAmount = 1_000_000e18 * 1e8 / uint256(answer) / 10 ** (18 - token.decimals());
            for (uint256 a = 0; a < actors_.length; ++a) {
                vm.prank(actors_[a]);
                token.approve(address(markets_[i]), type(uint256).max);
            }
        }
        MockERC20 lapsingToken = MockERC20(lapsing_.asset());
        for (uint256 a = 0; a < actors_.length; ++a) {
            vm.prank(actors_[a]);
            lapsingToken.approve(address(lapsing_), type(uint256).max);
        }
        _recordRates();
    }

    // =================================================================== actions

    /// @notice A user deposits for itself or for another user.
    /// @param actorSeed Picks the payer.
    /// @param accountSeed Picks the account credited.
    /// @param marketSeed Picks the market.
    /// @param amount Bounded to [1, ~1M USD].
    function deposit(uint256 actorSeed, uint256 accountSeed, uint256 marketSeed, uint256 amount) external {
        address payer = _user(actorSeed);
        address account = accountSeed % 4 == 0 ? _user(accountSeed >> 2) : payer;
        _deposit(payer, account, marketSeed % 2, amount);
        _afterAction();
    }

    /// @notice Any actor deposits into the collateral-only market for any user (a stranger's dust
    ///         included), whether its feed is fresh or lapsed: this must never make a position
    ///         unreadable or a liquidatable account unliquidatable.
    /// @param actorSeed Picks the payer (any actor).
    /// @param accountSeed Picks the account credited.
    /// @param amount Bounded to [1, 1e24] base units (dust included).
    function depositIntoLapsing(uint256 actorSeed, uint256 accountSeed, uint256 amount) external {
        address payer = _actors[actorSeed % _actors.length];
        address account = _user(accountSeed);
        amount = bound(amount, 1, 1e24);
        if (_lapsing.convertToShares(amount) == 0) return;
        MockERC20(_lapsing.asset()).mint(payer, amount); // approved in the constructor
        vm.prank(payer);
        _lapsing.deposit(amount, account);
        _afterAction();
    }

    /// @notice The collateral-only market's feed lapses (its last answer older than the heartbeat)
    ///         or recovers.
    /// @param lapse Odd: lapse; even: recover with a fresh answer.
    function toggleLapsingFeed(uint256 lapse) external {
        (uint80 roundId, int256 answer,,,) = _lapsingFeed.latestRoundData();
        if (lapse % 2 == 1) {
            _lapsingFeed.setRound(roundId + 1, answer, block.timestamp - 2 days - 1, roundId + 1);
        } else {
            _lapsingFeed.setAnswer(answer);
        }
        _afterAction();
    }

    /// @notice A user withdraws part (or all) of its supply, within the market's cash.
    /// @param actorSeed Picks the user.
    /// @param marketSeed Picks the market.
    /// @param amount Bounded to min(supplied, cash); 1 in 8 tries withdraw-all.
    function withdraw(uint256 actorSeed, uint256 marketSeed, uint256 amount) external {
        address actor = _user(actorSeed);
        uint256 i = marketSeed % 2;
        FluxMarket market = _cases[i].market;
        (uint256 supplied,) = market.accountSnapshot(actor);
        uint256 cash = market.marketState().cash;
        uint256 maxOut = Math.min(supplied, cash);
        if (maxOut == 0) return;
        bool all = amount % 8 == 0 && supplied <= cash;
        amount = all ? type(uint256).max : bound(amount, 1, maxOut);
        MockERC20 token = MockERC20(market.asset());
        uint256 balanceBefore = token.balanceOf(actor);
        vm.prank(actor);
        try market.withdraw(amount, actor) {
            _ledger[i].withdrawn += token.balanceOf(actor) - balanceBefore;
            if (!controller.accountPosition(actor).borrowAllowed) ++limitViolations;
        } catch (bytes memory err) {
            _expectError(err, IFluxController.ControllerBorrowLimitExceeded.selector, bytes4(0));
        }
        _afterAction();
    }

    /// @notice A user borrows 90% .. 100% of what availableToBorrow allows (and the cash), so that
    ///         price moves make positions liquidatable. A user without headroom first deposits
    ///         collateral in the other market (opening a cross-asset position).
    /// @param actorSeed Picks the user.
    /// @param marketSeed Picks the market.
    /// @param amount Bounded to [max x 0.9, max].
    /// @param collateral Collateral deposited first when there is no headroom (as in `deposit`).
    function borrow(uint256 actorSeed, uint256 marketSeed, uint256 amount, uint256 collateral) external {
        address actor = _user(actorSeed);
        uint256 i = marketSeed % 2;
        FluxMarket market = _cases[i].market;
        if (controller.availableToBorrow(actor, address(market)) == 0) _deposit(actor, actor, 1 - i, collateral);
        uint256 maxBorrow =
            Math.min(controller.availableToBorrow(actor, address(market)), market.marketState().cash);
        if (maxBorrow == 0) return;
        amount = bound(amount, Math.max(maxBorrow * 9 / 10, 1), maxBorrow);
        vm.prank(actor);
        // availableToBorrow is exact, so the only acceptable refusal is the minimum debt.
        try market.borrow(amount, actor) {
            _ledger[i].borrowed += amount;
            if (!controller.accountPosition(actor).borrowAllowed) ++limitViolations;
        } catch (bytes memory err) {
            _expectError(err, IFluxController.ControllerDebtBelowMinimum.selector, bytes4(0));
        }
        _afterAction();
    }

    /// @notice Any actor repays part or all of a user's debt.
    /// @param payerSeed Picks the payer (any actor, the liquidator included).
    /// @param accountSeed Picks the borrower.
    /// @param marketSeed Picks the market.
    /// @param amount Bounded to the debt; 1 in 4 repays everything with type(uint256).max.
    function repay(uint256 payerSeed, uint256 accountSeed, uint256 marketSeed, uint256 amount) external {
        address payer = _actors[payerSeed % _actors.length];
        address account = _user(accountSeed);
        uint256 i = marketSeed % 2;
        FluxMarket market = _cases[i].market;
        uint256 debt = market.debtOf(account);
        if (debt == 0) return;
        bool all = amount % 4 == 0;
        uint256 paid = all ? debt : bound(amount, 1, debt);
        MockERC20(market.asset()).mint(payer, paid);
        uint256 borrowsBefore = market.totalBorrows();
        vm.prank(payer);
        uint256 repaid = market.repay(all ? type(uint256).max : paid, account);
        _ledger[i].repaid += repaid;
        _ledger[i].repaidAgainstBorrows += Math.min(repaid, borrowsBefore);
        _afterAction();
    }

    /// @notice Moves a price by -30% .. +30%, within [initial / 10, initial x 10].
    /// @param marketSeed Picks the asset.
    /// @param changeBps New price in bps of the current one, bounded to [7,000, 13,000].
    function movePrice(uint256 marketSeed, uint256 changeBps) external {
        uint256 i = marketSeed % 2;
        (, int256 answer,,,) = _cases[i].feed.latestRoundData();
        int256 next = answer * int256(bound(changeBps, 7_000, 13_000)) / int256(BPS);
        if (next < _cases[i].minPrice) next = _cases[i].minPrice;
        if (next > _cases[i].maxPrice) next = _cases[i].maxPrice;
        _cases[i].feed.setAnswer(next);
        _afterAction();
    }

    /// @notice Advances time by 1 s .. 10 days (interest accrues) and refreshes both feeds.
    /// @param seconds_ Bounded to [1, 10 days].
    function warp(uint256 seconds_) external {
        uint256[2] memory borrowsBefore;
        for (uint256 i = 0; i < 2; ++i) {
            borrowsBefore[i] = _cases[i].market.totalBorrows();
        }
        vm.warp(block.timestamp + bound(seconds_, 1, 10 days));
        for (uint256 i = 0; i < 2; ++i) {
            // The view accrues to now with the state every market operation will accrue with.
            _ledger[i].interest += _cases[i].market.totalBorrows() - borrowsBefore[i];
            (, int256 answer,,,) = _cases[i].feed.latestRoundData();
            _cases[i].feed.setAnswer(answer);
        }
        _afterAction();
    }

    /// @notice The liquidator liquidates the first liquidatable user (from a seeded start) in the
    ///         first (debt, collateral) market pair the controller quotes a liquidation for;
    ///         sometimes only part of the quote (never under water). Checks the seized value
    ///         against repaid / 0.97. Like a keeper, it then writes off what a borrower left
    ///         without collateral still owes.
    /// @param borrowerSeed Picks the first user tried.
    /// @param pairSeed Picks the first market pair tried.
    /// @param fraction Odd: repay a random part of the quote; even: the whole quote.
    function liquidate(uint256 borrowerSeed, uint256 pairSeed, uint256 fraction) external {
        for (uint256 k = 0; k < USERS; ++k) {
            address borrower = _user(borrowerSeed % USERS + k);
            IFluxController.AccountPosition memory p = controller.accountPosition(borrower);
            if (!p.liquidatable) continue;
            bool underWater = p.collateralValue * PRICE_FACTOR_BPS < p.debtValue * BPS;
            for (uint256 pair = 0; pair < 4; ++pair) {
                uint256 d = (pairSeed % 4 + pair) % 4 / 2;
                uint256 c = (pairSeed % 4 + pair) % 2;
                (uint256 amount,) =
                    controller.maxLiquidation(borrower, address(_cases[d].market), address(_cases[c].market));
                if (amount == 0) continue;
                if (fraction % 2 == 1 && !underWater) amount = bound(fraction, 1, amount);
                _liquidate(borrower, d, c, amount);
                _afterAction();
                if (controller.hasNoCollateral(borrower)) {
                    for (uint256 i = 0; i < 2; ++i) {
                        if (_cases[i].market.debtOf(borrower) != 0) _writeOff(borrower, i);
                    }
                }
                return;
            }
        }
    }

    /// @notice Anyone writes off the debt of the first user (from a seeded start) left with debt
    ///         but without collateral.
    /// @param accountSeed Picks the first user tried.
    /// @param marketSeed Picks the first market tried.
    function writeOffBadDebt(uint256 accountSeed, uint256 marketSeed) external {
        for (uint256 k = 0; k < USERS; ++k) {
            address account = _user(accountSeed % USERS + k);
            if (!controller.hasNoCollateral(account)) continue;
            for (uint256 j = 0; j < 2; ++j) {
                uint256 i = (marketSeed % 2 + j) % 2;
                if (_cases[i].market.debtOf(account) == 0) continue;
                _writeOff(account, i);
                return;
            }
        }
    }

    /// @notice The Timelock sweeps a market's reserves to itself (the treasury).
    /// @param marketSeed Picks the market.
    function sweepReserves(uint256 marketSeed) external {
        uint256 i = marketSeed % 2;
        IFluxMarket.MarketState memory s = _cases[i].market.marketState();
        if (Math.min(s.reserves, s.cash) == 0) return;
        vm.prank(_owner);
        _ledger[i].swept += _cases[i].market.sweepReserves();
        _afterAction();
    }

    /// @notice Tokens sent straight to a market (a donation): must change nothing in its accounting.
    /// @param marketSeed Picks the market.
    /// @param amount Bounded to [1, ~1M USD].
    function donate(uint256 marketSeed, uint256 amount) external {
        uint256 i = marketSeed % 2;
        amount = bound(amount, 1, _cases[i].maxAmount);
        MockERC20(_cases[i].market.asset()).mint(address(_cases[i].market), amount);
        _ledger[i].donated += amount;
        _afterAction();
    }

    // =================================================================== views for the invariants

    /// @notice The ledger of market `i`.
    /// @param i 0 = stablecoin, 1 = ETH.
    /// @return The ledger.
    function ledger(uint256 i) external view returns (Ledger memory) {
        return _ledger[i];
    }

    /// @notice Market `i`.
    /// @param i 0 = stablecoin, 1 = ETH.
    /// @return The market.
    function marketAt(uint256 i) external view returns (FluxMarket) {
        return _cases[i].market;
    }

    /// @notice All actors (users, then the liquidator): the only holders of shares and debts.
    /// @return The actors.
    function actors() external view returns (address[USERS + 1] memory) {
        return _actors;
    }

    // =================================================================== internals

    /// @dev `payer` deposits a bounded amount for `account` in market `i`, unless it would mint no
    ///      share; checks that the deposit did not worsen the account's position.
    function _deposit(address payer, address account, uint256 i, uint256 amount) internal {
        FluxMarket market = _cases[i].market;
        amount = bound(amount, 1, _cases[i].maxAmount);
        if (market.convertToShares(amount) == 0) return; // would mint no share: refused by design
        IFluxController.AccountPosition memory before = controller.accountPosition(account);
        MockERC20(market.asset()).mint(payer, amount);
        vm.prank(payer);
        market.deposit(amount, account);
        _ledger[i].deposited += amount;
        // A deposit cannot be required to restore a position, but it must never worsen one.
        IFluxController.AccountPosition memory afterDeposit = controller.accountPosition(account);
        if ((before.borrowAllowed && !afterDeposit.borrowAllowed) || afterDeposit.collateralValue < before.collateralValue) {
            ++limitViolations;
        }
    }

    /// @dev Writes off `account`'s debt in market `i` (it has debt and no collateral).
    ///      The suppliers must lose exactly what the reserves did not absorb (the exchange rate
    ///      falls by that and nothing else), and the rate is re-based for `_afterAction`.
    function _writeOff(address account, uint256 i) internal {
        FluxMarket market = _cases[i].market;
        uint256 debt = market.debtOf(account);
        IFluxMarket.MarketState memory before = market.marketState();
        market.writeOffBadDebt(account);
        ++writeOffs;
        uint256 removed = Math.min(debt, before.totalBorrows);
        _ledger[i].writtenOff += removed;
        uint256 toSuppliers = removed - Math.min(removed, before.reserves);
        if (market.totalAssets() != before.totalAssets - toSuppliers) ++writeOffViolations;
        _cases[i].lastAssets = market.totalAssets();
        _cases[i].lastShares = market.marketState().totalShares;
        _afterAction();
    }

    function _liquidate(address borrower, uint256 d, uint256 c, uint256 amount) internal {
        FluxMarket debtMarket = _cases[d].market;
        FluxMarket collateralMarket = _cases[c].market;
        address liquidator = _actors[USERS];
        MockERC20(debtMarket.asset()).mint(liquidator, amount);
        uint256 borrowsBefore = debtMarket.totalBorrows();
        uint256 collateralAssets = collateralMarket.totalAssets();
        uint256 collateralShares = collateralMarket.marketState().totalShares;
        uint256 debtPrice = oracle.getPrice(debtMarket.asset());
        uint256 collateralPrice = oracle.getPrice(collateralMarket.asset());
        bool solvent = _isSolvent(borrower);
        vm.prank(liquidator);
        try debtMarket.liquidate(borrower, amount, address(collateralMarket)) returns (uint256 seized) {
            ++liquidations;
            _checkLastCollateral(borrower, solvent);
            _ledger[d].repaid += amount;
            _ledger[d].repaidAgainstBorrows += Math.min(amount, borrowsBefore);
            // Value of the seized shares, rounded up, against the repaid value / price factor.
            uint256 seizedAssets = Math.mulDiv(seized, collateralAssets, collateralShares, Math.Rounding.Ceil);
            uint256 seizedValue = seizedAssets * collateralPrice;
            uint256 repaidValue = amount * debtPrice;
            if (seizedValue * PRICE_FACTOR_BPS > repaidValue * BPS) ++bonusViolations;
            uint256 ratio = Math.mulDiv(seizedValue, 1e18, repaidValue);
            if (ratio > worstSeizeRatioWad) worstSeizeRatioWad = ratio;
        } catch (bytes memory err) {
            _expectError(err, bytes4(0), bytes4(0));
        }
    }

    function _isSolvent(address account) internal view returns (bool) {
        IFluxController.AccountPosition memory p = controller.accountPosition(account);
        return p.collateralValue >= p.debtValue;
    }

    /// @dev After a liquidation: a borrower left without collateral must have no debt if it was
    ///      solvent before.
    function _checkLastCollateral(address borrower, bool wasSolvent) internal {
        if (wasSolvent && controller.hasNoCollateral(borrower) && _hasDebt(borrower)) ++solventTurnedBadDebt;
    }

    function _hasDebt(address account) internal view returns (bool) {
        return _cases[0].market.debtOf(account) != 0 || _cases[1].market.debtOf(account) != 0;
    }

    function _user(uint256 seed) internal view returns (address) {
        return _actors[seed % USERS];
    }

    /// @dev Counts a revert whose selector is neither `a` nor `b` (bytes4(0) never matches).
    function _expectError(bytes memory err, bytes4 a, bytes4 b) internal {
        bytes4 selector = err.length >= 4 ? bytes4(err) : bytes4(0);
        if (err.length >= 4 && (selector == a || selector == b)) return;
        ++unexpectedReverts;
        lastUnexpectedSelector = selector;
    }

    /// @dev Exchange rates never decrease outside a write-off: totalAssets / totalShares compared
    ///      by cross-multiplication (exact), skipped while a market has no shares (then there is no
    ///      rate to protect). Every user's position is readable: users owe only in the two lending
    ///      markets, whose feeds stay fresh, so nothing done to the third market may make it revert.
    function _afterAction() internal {
        for (uint256 u = 0; u < USERS; ++u) {
            try controller.accountPosition(_actors[u]) {}
            catch {
                ++unreadablePositions;
            }
        }
        for (uint256 i = 0; i < 2; ++i) {
            uint256 assets = _cases[i].market.totalAssets();
            uint256 shares = _cases[i].market.marketState().totalShares;
            if (_cases[i].lastShares != 0 && shares != 0 && assets * _cases[i].lastShares < _cases[i].lastAssets * shares) {
                ++rateDecreases;
            }
            _cases[i].lastAssets = assets;
            _cases[i].lastShares = shares;
        }
    }

    function _recordRates() internal {
        for (uint256 i = 0; i < 2; ++i) {
            _cases[i].lastAssets = _cases[i].market.totalAssets();
            _cases[i].lastShares = _cases[i].market.marketState().totalShares;
        }
    }
}

/**
 * @title Flux markets invariant tests
 * @notice Accounting matches token flows and lending never exceeds what suppliers put in plus
 *         interest; user operations respect the borrow limit; liquidations pay at most
 *         repaid / 0.97; exchange rates never fall; every rounding favours the protocol.
 * @dev Runs come from hardhat.config.ts; depth is 64 (twice the default) so that a run has room
 *      for the longest path the handler covers: deposit, borrow, a price crash, liquidation of
 *      all collateral and the write-off of what remains. failOnRevert makes a handler action that
 *      reverts unexpectedly fail the run.
 */
contract FluxMarketsInvariantTest is FluxMarketsFixture {
    FluxMarketsHandler internal handler;

    /// @notice Deploys the fixture and the handler, the only fuzzing target.
    function setUp() public {
        deployMarkets();
        address[4] memory actors = [address(0xAC01), address(0xAC02), address(0xAC03), LIQUIDATOR];
        MockERC20 lapsingAsset = new MockERC20("Lapsing", "LAPS", 8);
        MockAggregator lapsingFeed = new MockAggregator(8, 50e8);
        FluxMarket lapsing = listNewMarket(lapsingAsset, lapsingFeed);
        handler = new FluxMarketsHandler(
            controller, [usdcMarket, wethMarket], [usdcFeed, wethFeed], actors, lapsing, lapsingFeed, address(this)
        );

        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = FluxMarketsHandler.deposit.selector;
        selectors[1] = FluxMarketsHandler.withdraw.selector;
        selectors[2] = FluxMarketsHandler.borrow.selector;
        selectors[3] = FluxMarketsHandler.repay.selector;
        selectors[4] = FluxMarketsHandler.movePrice.selector;
        selectors[5] = FluxMarketsHandler.warp.selector;
        selectors[6] = FluxMarketsHandler.liquidate.selector;
        selectors[7] = FluxMarketsHandler.writeOffBadDebt.selector;
        selectors[8] = FluxMarketsHandler.sweepReserves.selector;
        selectors[9] = FluxMarketsHandler.donate.selector;
        selectors[10] = FluxMarketsHandler.depositIntoLapsing.selector;
        selectors[11] = FluxMarketsHandler.toggleLapsingFeed.selector;
        targetContract(address(handler));
        targetSelector(address(handler), selectors);
    }

    /// @notice Per market, from the handler's own ledger of token flows:
    ///         - internal cash == tokens in (deposits, repayments) - tokens out (withdrawals,
    ///           borrows, sweeps), and the token balance == cash + donations (donations never
    ///           enter the accounting);
    ///         - totalBorrows == borrowed + accrued interest - repaid against it - written off;
    ///         - lending never exceeds what suppliers put in plus interest:
    ///           totalBorrows + writtenOff <= (deposited - withdrawn) + interest - swept
    ///           + (repayments above totalBorrows, rounding dust kept by the market).
    ///           It follows from cash >= 0 and the ledger above, but states the solvency property
    ///           directly: every unit lent out came from a supplier, or is interest owed on it.
    ///         - totalAssets == cash + totalBorrows - reserves: the suppliers own exactly what the
    ///           market holds or is owed, never a loss carried as an asset.
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.depth = 64
    function invariant_accountingMatchesTokenFlows() public view {
        for (uint256 i = 0; i < 2; ++i) {
            FluxMarket market = handler.marketAt(i);
            FluxMarketsHandler.Ledger memory ledger_ = handler.ledger(i);
            IFluxMarket.MarketState memory s = market.marketState();
            assertEq(s.cash + ledger_.withdrawn + ledger_.borrowed + ledger_.swept, ledger_.deposited + ledger_.repaid, "cash == flows in - out");
            assertEq(MockERC20(s.asset).balanceOf(address(market)), s.cash + ledger_.donated, "balance == cash + donations");
            assertEq(s.totalBorrows + ledger_.repaidAgainstBorrows + ledger_.writtenOff, ledger_.borrowed + ledger_.interest, "borrows ledger");
            assertLe(
                s.totalBorrows + ledger_.writtenOff + ledger_.withdrawn + ledger_.swept,
                ledger_.deposited + ledger_.interest + (ledger_.repaid - ledger_.repaidAgainstBorrows),
                "borrows <= net supplied + interest"
            );
            assertEq(market.totalAssets(), s.cash + s.totalBorrows - s.reserves, "totalAssets identity");
        }
    }

    /// @notice No successful withdrawal or borrow left the actor beyond its limit, and no deposit
    ///         made a position worse (checked by the handler right after each action).
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.depth = 64
    function invariant_userOperationsRespectTheBorrowLimit() public view {
        assertEq(handler.limitViolations(), 0, "operations leaving a position beyond its limit");
    }

    /// @notice No liquidation paid collateral worth more than repaid / 0.97 at oracle prices.
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.depth = 64
    function invariant_liquidationPaysAtMostRepaidOverPriceFactor() public view {
        assertEq(handler.bonusViolations(), 0, "liquidations above repaid / 0.97");
        assertLe(handler.worstSeizeRatioWad(), Math.mulDiv(1e18, BPS, PRICE_FACTOR), "worst seized / repaid");
    }

    /// @notice No market's exchange rate went down but at a write-off, and each write-off lowered
    ///         the suppliers' total by exactly the debt the reserves did not absorb (checked after
    ///         every action).
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.depth = 64
    function invariant_exchangeRateFallsOnlyByWrittenOffLosses() public view {
        assertEq(handler.rateDecreases(), 0, "exchange-rate decreases outside a write-off");
        assertEq(handler.writeOffViolations(), 0, "write-offs not borne exactly by the suppliers");
    }

    /// @notice No solvent position (collateral >= debt at oracle prices) ended a liquidation with
    ///         debt and no collateral.
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.depth = 64
    function invariant_noSolventPositionEndsAsBadDebt() public view {
        assertEq(handler.solventTurnedBadDebt(), 0, "solvent positions left with debt and no collateral");
    }

    /// @notice While its debts have valid prices, no account's position became unreadable, whatever
    ///         other accounts deposited for it and whatever the collateral-only market's feed did:
    ///         an account below the line stays liquidatable (the handler liquidates every quoted
    ///         account with failOnRevert on).
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.depth = 64
    function invariant_noAccountCanBeMadeUnliquidatable() public view {
        assertEq(handler.unreadablePositions(), 0, "positions that reverted with valid debt prices");
    }

    /// @notice Every supplier's claim is backed by cash or by debt owed to the market (less the
    ///         reserves): once the borrowers repay, every lender withdraws its whole claim in any
    ///         order, so what one can withdraw never depends on other lenders' withdrawals.
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.depth = 64
    function invariant_withdrawalsNeverDependOnOtherLenders() public view {
        address[4] memory actors = handler.actors();
        for (uint256 i = 0; i < 2; ++i) {
            FluxMarket market = handler.marketAt(i);
            uint256 claims = 0;
            for (uint256 a = 0; a < actors.length; ++a) {
                (uint256 supplied_,) = market.accountSnapshot(actors[a]);
                claims += supplied_;
            }
            IFluxMarket.MarketState memory s = market.marketState();
            assertLe(claims, s.cash + s.totalBorrows - s.reserves, "claims <= cash + borrows - reserves");
        }
    }

    /// @notice Rounding favours the protocol: the suppliers' claims (rounded down) fit in
    ///         totalAssets; the debts (each rounded up) cover totalBorrows; and the market holds at
    ///         least the cash it accounts for.
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.depth = 64
    function invariant_roundingFavoursTheProtocol() public view {
        address[4] memory actors = handler.actors();
        for (uint256 i = 0; i < 2; ++i) {
            FluxMarket market = handler.marketAt(i);
            uint256 suppliedSum = 0;
            uint256 debtSum = 0;
            for (uint256 a = 0; a < actors.length; ++a) {
                (uint256 supplied_, uint256 debt) = market.accountSnapshot(actors[a]);
                suppliedSum += supplied_;
                debtSum += debt;
            }
            IFluxMarket.MarketState memory s = market.marketState();
            assertLe(suppliedSum, s.totalAssets, "sum of supplied <= totalAssets");
            assertGe(debtSum, s.totalBorrows, "sum of debts >= totalBorrows");
            assertGe(MockERC20(s.asset).balanceOf(address(market)), s.cash, "balance >= cash");
        }
    }

    /// @notice Every refusal the handler met was one it expected.
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.depth = 64
    function invariant_noUnexpectedReverts() public view {
        assertEq(uint256(uint32(handler.lastUnexpectedSelector())), 0, "selector of the last unexpected revert");
        assertEq(handler.unexpectedReverts(), 0, "unexpected reverts");
    }
}
