// SPDX-License-Identifier: MIT
// solhint-disable one-contract-per-file, gas-small-strings, gas-struct-packing
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {BeaconProxy} from "@openzeppelin/contracts/proxy/beacon/BeaconProxy.sol";
import {UpgradeableBeacon} from "@openzeppelin/contracts/proxy/beacon/UpgradeableBeacon.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {FluxController} from "./FluxController.sol";
import {FluxMarket} from "./FluxMarket.sol";
import {FluxOracle} from "./FluxOracle.sol";
import {IAggregatorV3} from "./interfaces/IAggregatorV3.sol";
import {IFluxController} from "./interfaces/IFluxController.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {MockAggregator} from "../test/MockAggregator.sol";
import {MockERC20} from "../test/MockERC20.sol";
import {ReentrantToken} from "../test/ReentrantToken.sol";
import {FluxTest} from "../test/utils/FluxTest.sol";

/**
 * @title Shared deployment of the Flux markets, as production deploys them
 * @notice Oracle and controller behind ERC-1967 (UUPS) proxies, markets behind beacon proxies; the
 *         test contract itself is the owner of everything (it plays the Timelock).
 *         Two markets: a 6-decimal stablecoin (collateral ratio 130%) and an 18-decimal ETH
 *         (140%), both priced by 8-decimal feeds; liquidation ratio 110%, price factor 97%,
 *         close factor 50%, minimum debt 10 USD, no caps.
 */
abstract contract FluxMarketsFixture is FluxTest {
    uint256 internal constant START_TIME = 1_700_000_000;
    uint16 internal constant USDC_RATIO = 13_000;
    uint16 internal constant WETH_RATIO = 14_000;
    uint16 internal constant LIQUIDATION_RATIO = 11_000;
    uint16 internal constant PRICE_FACTOR = 9_700;
    uint16 internal constant CLOSE_FACTOR = 5_000;
    uint256 internal constant MIN_DEBT = 10e18;
    uint16 internal constant RESERVE_FACTOR = 1_000;
    uint32 internal constant HEARTBEAT = 1 days;
    int256 internal constant USDC_PRICE = 1e8;
    int256 internal constant WETH_PRICE = 2_000e8;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant NO_CAP = type(uint256).max;

    address internal constant GUARDIAN = address(0x6A4D);
    address internal constant STEWARD = address(0x57E3);
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant CAROL = address(0xCA401);
    address internal constant LIQUIDATOR = address(0x11D);
    address internal constant STRANGER = address(0xBAD);

    FluxOracle internal oracle;
    FluxController internal controller;
    UpgradeableBeacon internal beacon;
    MockERC20 internal usdc;
    MockERC20 internal weth;
    MockAggregator internal usdcFeed;
    MockAggregator internal wethFeed;
    FluxMarket internal usdcMarket;
    FluxMarket internal wethMarket;

    /// @dev Deploys oracle, controller, beacon, tokens, feeds and both markets, and lists them.
    function deployMarkets() internal {
        vm.warp(START_TIME);
        oracle = FluxOracle(
            address(new ERC1967Proxy(address(new FluxOracle()), abi.encodeCall(FluxOracle.initialize, (address(this)))))
        );
        controller = FluxController(
            address(
                new ERC1967Proxy(
                    address(new FluxController()), abi.encodeCall(FluxController.initialize, (controllerParams()))
                )
            )
        );
        beacon = new UpgradeableBeacon(address(new FluxMarket()), address(this));

        usdc = new MockERC20("USD Coin", "USDC", 6);
        weth = new MockERC20("Wrapped Ether", "WETH", 18);
        usdcFeed = new MockAggregator(8, USDC_PRICE);
        wethFeed = new MockAggregator(8, WETH_PRICE);
        oracle.setFeed(address(usdc), usdcFeed, HEARTBEAT);
        oracle.setFeed(address(weth), wethFeed, HEARTBEAT);

        usdcMarket = newMarket(usdc);
        wethMarket = newMarket(weth);
        controller.listMarket(address(usdcMarket), USDC_RATIO, NO_CAP, NO_CAP);
        controller.listMarket(address(wethMarket), WETH_RATIO, NO_CAP, NO_CAP);

        vm.label(address(usdcMarket), "usdcMarket");
        vm.label(address(wethMarket), "wethMarket");
        vm.label(address(controller), "controller");
        vm.label(address(oracle), "oracle");
    }

    /// @dev The controller's initialization parameters of the fixture.
    function controllerParams() internal view returns (FluxController.InitParams memory) {
        return FluxController.InitParams({
            owner: address(this),
            oracle: IPriceOracle(address(oracle)),
            guardian: GUARDIAN,
            steward: STEWARD,
            liquidationRatioBps: LIQUIDATION_RATIO,
            priceFactorBps: PRICE_FACTOR,
            closeFactorBps: CLOSE_FACTOR,
            minDebtValue: MIN_DEBT
        });
    }

    /// @dev 2% base, +10% up to the 80% kink, +100% above it (per year).
    function rateModel() internal pure returns (FluxMarket.RateModel memory) {
        return FluxMarket.RateModel({
            baseRatePerYear: 0.02e18,
            slopeLowPerYear: 0.1e18,
            slopeHighPerYear: 1e18,
            kink: 0.8e18
        });
    }

    /// @dev A new (unlisted) market for `asset` behind the fixture's beacon.
    function newMarket(IERC20 asset) internal returns (FluxMarket) {
        return FluxMarket(
            address(
                new BeaconProxy(
                    address(beacon),
                    abi.encodeCall(
                        FluxMarket.initialize,
                        (asset, IFluxController(address(controller)), address(this), rateModel(), RESERVE_FACTOR)
                    )
                )
            )
        );
    }

    /// @dev Sets a feed for `asset`, deploys its market and lists it with a 140% collateral ratio.
    function listNewMarket(IERC20 asset, IAggregatorV3 feed) internal returns (FluxMarket market) {
        oracle.setFeed(address(asset), feed, HEARTBEAT);
        market = newMarket(asset);
        controller.listMarket(address(market), WETH_RATIO, NO_CAP, NO_CAP);
    }

    /// @dev Mints `amount` of the market's asset to `who`, who deposits it for itself.
    function supply(FluxMarket market, address who, uint256 amount) internal returns (uint256 shares) {
        MockERC20 token = MockERC20(market.asset());
        token.mint(who, amount);
        vm.startPrank(who);
        token.approve(address(market), amount);
        shares = market.deposit(amount, who);
        vm.stopPrank();
    }

    /// @dev `who` borrows `amount` from `market` to itself.
    function borrowAs(address who, FluxMarket market, uint256 amount) internal {
        vm.prank(who);
        market.borrow(amount, who);
    }

    /// @dev Mints what `payer` needs and repays `amount` (max = all) of `account`'s debt.
    function repayAs(address payer, FluxMarket market, uint256 amount, address account)
        internal
        returns (uint256 repaid)
    {
        MockERC20 token = MockERC20(market.asset());
        uint256 pay = amount == type(uint256).max ? market.debtOf(account) : amount;
        token.mint(payer, pay);
        vm.startPrank(payer);
        token.approve(address(market), pay);
        repaid = market.repay(amount, account);
        vm.stopPrank();
    }

    /// @dev Mints `repay` of the debt asset to `liquidator`, who liquidates `borrower`.
    function liquidateAs(address liquidator, address borrower, FluxMarket debtMarket, uint256 repay, FluxMarket coll)
        internal
        returns (uint256 seized)
    {
        MockERC20 token = MockERC20(debtMarket.asset());
        token.mint(liquidator, repay);
        vm.startPrank(liquidator);
        token.approve(address(debtMarket), repay);
        seized = debtMarket.liquidate(borrower, repay, address(coll));
        vm.stopPrank();
    }

    /// @dev Bob supplies 100,000 USDC; Alice supplies 10 WETH (20,000 USD) and borrows 14,000 USDC,
    ///      against a borrow limit of 20,000 / 1.4 = 14,285.71 (liquidatable below a WETH price of 1,540).
    function openStandardPosition() internal {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        borrowAs(ALICE, usdcMarket, 14_000e6);
    }

    /// @dev Advances time by `dt` and re-publishes both feeds' current answers (fresh again).
    function warpBy(uint256 dt) internal {
        vm.warp(block.timestamp + dt);
        (, int256 usdcAnswer,,,) = usdcFeed.latestRoundData();
        (, int256 wethAnswer,,,) = wethFeed.latestRoundData();
        usdcFeed.setAnswer(usdcAnswer);
        wethFeed.setAnswer(wethAnswer);
    }

    /// @dev Mints `amount` of `market`'s asset to `who` and approves the market for it.
    function fund(FluxMarket market, address who, uint256 amount) internal {
        MockERC20 token = MockERC20(market.asset());
        token.mint(who, amount);
        vm.prank(who);
        token.approve(address(market), amount);
    }

    /// @dev Sets the WETH price in USD with 8 decimals.
    function setWethPrice(int256 price) internal {
        wethFeed.setAnswer(price);
    }

    /// @dev The controller's view of `account`.
    function position(address account) internal view returns (FluxController.AccountPosition memory) {
        return controller.accountPosition(account);
    }

    /// @dev ERC-7201 slot of namespace `id`.
    function erc7201(string memory id) internal pure returns (bytes32) {
        return keccak256(abi.encode(uint256(keccak256(bytes(id))) - 1)) & ~bytes32(uint256(0xff));
    }

    /// @dev An address as a left-padded storage word.
    function addressWord(address account) internal pure returns (bytes32) {
        return bytes32(uint256(uint160(account)));
    }

    /// @dev Underlying supplied by `account` in `market` (rounded down).
    function supplied(FluxMarket market, address account) internal view returns (uint256 amount) {
        (amount,) = market.accountSnapshot(account);
    }

    /// @dev Expects the next call to revert with OwnableUnauthorizedAccount(`caller`) and pranks it.
    function expectUnauthorized(address caller) internal {
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, caller));
        vm.prank(caller);
    }
}

/**
 * @title Market basics: deposits, withdrawals, borrowing, interest, repayment, reserves, bad debt
 * @notice Happy paths with exact figures and every FluxMarket custom error.
 */
contract FluxMarketTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    // ------------------------------------------------------------------ storage

    /// @notice The three ERC-7201 slot literals match the formula, and the first field of each namespace
    ///         really lives there (asset / controller of a market, oracle of the controller, a feed).
    function testStorageSlotsAreErc7201() public view {
        bytes32 marketSlot = erc7201("flux.storage.FluxMarket");
        bytes32 controllerSlot = erc7201("flux.storage.FluxController");
        bytes32 oracleSlot = erc7201("flux.storage.FluxOracle");
        assertEq(marketSlot, 0x1c87f99d351d425ef31b5ebb17a797f2ed52b435551ec27e4aede6edd380e900, "FluxMarket slot");
        assertEq(controllerSlot, 0xabbba1babaa50d10986d8dc55bbe0e8d7d2902120b420e05d82b65177c5a9b00, "FluxController slot");
        assertEq(oracleSlot, 0x2650f9af6b0fe2911aa04a5a1315956219f9aa8c3a0859a5ecb834f0f7911800, "FluxOracle slot");

        assertEq(vm.load(address(usdcMarket), marketSlot), addressWord(address(usdc)), "market.asset at slot");
        assertEq(
            vm.load(address(usdcMarket), bytes32(uint256(marketSlot) + 1)),
            addressWord(address(controller)),
            "market.controller at slot + 1"
        );
        assertEq(vm.load(address(controller), controllerSlot), addressWord(address(oracle)), "controller.oracle at slot");
        bytes32 feedWord = vm.load(address(oracle), keccak256(abi.encode(address(weth), oracleSlot)));
        assertEq(address(uint160(uint256(feedWord))), address(wethFeed), "oracle.feeds[weth].aggregator");
        assertEq(uint32(uint256(feedWord) >> 160), HEARTBEAT, "oracle.feeds[weth].heartbeat");
        assertEq(uint8(uint256(feedWord) >> 192), 10, "oracle.feeds[weth].scaleExponent = 36 - 8 - 18");
    }

    // ------------------------------------------------------------------ happy paths

    /// @notice The first deposit mints 1:1; after interest, shares are minted at the higher rate (rounded down).
    function testDepositMintsSharesAtTheExchangeRate() public {
        assertEq(supply(usdcMarket, BOB, 1_000e6), 1_000e6, "first deposit is 1:1");
        assertEq(usdcMarket.sharesOf(BOB), 1_000e6, "shares");
        (uint256 supplied,) = usdcMarket.accountSnapshot(BOB);
        assertEq(supplied, 1_000e6, "supplied");
        assertEq(usdc.balanceOf(address(usdcMarket)), 1_000e6, "tokens in the market");

        openStandardPosition();
        warpBy(365 days);
        FluxMarket.MarketState memory s = usdcMarket.marketState();
        assertGt(s.exchangeRate, 1e18, "exchange rate grew");
        uint256 shares = supply(usdcMarket, CAROL, 1_000e6);
        assertEq(shares, Math.mulDiv(1_000e6, s.totalShares, s.totalAssets), "shares = assets * supply / total, floor");
        assertLe(shares, 1_000e6 - 1, "fewer shares than assets");
    }

    /// @notice Interest accrues on the kinked curve; the reserve factor goes to reserves; figures exact.
    function testInterestAccruesToBorrowersSuppliersAndReserves() public {
        openStandardPosition();
        FluxMarket.MarketState memory s = usdcMarket.marketState();
        assertEq(s.utilization, 0.14e18, "utilization 14,000 / 100,000");
        assertEq(s.borrowRatePerYear, 0.034e18, "2% + 10% x 14%");
        assertEq(s.supplyRatePerYear, 0.034e18 * 14 / 100 * 9 / 10, "borrow rate x utilization x (1 - reserve factor)");

        warpBy(365 days);
        assertEq(usdcMarket.debtOf(ALICE), 14_476e6, "debt after a year: 14,000 x 1.034");
        s = usdcMarket.marketState();
        assertEq(s.totalBorrows, 14_476e6, "total borrows");
        assertEq(s.reserves, 47.6e6, "10% of 476 interest");
        assertEq(s.totalAssets, 100_428.4e6, "suppliers get 90% of the interest");
        assertEq(s.exchangeRate, 1.004284e18, "exchange rate");
        assertEq(s.borrowIndex, 1.034e18, "borrow index");

        // a kink above 80%: Carol borrows the utilization up to 90% (2% + 8% + 100% x 10% = 20%)
        supply(wethMarket, CAROL, 100e18);
        uint256 target = s.totalAssets * 9 / 10 - s.totalBorrows;
        borrowAs(CAROL, usdcMarket, target);
        s = usdcMarket.marketState();
        assertEq(s.utilization, 0.9e18, "utilization 90%");
        assertEq(s.borrowRatePerYear, 0.2e18, "rate above the kink");
    }

    /// @notice Repay (partial, on behalf, max) reduces the debt exactly; reserves sweep to the owner.
    function testRepayOnBehalfAndInFullThenSweepReserves() public {
        openStandardPosition();
        vm.warp(block.timestamp + 365 days);
        assertEq(repayAs(CAROL, usdcMarket, 476e6, ALICE), 476e6, "Carol repays the interest for Alice");
        assertEq(usdcMarket.debtOf(ALICE), 14_000e6, "debt after repay on behalf");
        assertEq(repayAs(ALICE, usdcMarket, type(uint256).max, ALICE), 14_000e6, "max repays the whole debt");
        assertEq(usdcMarket.debtOf(ALICE), 0, "no debt");
        assertEq(usdcMarket.totalBorrows(), 0, "no borrows");

        uint256 before = usdc.balanceOf(address(this));
        assertEq(usdcMarket.sweepReserves(), 47.6e6, "swept");
        assertEq(usdc.balanceOf(address(this)) - before, 47.6e6, "treasury (owner) received the reserves");
        FluxMarket.MarketState memory s = usdcMarket.marketState();
        assertEq(s.reserves, 0, "no reserves left");
        assertEq(s.cash, 100_428.4e6, "cash = suppliers' claim");
        assertEq(usdc.balanceOf(address(usdcMarket)), s.cash, "tokens == cash");
    }

    /// @notice Withdraw (exact assets, max) and redeem pay the supplier; a fully exited market is empty.
    function testWithdrawRedeemAndWithdrawAll() public {
        supply(usdcMarket, BOB, 1_000e6);
        vm.prank(BOB);
        assertEq(usdcMarket.withdraw(300e6, BOB), 300e6, "withdraw burns shares 1:1");
        vm.prank(BOB);
        assertEq(usdcMarket.redeem(200e6, CAROL), 200e6, "redeem pays out");
        assertEq(usdc.balanceOf(CAROL), 200e6, "redeem to another address");
        vm.prank(BOB);
        assertEq(usdcMarket.withdraw(type(uint256).max, BOB), 500e6, "max withdraws every share");
        assertEq(usdc.balanceOf(BOB), 800e6, "Bob got his tokens back");
        assertEq(usdcMarket.marketState().totalShares, 0, "no shares left");
        assertEq(usdcMarket.totalAssets(), 0, "no assets left");
    }

    /// @notice A borrow is allowed up to collateral / ratio exactly, and not one unit of value more.
    function testBorrowUpToTheLimitAndNotBeyond() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        uint256 available = controller.availableToBorrow(ALICE, address(usdcMarket));
        assertEq(available, 14_285_714285, "20,000 of WETH collateral / 1.4 USDC");
        borrowAs(ALICE, usdcMarket, available);
        FluxController.AccountPosition memory p = position(ALICE);
        assertEq(p.borrowAllowed, true, "at the limit");
        assertLe(p.borrowLimitValue - p.debtValue, 1.3e12, "less than one USDC unit of headroom");
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerBorrowLimitExceeded.selector,
                ALICE,
                14_285_714286e12,
                Math.mulDiv(20_000e18, BPS, WETH_RATIO)
            )
        );
        borrowAs(ALICE, usdcMarket, 1);
    }

    /// @notice Liquidation of a cross-market position: exact seize at repay / 0.97, health improves.
    function testLiquidateRepaysDebtAndSeizesCollateralAtThePriceFactor() public {
        openStandardPosition();
        setWethPrice(1_500e8);
        FluxController.AccountPosition memory before = position(ALICE);
        assertEq(before.liquidatable, true, "15,000 < 15,400");
        (uint256 maxRepay, uint256 maxSeize) =
            controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        assertEq(maxRepay, 7_000e6, "close factor 50%");
        uint256 expectedSeize = uint256(7_000e6) * 1e30 * BPS / (uint256(PRICE_FACTOR) * 1_500e18);
        assertEq(maxSeize, expectedSeize, "7,000 USD / 0.97 of WETH at 1,500");

        uint256 seized = liquidateAs(LIQUIDATOR, ALICE, usdcMarket, 7_000e6, wethMarket);
        assertEq(seized, expectedSeize, "seized");
        assertEq(wethMarket.sharesOf(LIQUIDATOR), expectedSeize, "liquidator got the shares");
        assertEq(wethMarket.sharesOf(ALICE), 10e18 - expectedSeize, "borrower lost them");
        assertEq(usdcMarket.debtOf(ALICE), 7_000e6, "half the debt repaid");
        assertGt(position(ALICE).healthBps, before.healthBps, "health improved");

        vm.prank(LIQUIDATOR);
        assertEq(wethMarket.withdraw(type(uint256).max, LIQUIDATOR), expectedSeize, "seized supply is withdrawable");
    }

    /// @notice Liquidation may seize collateral in the debt market itself.
    function testLiquidateSeizingInTheSameMarket() public {
        supply(usdcMarket, BOB, 1_000e6);
        supply(usdcMarket, ALICE, 13_000e6);
        borrowAs(ALICE, usdcMarket, 10_000e6); // requires exactly 13,000
        // Alice earns ~84% of the interest she pays (her share of supply, less reserves): after
        // ~11 years at ~9% her debt outgrows collateral / 1.1 but not collateral x 0.97.
        warpBy(11 * 365 days);
        FluxController.AccountPosition memory p = position(ALICE);
        assertEq(p.liquidatable, true, "interest made Alice liquidatable");
        assertGe(p.collateralValue * PRICE_FACTOR, p.debtValue * BPS, "not under water");
        (uint256 repay, uint256 seize) = controller.maxLiquidation(ALICE, address(usdcMarket), address(usdcMarket));
        uint256 seized = liquidateAs(LIQUIDATOR, ALICE, usdcMarket, repay, usdcMarket);
        assertEq(seized, seize, "seize as quoted");
        assertEq(usdcMarket.sharesOf(LIQUIDATOR), seize, "liquidator holds shares of the same market");
        assertGt(position(ALICE).healthBps, p.healthBps, "health improved");
    }

    /// @notice Debt of an account without collateral is written off: reserves first, then the
    ///         suppliers bear the rest at once (totalAssets and the exchange rate drop by it).
    function testWriteOffBadDebtUsesReservesThenLowersTheExchangeRate() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(usdcMarket, ALICE, 13_000e6);
        borrowAs(ALICE, usdcMarket, 10_000e6);
        supply(wethMarket, CAROL, 1e18);
        borrowAs(CAROL, usdcMarket, 1_000e6);
        warpBy(30 days);
        setWethPrice(500e8); // Carol: 500 collateral, ~1,000 debt: under water
        (uint256 repay, uint256 seize) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket);
        assertEq(wethMarket.sharesOf(CAROL), 1e18 - seize, "collateral after liquidation");
        assertEq(controller.hasNoCollateral(CAROL), true, "no collateral left anywhere");

        FluxMarket.MarketState memory before = usdcMarket.marketState();
        uint256 debt = usdcMarket.debtOf(CAROL);
        assertGt(debt, before.reserves, "debt exceeds reserves");
        vm.expectEmit();
        emit FluxMarket.BadDebtWrittenOff(CAROL, debt, before.reserves, debt - before.reserves);
        usdcMarket.writeOffBadDebt(CAROL);
        FluxMarket.MarketState memory afterState = usdcMarket.marketState();
        assertEq(usdcMarket.debtOf(CAROL), 0, "debt written off");
        assertEq(afterState.reserves, 0, "reserves absorbed first");
        assertEq(afterState.totalAssets, before.totalAssets - (debt - before.reserves), "suppliers bear the rest");
        assertLt(afterState.exchangeRate, before.exchangeRate, "exchange rate dropped");
        assertEq(afterState.totalAssets, afterState.cash + afterState.totalBorrows, "no claim on missing assets");
    }

    /// @notice The loss falls on the lenders who held shares when it was written off: a lender who
    ///         deposits afterwards withdraws exactly what it deposited, even after the earlier
    ///         lenders have all left (with the loss kept in totalAssets, the late lender could
    ///         withdraw only 9,851.60 of its 10,000).
    function testEarlyAndLateDepositorsAfterALoss() public {
        address dave = address(0xDA7E);
        supply(usdcMarket, BOB, 100_000e6); // the early lender
        supply(wethMarket, CAROL, 10e18);
        borrowAs(CAROL, usdcMarket, 14_000e6);
        setWethPrice(1_428e8); // collateral 14,280 against 14,000: 102%
        (uint256 repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        // Before the fix the only full liquidation repaid 13,851.60 and left 148.40 to write off;
        // to test the write-off itself, force an insolvent position instead.
        setWethPrice(1_300e8);
        (repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket);
        uint256 loss = usdcMarket.debtOf(CAROL);
        assertGt(loss, 0, "bad debt left");
        usdcMarket.writeOffBadDebt(CAROL);

        supply(usdcMarket, dave, 10_000e6); // the late lender, after the loss
        uint256 bobShares = usdcMarket.sharesOf(BOB);
        vm.prank(BOB);
        uint256 bobGot = usdcMarket.redeem(bobShares, BOB);
        assertEq(bobGot, 100_000e6 - loss, "the early lender bears the whole loss (no reserves yet)");
        uint256 daveShares = usdcMarket.sharesOf(dave);
        vm.prank(dave);
        uint256 daveGot = usdcMarket.redeem(daveShares, dave);
        assertGe(daveGot, 10_000e6 - 1, "the late lender gets its deposit back (less a rounding unit)");
        assertLe(daveGot, 10_000e6, "and never more");
    }

    /// @notice Only the Timelock sweeps reserves: nobody can empty them ahead of a write-off.
    function testOnlyTheTimelockSweepsReserves() public {
        openStandardPosition();
        vm.warp(block.timestamp + 365 days);
        usdcMarket.accrueInterest();
        assertGt(usdcMarket.marketState().reserves, 0, "reserves built");
        expectUnauthorized(STRANGER);
        usdcMarket.sweepReserves();
        assertGt(usdcMarket.sweepReserves(), 0, "the owner sweeps");
    }

    /// @notice Debts round up individually, so together they always cover totalBorrows, also for an
    ///         18-decimal asset with large borrows over many accruals.
    function testDebtsCoverTotalBorrowsOverManyAccruals() public {
        supply(wethMarket, BOB, 10_000e18);
        supply(usdcMarket, ALICE, 100_000_000e6);
        supply(usdcMarket, CAROL, 100_000_000e6);
        borrowAs(ALICE, wethMarket, 3_333.333333333333333333e18);
        borrowAs(CAROL, wethMarket, 4_321.123456789012345678e18);
        for (uint256 i = 0; i < 40; ++i) {
            vm.warp(block.timestamp + 1 hours + i * 7_919);
            wethMarket.accrueInterest();
            assertGe(
                wethMarket.debtOf(ALICE) + wethMarket.debtOf(CAROL), wethMarket.totalBorrows(), "sum of debts >= totalBorrows"
            );
        }
        repayAs(ALICE, wethMarket, type(uint256).max, ALICE);
        repayAs(CAROL, wethMarket, type(uint256).max, CAROL);
        assertEq(wethMarket.totalBorrows(), 0, "no borrows left once every debt is repaid");
    }

    // ------------------------------------------------------------------ market errors

    /// @notice Zero amounts and zero addresses are refused by every entry point.
    function testZeroAmountsAndAddressesRevert() public {
        supply(usdcMarket, BOB, 1_000e6);
        vm.expectRevert(FluxMarket.MarketZeroAmount.selector);
        usdcMarket.deposit(0, BOB);
        vm.expectRevert(FluxMarket.MarketZeroAddress.selector);
        usdcMarket.deposit(1, address(0));
        vm.expectRevert(FluxMarket.MarketZeroAmount.selector);
        borrowAs(BOB, usdcMarket, 0);
        vm.expectRevert(FluxMarket.MarketZeroAddress.selector);
        vm.prank(BOB);
        usdcMarket.borrow(1, address(0));
        vm.expectRevert(FluxMarket.MarketZeroAmount.selector);
        vm.prank(BOB);
        usdcMarket.withdraw(0, BOB);
        vm.expectRevert(FluxMarket.MarketZeroAddress.selector);
        vm.prank(BOB);
        usdcMarket.withdraw(1, address(0));
        vm.expectRevert(FluxMarket.MarketZeroAmount.selector);
        vm.prank(BOB);
        usdcMarket.redeem(0, BOB);
        vm.expectRevert(FluxMarket.MarketZeroAmount.selector);
        vm.prank(BOB);
        usdcMarket.repay(0, BOB);
        vm.expectRevert(FluxMarket.MarketZeroAmount.selector);
        vm.prank(BOB);
        usdcMarket.repay(type(uint256).max, BOB); // no debt: max means 0
        vm.expectRevert(FluxMarket.MarketZeroAmount.selector);
        vm.prank(BOB);
        usdcMarket.liquidate(ALICE, 0, address(wethMarket));
        vm.expectRevert(FluxMarket.MarketZeroAmount.selector);
        usdcMarket.sweepReserves();
    }

    /// @notice A deposit too small to mint one share (exchange rate above 1) is refused.
    function testDepositMintingZeroSharesReverts() public {
        openStandardPosition();
        vm.warp(block.timestamp + 365 days);
        usdc.mint(CAROL, 1);
        vm.startPrank(CAROL);
        usdc.approve(address(usdcMarket), 1);
        vm.expectRevert(FluxMarket.MarketZeroShares.selector);
        usdcMarket.deposit(1, CAROL);
        vm.stopPrank();
    }

    /// @notice Withdrawing more than one's shares, or more than the cash, reverts with both figures.
    function testInsufficientSharesAndCashRevert() public {
        openStandardPosition();
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketInsufficientShares.selector, 100_001e6, 100_000e6));
        vm.prank(BOB);
        usdcMarket.withdraw(100_001e6, BOB);
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketInsufficientShares.selector, 100_001e6, 100_000e6));
        vm.prank(BOB);
        usdcMarket.redeem(100_001e6, BOB);
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketInsufficientCash.selector, 100_000e6, 86_000e6));
        vm.prank(BOB);
        usdcMarket.withdraw(100_000e6, BOB);
        supply(wethMarket, CAROL, 1_000e18);
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketInsufficientCash.selector, 86_001e6, 86_000e6));
        borrowAs(CAROL, usdcMarket, 86_001e6);
    }

    /// @notice Repaying more than the debt reverts with both figures.
    function testRepayTooLargeReverts() public {
        openStandardPosition();
        usdc.mint(BOB, 20_000e6);
        vm.startPrank(BOB);
        usdc.approve(address(usdcMarket), 20_000e6);
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketRepayTooLarge.selector, 14_000e6 + 1, 14_000e6));
        usdcMarket.repay(14_000e6 + 1, ALICE);
        vm.stopPrank();
    }

    /// @notice A borrower may not liquidate itself.
    function testSelfLiquidationReverts() public {
        openStandardPosition();
        setWethPrice(1_500e8);
        vm.expectRevert(FluxMarket.MarketSelfLiquidation.selector);
        vm.prank(ALICE);
        usdcMarket.liquidate(ALICE, 1_000e6, address(wethMarket));
    }

    /// @notice Only another listed market may call seize: not a stranger, not the market itself.
    function testSeizeOnlyFromAnotherListedMarket() public {
        openStandardPosition();
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketNotListedCaller.selector, STRANGER));
        vm.prank(STRANGER);
        wethMarket.seize(STRANGER, ALICE, 1);
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketNotListedCaller.selector, address(wethMarket)));
        vm.prank(address(wethMarket));
        wethMarket.seize(STRANGER, ALICE, 1);
        FluxMarket unlisted = newMarket(usdc);
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketNotListedCaller.selector, address(unlisted)));
        vm.prank(address(unlisted));
        wethMarket.seize(STRANGER, ALICE, 1);
        assertEq(wethMarket.sharesOf(ALICE), 10e18, "nothing moved");
    }

    /// @notice writeOffBadDebt refuses accounts with collateral and accounts without debt.
    function testWriteOffRequiresDebtWithoutCollateral() public {
        openStandardPosition();
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketNoBadDebt.selector, ALICE));
        usdcMarket.writeOffBadDebt(ALICE);
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketNoBadDebt.selector, STRANGER));
        usdcMarket.writeOffBadDebt(STRANGER);
    }

    /// @notice Rate model and reserve factor bounds, inclusive at the limits; only the owner may set them.
    function testRateModelAndReserveFactorBounds() public {
        FluxMarket.RateModel memory m = rateModel();
        m.baseRatePerYear = 1e18 + 1;
        expectBadRateModel(m);
        m = rateModel();
        m.slopeLowPerYear = 10e18 + 1;
        m.slopeHighPerYear = 10e18 + 1;
        expectBadRateModel(m);
        m = rateModel();
        m.slopeHighPerYear = 10e18 + 1;
        expectBadRateModel(m);
        m = rateModel();
        m.kink = 0.01e18 - 1;
        expectBadRateModel(m);
        m = rateModel();
        m.kink = 0.99e18 + 1;
        expectBadRateModel(m);
        m = rateModel();
        m.slopeHighPerYear = m.slopeLowPerYear - 1;
        expectBadRateModel(m);

        m = FluxMarket.RateModel(1e18, 10e18, 10e18, 0.99e18);
        usdcMarket.setRateModel(m);
        m = FluxMarket.RateModel(0, 0, 0, 0.01e18);
        usdcMarket.setRateModel(m);
        assertEq(usdcMarket.marketState().rateModel.kink, 0.01e18, "bounds are inclusive");

        vm.expectRevert(FluxMarket.MarketBadParameter.selector);
        usdcMarket.setReserveFactor(5_001);
        usdcMarket.setReserveFactor(5_000);
        assertEq(usdcMarket.marketState().reserveFactorBps, 5_000, "50% allowed");
    }

    /// @dev Expects setRateModel(m) to revert with MarketBadParameter.
    function expectBadRateModel(FluxMarket.RateModel memory m) internal {
        vm.expectRevert(FluxMarket.MarketBadParameter.selector);
        usdcMarket.setRateModel(m);
    }

    /// @notice Non-owners cannot call any market setter.
    function testMarketGovernanceOnlyOwner() public {
        FluxMarket.RateModel memory model = rateModel();
        expectUnauthorized(STRANGER);
        usdcMarket.setRateModel(model);
        expectUnauthorized(STRANGER);
        usdcMarket.setReserveFactor(0);
        expectUnauthorized(STRANGER);
        usdcMarket.transferOwnership(STRANGER);
        FluxMarket next = new FluxMarket();
        expectUnauthorized(STRANGER);
        beacon.upgradeTo(address(next));
        assertEq(usdcMarket.owner(), address(this), "owner unchanged");
        assertEq(beacon.implementation() != address(next), true, "implementation unchanged");
    }

    /// @notice initialize runs once on a proxy, never on the implementation, and refuses zero addresses.
    function testMarketInitialization() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        usdcMarket.initialize(usdc, controller, STRANGER, rateModel(), 0);
        FluxMarket impl = FluxMarket(beacon.implementation());
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(usdc, controller, STRANGER, rateModel(), 0);

        vm.expectRevert(FluxMarket.MarketZeroAddress.selector);
        new BeaconProxy(
            address(beacon),
            abi.encodeCall(FluxMarket.initialize, (IERC20(address(0)), controller, address(this), rateModel(), 0))
        );
        vm.expectRevert(FluxMarket.MarketBadParameter.selector);
        new BeaconProxy(
            address(beacon), abi.encodeCall(FluxMarket.initialize, (usdc, controller, address(this), rateModel(), 5_001))
        );
    }

    // ------------------------------------------------------------------ fuzz

    /// @notice A deposit followed by a full withdrawal never returns more than was deposited,
    ///         whatever the market's state (interest accrued, other suppliers).
    /// @param amount Deposited by Carol.
    /// @param elapsed Time between deposit and withdrawal.
    function testFuzzInstantRoundTripNeverProfits(uint256 amount, uint256 elapsed) public {
        openStandardPosition();
        vm.warp(block.timestamp + bound(elapsed, 0, 3 * 365 days));
        amount = bound(amount, 2, 1_000_000e6);
        usdc.mint(CAROL, amount);
        vm.startPrank(CAROL);
        usdc.approve(address(usdcMarket), amount);
        if (usdcMarket.convertToShares(amount) == 0) {
            vm.expectRevert(FluxMarket.MarketZeroShares.selector);
            usdcMarket.deposit(amount, CAROL);
            vm.stopPrank();
            return;
        }
        usdcMarket.deposit(amount, CAROL);
        usdcMarket.withdraw(type(uint256).max, CAROL);
        vm.stopPrank();
        uint256 out = usdc.balanceOf(CAROL);
        assertLe(out, amount, "no profit from an instant round trip");
        assertLe(amount - out, 2, "loss below one share's value plus one unit");
    }

    /// @notice availableToBorrow is always borrowable (when above the minimum debt), for any
    ///         collateral and price, and the position stays within its limit.
    /// @param collateral WETH deposited.
    /// @param price WETH price (8 decimals).
    function testFuzzAvailableToBorrowIsBorrowable(uint256 collateral, uint256 price) public {
        supply(usdcMarket, BOB, 10_000_000e6);
        collateral = bound(collateral, 0.01e18, 1_000e18);
        setWethPrice(int256(bound(price, 10e8, 100_000e8)));
        supply(wethMarket, ALICE, collateral);
        uint256 available = controller.availableToBorrow(ALICE, address(usdcMarket));
        vm.assume(available * 1e12 >= MIN_DEBT && available <= 10_000_000e6);
        borrowAs(ALICE, usdcMarket, available);
        assertEq(position(ALICE).borrowAllowed, true, "within limit");
        assertEq(controller.availableToBorrow(ALICE, address(usdcMarket)), 0, "nothing left");
    }
}

/**
 * @title Controller: risk checks, pauses, caps, governance bounds, guardian and steward
 */
contract FluxControllerTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    // ------------------------------------------------------------------ position checks

    /// @notice Borrowing or withdrawing past the limit reverts with the exact collateral and requirement.
    function testBorrowAndWithdrawBeyondLimitRevert() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        // 20,000 of WETH collateral at 140% supports 14,285.71 of debt
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerBorrowLimitExceeded.selector, ALICE, 16_000e18, Math.mulDiv(20_000e18, BPS, WETH_RATIO)
            )
        );
        borrowAs(ALICE, usdcMarket, 16_000e6);
        borrowAs(ALICE, usdcMarket, 14_000e6);
        // 14,000 of debt needs 19,600 of WETH: withdrawing 1 WETH leaves 18,000 (limit 12,857.14)
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerBorrowLimitExceeded.selector, ALICE, 14_000e18, Math.mulDiv(18_000e18, BPS, WETH_RATIO)
            )
        );
        vm.prank(ALICE);
        wethMarket.withdraw(1e18, ALICE);
        vm.prank(ALICE);
        wethMarket.withdraw(0.2e18, ALICE); // 19,600 left: exactly at the limit
        assertEq(position(ALICE).borrowAllowed, true, "at the limit");
    }

    /// @notice A borrow leaving less than the minimum debt in its market is refused; a repayment may leave less.
    function testMinimumDebt() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerDebtBelowMinimum.selector, ALICE, address(usdcMarket), 9.999999e18, MIN_DEBT
            )
        );
        borrowAs(ALICE, usdcMarket, 9.999999e6);
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerDebtBelowMinimum.selector, ALICE, address(usdcMarket), 1e12, MIN_DEBT)
        );
        borrowAs(ALICE, usdcMarket, 1);
        borrowAs(ALICE, usdcMarket, 10e6);
        repayAs(ALICE, usdcMarket, 9.5e6, ALICE);
        assertEq(usdcMarket.debtOf(ALICE), 0.5e6, "repayment may leave dust");
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerDebtBelowMinimum.selector, ALICE, address(usdcMarket), 0.500001e18, MIN_DEBT
            )
        );
        borrowAs(ALICE, usdcMarket, 1);
    }

    /// @notice Liquidating a healthy account, repaying above the close factor or seizing more than the
    ///         borrower has in that market revert with their figures.
    function testLiquidationChecks() public {
        openStandardPosition();
        supply(usdcMarket, ALICE, 100e6);
        fund(usdcMarket, LIQUIDATOR, 10_000e6);
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerNotLiquidatable.selector, ALICE, 20_100e18, 15_400e18)
        );
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, 1_000e6, address(wethMarket));
        (uint256 repay, uint256 seize) = controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        assertEq(repay + seize, 0, "nothing to liquidate while healthy");

        setWethPrice(1_500e8); // 15,100 < 15,400
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerRepayTooLarge.selector, 7_000e6 + 1, 7_000e6));
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, 7_000e6 + 1, address(wethMarket));
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerSeizeTooLarge.selector, 1_030_927835, 100e6)
        );
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, 1_000e6, address(usdcMarket));
        FluxMarket unlisted = newMarket(weth);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerMarketNotListed.selector, address(unlisted)));
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, 1_000e6, address(unlisted));
        // not even a contract: refused with a reason, not an empty revert
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketCollateralNotListed.selector, STRANGER));
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, 1_000e6, STRANGER);
    }

    /// @notice The close factor does not apply to dust positions or to positions under water.
    function testFullLiquidationOfDustAndUnderwaterPositions() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 0.01e18); // 20 USD: limit 14.28
        borrowAs(ALICE, usdcMarket, 14e6);
        supply(wethMarket, CAROL, 10e18);
        borrowAs(CAROL, usdcMarket, 13_000e6);
        setWethPrice(1_500e8); // Alice: 15 < 15.4 (110% of 14); Carol: 15,000 >= 14,300
        (uint256 repay,) = controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        assertEq(repay, 14e6, "dust (<= 2 x min debt): whole debt");
        (repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        assertEq(repay, 0, "Carol is healthy");

        setWethPrice(1_300e8); // 13,000 x 0.97 < 13,000: under water
        (repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        assertLe(repay, 13_000e6, "at most the debt");
        assertGt(repay, 6_500e6, "beyond the close factor");
    }

    // ------------------------------------------------------------------ pauses and caps

    /// @notice The guardian pauses deposits and borrows; repay, withdraw and liquidation still work;
    ///         the guardian cannot unpause, the owner can.
    function testGuardianPauseKeepsExitsOpen() public {
        openStandardPosition();
        vm.prank(GUARDIAN);
        controller.guardianPause(address(usdcMarket), true, true);
        vm.prank(GUARDIAN);
        controller.guardianPause(address(wethMarket), true, true);

        fund(usdcMarket, CAROL, 1e6);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerDepositPaused.selector, address(usdcMarket)));
        vm.prank(CAROL);
        usdcMarket.deposit(1e6, CAROL);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerBorrowPaused.selector, address(usdcMarket)));
        borrowAs(ALICE, usdcMarket, 100e6);

        repayAs(ALICE, usdcMarket, 1_000e6, ALICE);
        vm.prank(ALICE);
        wethMarket.withdraw(0.1e18, ALICE);
        vm.prank(BOB);
        usdcMarket.withdraw(1_000e6, BOB);
        setWethPrice(1_400e8);
        liquidateAs(LIQUIDATOR, ALICE, usdcMarket, 1_000e6, wethMarket);

        vm.prank(GUARDIAN);
        controller.guardianPause(address(usdcMarket), false, false);
        assertEq(controller.marketConfig(address(usdcMarket)).depositPaused, true, "guardian cannot unpause");
        vm.expectRevert(abi.encodeWithSelector(OwnableUpgradeable.OwnableUnauthorizedAccount.selector, GUARDIAN));
        vm.prank(GUARDIAN);
        controller.setPaused(address(usdcMarket), false, false);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerNotGuardian.selector, STRANGER));
        vm.prank(STRANGER);
        controller.guardianPause(address(usdcMarket), true, true);

        controller.setPaused(address(usdcMarket), false, false);
        supply(usdcMarket, CAROL, 1e6);
        setWethPrice(WETH_PRICE);
        borrowAs(ALICE, usdcMarket, 100e6);
    }

    /// @notice Supply and borrow caps refuse what would exceed them, with cap and resulting total.
    function testCaps() public {
        controller.setCaps(address(usdcMarket), 1_000e6, 500e6);
        supply(usdcMarket, BOB, 900e6);
        fund(usdcMarket, BOB, 100e6 + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerSupplyCapExceeded.selector, address(usdcMarket), 1_000e6, 1_000e6 + 1
            )
        );
        vm.prank(BOB);
        usdcMarket.deposit(100e6 + 1, BOB);
        supply(usdcMarket, BOB, 100e6);
        supply(wethMarket, ALICE, 10e18);
        borrowAs(ALICE, usdcMarket, 400e6);
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerBorrowCapExceeded.selector, address(usdcMarket), 500e6, 500e6 + 1)
        );
        borrowAs(ALICE, usdcMarket, 100e6 + 1);
        borrowAs(ALICE, usdcMarket, 100e6);
    }

    // ------------------------------------------------------------------ steward

    /// @notice The steward raises a ratio by at most 10 points, never lowers it, once a day per parameter.
    function testStewardCollateralRatio() public {
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerStewardOutOfBounds.selector, bytes32("collateralRatio"), 13_000, 14_001)
        );
        vm.prank(STEWARD);
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 14_001);
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerStewardOutOfBounds.selector, bytes32("collateralRatio"), 13_000, 12_999)
        );
        vm.prank(STEWARD);
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 12_999);
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerStewardOutOfBounds.selector, bytes32("collateralRatio"), 13_000, 13_000)
        );
        vm.prank(STEWARD);
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 13_000);

        vm.prank(STEWARD);
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 14_000);
        assertEq(controller.marketConfig(address(usdcMarket)).collateralRatioBps, 14_000, "raised by 10 points");
        vm.prank(STEWARD);
        controller.stewardRaiseCollateralRatio(address(wethMarket), 14_500); // other market: own cooldown
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerStewardCooldown.selector, bytes32("collateralRatio"), block.timestamp + 1 days
            )
        );
        vm.prank(STEWARD);
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 14_100);
        vm.warp(block.timestamp + 1 days);
        vm.prank(STEWARD);
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 15_000);
        assertEq(controller.marketConfig(address(usdcMarket)).collateralRatioBps, 15_000, "after the cooldown");
    }

    /// @notice The steward cuts a cap by at most half, never raises it, once a day per cap.
    function testStewardCaps() public {
        controller.setCaps(address(usdcMarket), 1_000e6, 800e6);
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerStewardOutOfBounds.selector, bytes32("supplyCap"), 1_000e6, 500e6 - 1)
        );
        vm.prank(STEWARD);
        controller.stewardLowerSupplyCap(address(usdcMarket), 500e6 - 1);
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerStewardOutOfBounds.selector, bytes32("supplyCap"), 1_000e6, 1_000e6)
        );
        vm.prank(STEWARD);
        controller.stewardLowerSupplyCap(address(usdcMarket), 1_000e6);
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerStewardOutOfBounds.selector, bytes32("borrowCap"), 800e6, 900e6)
        );
        vm.prank(STEWARD);
        controller.stewardLowerBorrowCap(address(usdcMarket), 900e6);

        vm.startPrank(STEWARD);
        controller.stewardLowerSupplyCap(address(usdcMarket), 500e6);
        controller.stewardLowerBorrowCap(address(usdcMarket), 400e6); // separate cooldown
        vm.stopPrank();
        assertEq(controller.marketConfig(address(usdcMarket)).supplyCap, 500e6, "supply cap halved");
        assertEq(controller.marketConfig(address(usdcMarket)).borrowCap, 400e6, "borrow cap halved");
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerStewardCooldown.selector, bytes32("supplyCap"), block.timestamp + 1 days
            )
        );
        vm.prank(STEWARD);
        controller.stewardLowerSupplyCap(address(usdcMarket), 400e6);
        vm.warp(block.timestamp + 1 days);
        vm.prank(STEWARD);
        controller.stewardLowerSupplyCap(address(usdcMarket), 400e6);
    }

    /// @notice The steward can also start cutting a market that has no cap (type(uint256).max).
    function testStewardCanCutAnUncappedMarket() public {
        vm.prank(STEWARD);
        controller.stewardLowerSupplyCap(address(wethMarket), NO_CAP / 2 + 1);
        assertEq(controller.marketConfig(address(wethMarket)).supplyCap, NO_CAP / 2 + 1, "halved");
        vm.prank(STEWARD);
        controller.stewardLowerBorrowCap(address(wethMarket), NO_CAP - 1);
        assertEq(controller.marketConfig(address(wethMarket)).borrowCap, NO_CAP - 1, "lowered");
    }

    /// @notice Only the steward may call steward functions; with no steward, nobody may.
    function testStewardOnly() public {
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerNotSteward.selector, STRANGER));
        vm.prank(STRANGER);
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 13_500);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerNotSteward.selector, address(this)));
        controller.stewardLowerSupplyCap(address(usdcMarket), 1);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerNotSteward.selector, GUARDIAN));
        vm.prank(GUARDIAN);
        controller.stewardLowerBorrowCap(address(usdcMarket), 1);
        controller.setSteward(address(0));
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerNotSteward.selector, address(0)));
        vm.prank(address(0));
        controller.stewardRaiseCollateralRatio(address(usdcMarket), 13_500);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerMarketNotListed.selector, STRANGER));
        controller.setCollateralRatio(STRANGER, 13_000);
    }

    // ------------------------------------------------------------------ governance bounds

    /// @notice Every risk parameter setter enforces its bounds, inclusive where documented.
    function testGovernanceParameterBounds() public {
        expectBadParameter("collateralRatio", LIQUIDATION_RATIO);
        controller.setCollateralRatio(address(usdcMarket), LIQUIDATION_RATIO);
        expectBadParameter("collateralRatio", 30_001);
        controller.setCollateralRatio(address(usdcMarket), 30_001);
        controller.setCollateralRatio(address(usdcMarket), 30_000);
        controller.setCollateralRatio(address(usdcMarket), LIQUIDATION_RATIO + 1);

        expectBadParameter("liquidationRatio", 10_000);
        controller.setLiquidationRatio(10_000);
        expectBadParameter("liquidationRatio", 20_001);
        controller.setLiquidationRatio(20_001);
        expectBadParameter("liquidationRatio", LIQUIDATION_RATIO + 1); // == the USDC market's ratio
        controller.setLiquidationRatio(LIQUIDATION_RATIO + 1);
        expectBadParameter("liquidationRatio", 10_309); // 10,309 x 9,700 <= 1e8
        controller.setLiquidationRatio(10_309);
        controller.setLiquidationRatio(10_310);

        expectBadParameter("priceFactor", 7_999);
        controller.setPriceFactor(7_999);
        expectBadParameter("priceFactor", 9_991);
        controller.setPriceFactor(9_991);
        controller.setLiquidationRatio(LIQUIDATION_RATIO);
        expectBadParameter("priceFactor", 9_090); // 11,000 x 9,090 <= 1e8
        controller.setPriceFactor(9_090);
        controller.setPriceFactor(9_091);
        controller.setPriceFactor(9_990);

        expectBadParameter("closeFactor", 999);
        controller.setCloseFactor(999);
        expectBadParameter("closeFactor", 10_001);
        controller.setCloseFactor(10_001);
        controller.setCloseFactor(1_000);
        controller.setCloseFactor(10_000);

        expectBadParameter("minDebtValue", 1_000_000e18 + 1);
        controller.setMinDebtValue(1_000_000e18 + 1);
        controller.setMinDebtValue(1_000_000e18);

        (uint16 liquidationRatio, uint16 priceFactor, uint16 closeFactor, uint256 minDebt) = controller.riskParameters();
        assertEq(liquidationRatio, LIQUIDATION_RATIO, "liquidation ratio");
        assertEq(priceFactor, 9_990, "price factor");
        assertEq(closeFactor, 10_000, "close factor");
        assertEq(minDebt, 1_000_000e18, "min debt");
    }

    /// @notice listMarket refuses zero, duplicates, foreign markets, non-markets, bad ratios and a 17th market.
    function testListMarketChecks() public {
        vm.expectRevert(FluxController.ControllerZeroAddress.selector);
        controller.listMarket(address(0), USDC_RATIO, NO_CAP, NO_CAP);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerMarketAlreadyListed.selector, address(usdcMarket)));
        controller.listMarket(address(usdcMarket), USDC_RATIO, NO_CAP, NO_CAP);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerWrongController.selector, STRANGER));
        controller.listMarket(STRANGER, USDC_RATIO, NO_CAP, NO_CAP);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerWrongController.selector, address(usdc)));
        controller.listMarket(address(usdc), USDC_RATIO, NO_CAP, NO_CAP);
        FluxMarket foreign = FluxMarket(
            address(
                new BeaconProxy(
                    address(beacon),
                    abi.encodeCall(
                        FluxMarket.initialize,
                        (usdc, IFluxController(STRANGER), address(this), rateModel(), RESERVE_FACTOR)
                    )
                )
            )
        );
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerWrongController.selector, address(foreign)));
        controller.listMarket(address(foreign), USDC_RATIO, NO_CAP, NO_CAP);
        FluxMarket extra = newMarket(usdc);
        expectBadParameter("collateralRatio", LIQUIDATION_RATIO);
        controller.listMarket(address(extra), LIQUIDATION_RATIO, NO_CAP, NO_CAP);

        for (uint256 i = controller.markets().length; i < controller.MAX_MARKETS(); ++i) {
            controller.listMarket(address(newMarket(usdc)), USDC_RATIO, NO_CAP, NO_CAP);
        }
        vm.expectRevert(FluxController.ControllerTooManyMarkets.selector);
        controller.listMarket(address(extra), USDC_RATIO, NO_CAP, NO_CAP);
    }

    /// @notice A deposit into a market that is not listed is refused by the controller.
    function testUnlistedMarketCannotTakeDeposits() public {
        FluxMarket unlisted = newMarket(usdc);
        usdc.mint(BOB, 1e6);
        vm.startPrank(BOB);
        usdc.approve(address(unlisted), 1e6);
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerMarketNotListed.selector, address(unlisted)));
        unlisted.deposit(1e6, BOB);
        vm.stopPrank();
    }

    /// @notice Non-owners cannot call any controller setter nor upgrade it.
    function testControllerGovernanceOnlyOwner() public {
        address m = address(usdcMarket);
        FluxMarket fresh = newMarket(usdc);
        FluxController next = new FluxController();
        expectUnauthorized(STRANGER);
        controller.listMarket(address(fresh), USDC_RATIO, NO_CAP, NO_CAP);
        expectUnauthorized(STRANGER);
        controller.setCollateralRatio(m, 14_000);
        expectUnauthorized(STRANGER);
        controller.setLiquidationRatio(10_500);
        expectUnauthorized(STRANGER);
        controller.setPriceFactor(9_500);
        expectUnauthorized(STRANGER);
        controller.setCloseFactor(10_000);
        expectUnauthorized(STRANGER);
        controller.setMinDebtValue(0);
        expectUnauthorized(STRANGER);
        controller.setCaps(m, 0, 0);
        expectUnauthorized(STRANGER);
        controller.setPaused(m, true, true);
        expectUnauthorized(STRANGER);
        controller.setOracle(IPriceOracle(STRANGER));
        expectUnauthorized(STRANGER);
        controller.setGuardian(STRANGER);
        expectUnauthorized(STRANGER);
        controller.setSteward(STRANGER);
        expectUnauthorized(STRANGER);
        controller.upgradeToAndCall(address(next), "");
        expectUnauthorized(GUARDIAN);
        controller.setCaps(m, 0, 0);
        (address oracle_, address guardian_, address steward_) = controller.roles();
        assertEq(oracle_, address(oracle), "oracle unchanged");
        assertEq(guardian_, GUARDIAN, "guardian unchanged");
        assertEq(steward_, STEWARD, "steward unchanged");
    }

    /// @notice initialize refuses a zero owner or oracle and bad parameters; it runs once.
    function testControllerInitialization() public {
        FluxController impl = new FluxController();
        FluxController.InitParams memory p = controllerParams();
        p.owner = address(0);
        vm.expectRevert(FluxController.ControllerZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(FluxController.initialize, (p)));
        p = controllerParams();
        p.oracle = IPriceOracle(address(0));
        vm.expectRevert(FluxController.ControllerZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(FluxController.initialize, (p)));
        p = controllerParams();
        p.priceFactorBps = 9_000; // 11,000 x 9,000 < 1e8
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerBadParameter.selector, bytes32("priceFactor"), 9_000)
        );
        new ERC1967Proxy(address(impl), abi.encodeCall(FluxController.initialize, (p)));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        controller.initialize(controllerParams());
        vm.expectRevert(FluxController.ControllerZeroAddress.selector);
        controller.setOracle(IPriceOracle(address(0)));
    }

    function expectBadParameter(bytes32 param, uint256 value) internal {
        vm.expectRevert(abi.encodeWithSelector(FluxController.ControllerBadParameter.selector, param, value));
    }
}

/**
 * @title Oracle adapter: refusals and decimals normalization
 */
contract FluxOracleTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice Prices are scaled so that amount * price / 1e18 is USD with 18 decimals, whatever the decimals.
    function testDecimalsNormalization() public {
        assertEq(oracle.getPrice(address(usdc)), 1e30, "6-decimal asset, 8-decimal feed");
        assertEq(oracle.getPrice(address(weth)), 2_000e18, "18-decimal asset, 8-decimal feed");
        supply(usdcMarket, ALICE, 1_000e6);
        supply(wethMarket, ALICE, 0.5e18);
        assertEq(position(ALICE).collateralValue, 2_000e18, "1,000 USDC + 0.5 WETH = 2,000 USD");

        MockERC20 wbtc = new MockERC20("Wrapped Bitcoin", "WBTC", 8);
        MockAggregator wbtcFeed = new MockAggregator(18, 60_000e18);
        oracle.setFeed(address(wbtc), wbtcFeed, HEARTBEAT);
        assertEq(oracle.getPrice(address(wbtc)), 60_000e28, "8-decimal asset, 18-decimal feed");
        assertEq(oracle.getPrice(address(wbtc)) * 1e8 / 1e18, 60_000e18, "one WBTC is 60,000 USD");
        assertEq(oracle.feedOf(address(wbtc)).scaleExponent, 10, "36 - 18 - 8");
    }

    /// @notice Stale, zero, negative, future, incomplete-round and missing prices are each refused.
    function testBadPricesRevert() public {
        address asset = address(weth);
        vm.warp(block.timestamp + HEARTBEAT);
        assertEq(oracle.getPrice(asset), 2_000e18, "exactly heartbeat old is still fresh");
        vm.warp(block.timestamp + 1);
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleStalePrice.selector, asset, START_TIME, HEARTBEAT));
        oracle.getPrice(asset);

        wethFeed.setAnswer(0);
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleInvalidPrice.selector, asset, int256(0)));
        oracle.getPrice(asset);
        wethFeed.setAnswer(-1);
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleInvalidPrice.selector, asset, int256(-1)));
        oracle.getPrice(asset);

        wethFeed.setRound(7, WETH_PRICE, block.timestamp + 1, 7);
        vm.expectRevert(
            abi.encodeWithSelector(FluxOracle.OracleInvalidRound.selector, asset, 7, 7, block.timestamp + 1)
        );
        oracle.getPrice(asset);
        wethFeed.setRound(8, WETH_PRICE, block.timestamp, 7);
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleInvalidRound.selector, asset, 8, 7, block.timestamp));
        oracle.getPrice(asset);
        wethFeed.setRound(9, WETH_PRICE, 0, 9);
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleInvalidRound.selector, asset, 9, 9, 0));
        oracle.getPrice(asset);

        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleFeedNotSet.selector, STRANGER));
        oracle.getPrice(STRANGER);
    }

    /// @notice A bad price values that collateral at zero (no borrowing against it) and blocks
    ///         positions that owe the asset, while an account that does not use it is unaffected.
    function testBadPriceBlocksOnlyItsUsers() public {
        openStandardPosition();
        supply(usdcMarket, CAROL, 1_000e6);
        supply(wethMarket, BOB, 1e18);
        borrowAs(BOB, wethMarket, 0.01e18);
        wethFeed.setAnswer(0);
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerBorrowLimitExceeded.selector, ALICE, 14_010e18, 0)
        );
        borrowAs(ALICE, usdcMarket, 10e6);
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleInvalidPrice.selector, address(weth), int256(0)));
        controller.accountPosition(BOB); // owes WETH: its debt cannot be valued
        borrowAs(CAROL, usdcMarket, 500e6);
        assertEq(usdcMarket.debtOf(CAROL), 500e6, "USDC-only account unaffected by the WETH feed");
    }

    /// @notice tryGetPrice reports every refusal of getPrice as not valid, never reverting: a
    ///         missing feed, a zero answer, a stale one, and a feed that reverts.
    function testTryGetPriceNeverReverts() public {
        (bool valid, uint256 price) = oracle.tryGetPrice(address(weth));
        assertEq(valid, true, "fresh");
        assertEq(price, oracle.getPrice(address(weth)), "same price as getPrice");
        (valid, price) = oracle.tryGetPrice(STRANGER);
        assertEq(valid || price != 0, false, "no feed");
        wethFeed.setAnswer(0);
        (valid, price) = oracle.tryGetPrice(address(weth));
        assertEq(valid || price != 0, false, "zero answer");
        wethFeed.setAnswer(WETH_PRICE);
        vm.warp(block.timestamp + HEARTBEAT + 1);
        (valid,) = oracle.tryGetPrice(address(weth));
        assertEq(valid, false, "stale");
        RevertingFeed broken = new RevertingFeed();
        oracle.setFeed(address(weth), IAggregatorV3(address(broken)), HEARTBEAT);
        (valid,) = oracle.tryGetPrice(address(weth));
        assertEq(valid, false, "reverting feed");
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleFeedFailed.selector, address(weth), address(broken)));
        oracle.getPrice(address(weth));
    }

    /// @notice setFeed refuses bad heartbeats, decimals that cannot be normalized and zero addresses; owner only.
    function testSetFeedChecks() public {
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleBadHeartbeat.selector, 59));
        oracle.setFeed(address(weth), wethFeed, 59);
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleBadHeartbeat.selector, 2 days + 1));
        oracle.setFeed(address(weth), wethFeed, 2 days + 1);
        oracle.setFeed(address(weth), wethFeed, 60);
        oracle.setFeed(address(weth), wethFeed, 2 days);
        MockAggregator wide = new MockAggregator(19, 1);
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleBadDecimals.selector, 19, 18));
        oracle.setFeed(address(weth), wide, HEARTBEAT);
        vm.expectRevert(FluxOracle.OracleZeroAddress.selector);
        oracle.setFeed(address(0), wethFeed, HEARTBEAT);
        vm.expectRevert(FluxOracle.OracleZeroAddress.selector);
        oracle.setFeed(address(weth), IAggregatorV3(address(0)), HEARTBEAT);

        FluxOracle impl = new FluxOracle();
        expectUnauthorized(STRANGER);
        oracle.setFeed(address(weth), IAggregatorV3(STRANGER), HEARTBEAT);
        expectUnauthorized(STRANGER);
        oracle.upgradeToAndCall(address(impl), "");
        assertEq(address(oracle.feedOf(address(weth)).aggregator), address(wethFeed), "feed unchanged");
        vm.expectRevert(FluxOracle.OracleZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(FluxOracle.initialize, (address(0))));
    }
}

/**
 * @title A token that burns 1% of every transfer (fee-on-transfer), which markets must refuse
 */
contract FeeOnTransferToken is ERC20 {
    constructor() ERC20("Fee Token", "FEE") {}

    /// @notice Mints `amount` to `to` (anyone may call: test token).
    /// @param to Recipient.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Burns 1% of every transfer between two accounts.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
        } else {
            uint256 fee = value / 100;
            super._update(from, address(0), fee);
            super._update(from, to, value - fee);
        }
    }
}

/// @title A feed whose every read reverts (a deprecated or broken aggregator)
contract RevertingFeed {
    /// @notice Every read.
    error FeedRetired();

    /// @notice Feed decimals.
    /// @return 8.
    function decimals() external pure returns (uint8) {
        return 8;
    }

    /// @notice Always reverts.
    function latestRoundData() external pure returns (uint80, int256, uint256, uint256, uint80) {
        revert FeedRetired();
    }
}

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

/**
 * @title Attacks: share inflation by donation, dust loops, liquidation abuse, re-entrancy, fee tokens
 */
contract FluxMarketsAttackTest is FluxMarketsFixture {
    address internal constant ATTACKER = address(0xA77AC);
    address internal constant VICTIM = address(0x51C7);

    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    // ------------------------------------------------------------------ share inflation

    /// @notice First-depositor inflation: 1 wei deposit plus a large donation does not move the
    ///         exchange rate (cash is internal); the victim's shares are worth its whole deposit.
    function testDonationDoesNotInflateShares() public {
        assertEq(supply(usdcMarket, ATTACKER, 1), 1, "attacker holds one share");
        usdc.mint(ATTACKER, 1_000_000e6);
        vm.prank(ATTACKER);
        usdc.transfer(address(usdcMarket), 1_000_000e6);
        assertEq(usdcMarket.totalAssets(), 1, "donation ignored");

        assertEq(supply(usdcMarket, VICTIM, 1_000e6), 1_000e6, "victim gets shares 1:1");
        (uint256 victimSupplied,) = usdcMarket.accountSnapshot(VICTIM);
        (uint256 attackerSupplied,) = usdcMarket.accountSnapshot(ATTACKER);
        assertEq(victimSupplied, 1_000e6, "victim's claim is its deposit");
        assertEq(attackerSupplied, 1, "attacker's claim is its 1 wei");
        vm.prank(VICTIM);
        assertEq(usdcMarket.withdraw(type(uint256).max, VICTIM), 1_000e6, "victim withdraws everything");
        assertEq(usdc.balanceOf(address(usdcMarket)), 1_000_000e6 + 1, "the donation stays stuck in the market");
    }

    /// @notice Any donation and any victim deposit: the victim loses at most one unit.
    /// @param seed Attacker's first deposit.
    /// @param donation Tokens sent directly to the market.
    /// @param deposit Victim's deposit.
    function testFuzzDonationNeverStealsFromTheNextDepositor(uint256 seed, uint256 donation, uint256 deposit) public {
        seed = bound(seed, 1, 1_000e18);
        donation = bound(donation, 0, 1_000_000e18);
        deposit = bound(deposit, 1, 1_000_000e18);
        supply(wethMarket, ATTACKER, seed);
        weth.mint(address(wethMarket), donation);
        supply(wethMarket, VICTIM, deposit);
        (uint256 victimSupplied,) = wethMarket.accountSnapshot(VICTIM);
        assertEq(victimSupplied, deposit, "victim's claim is exactly its deposit");
        (uint256 attackerSupplied,) = wethMarket.accountSnapshot(ATTACKER);
        assertEq(attackerSupplied, seed, "attacker gained nothing");
    }

    // ------------------------------------------------------------------ dust loops

    /// @notice Tiny borrow/repay cycles never reduce the debt by more than repaid nor create value,
    ///         and the minimum debt stops tiny borrows from a debt-free account.
    function testBorrowRepayDustLoops() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        vm.expectRevert(
            abi.encodeWithSelector(FluxController.ControllerDebtBelowMinimum.selector, ALICE, address(usdcMarket), 1e12, MIN_DEBT)
        );
        borrowAs(ALICE, usdcMarket, 1);

        borrowAs(ALICE, usdcMarket, 1_000e6);
        usdc.mint(ALICE, 1_000e6);
        vm.prank(ALICE);
        usdc.approve(address(usdcMarket), type(uint256).max);
        // wealth = tokens held - debt (offset to stay unsigned)
        uint256 wealthBefore = usdc.balanceOf(ALICE) + 1e30 - usdcMarket.debtOf(ALICE);
        for (uint256 i = 0; i < 60; ++i) {
            uint256 debtBefore = usdcMarket.debtOf(ALICE);
            borrowAs(ALICE, usdcMarket, 1);
            assertEq(usdcMarket.debtOf(ALICE), debtBefore + 1, "a 1-wei borrow adds exactly 1");
            vm.prank(ALICE);
            usdcMarket.repay(2, ALICE);
            assertEq(usdcMarket.debtOf(ALICE), debtBefore - 1, "a 2-wei repay removes exactly 2");
            warpBy(1 + i * 600);
            assertGe(usdcMarket.debtOf(ALICE), debtBefore - 1, "interest never lowers a debt");
        }
        assertLe(usdc.balanceOf(ALICE) + 1e30 - usdcMarket.debtOf(ALICE), wealthBefore, "no value created");
        assertGe(usdcMarket.debtOf(ALICE), usdcMarket.totalBorrows(), "the only debt covers total borrows");
    }

    /// @notice Any sequence of small borrows, repayments and time leaves the borrower no richer.
    /// @param amounts Packed 16-bit amounts for borrow, repay and seconds elapsed.
    function testFuzzDustCyclesCreateNoValue(uint256 amounts) public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        borrowAs(ALICE, usdcMarket, 20e6);
        usdc.mint(ALICE, 1_000e6);
        vm.prank(ALICE);
        usdc.approve(address(usdcMarket), type(uint256).max);
        uint256 wealthBefore = usdc.balanceOf(ALICE) + 1e30 - usdcMarket.debtOf(ALICE);
        for (uint256 i = 0; i < 8; ++i) {
            uint256 word = amounts >> (i * 32);
            uint256 debt = usdcMarket.debtOf(ALICE);
            uint256 b = word & 0xff;
            uint256 r = bound((word >> 8) & 0xff, 1, 255);
            if (b > 0) borrowAs(ALICE, usdcMarket, b);
            vm.prank(ALICE);
            usdcMarket.repay(r, ALICE);
            assertEq(usdcMarket.debtOf(ALICE), debt + b - r, "debt moves by exactly borrowed - repaid");
            warpBy((word >> 16) & 0xffff);
        }
        assertLe(usdc.balanceOf(ALICE) + 1e30 - usdcMarket.debtOf(ALICE), wealthBefore, "no value created");
    }

    // ------------------------------------------------------------------ liquidation abuse

    /// @notice A healthy account cannot be liquidated, at any size or against any collateral.
    /// @param repay Repayment attempted.
    /// @param priceDrop WETH price drop in bps that still leaves Alice above the liquidation line.
    function testFuzzLiquidatingAHealthyAccountReverts(uint256 repay, uint256 priceDrop) public {
        openStandardPosition();
        // liquidation line at 1,540: drops of up to 23% keep the price at or above it
        uint256 price = 2_000e8 * (BPS - bound(priceDrop, 0, 2_300)) / BPS;
        setWethPrice(int256(price));
        repay = bound(repay, 1, 14_000e6);
        FluxController.AccountPosition memory p = position(ALICE);
        fund(usdcMarket, LIQUIDATOR, repay);
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerNotLiquidatable.selector, ALICE, p.collateralValue, p.liquidationValue
            )
        );
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(ALICE, repay, address(wethMarket));
    }

    /// @notice Liquidating oneself through a second address gains nothing: per asset, the two
    ///         addresses together hold no more after than before.
    function testLiquidatingYourselfThroughASecondAddressYieldsNoProfit() public {
        address second = address(0xA11CE2);
        openStandardPosition();
        setWethPrice(1_500e8);
        usdc.mint(second, 7_000e6);
        uint256 usdcBefore = usdc.balanceOf(ALICE) + usdc.balanceOf(second) - usdcMarket.debtOf(ALICE);
        uint256 wethBefore = supplied(wethMarket, ALICE) + supplied(wethMarket, second);
        uint256 valueBefore = usdcBefore * 1e12 + wethBefore * 1_500;

        vm.expectRevert(FluxMarket.MarketSelfLiquidation.selector);
        vm.prank(ALICE);
        usdcMarket.liquidate(ALICE, 7_000e6, address(wethMarket));

        vm.startPrank(second);
        usdc.approve(address(usdcMarket), 7_000e6);
        usdcMarket.liquidate(ALICE, 7_000e6, address(wethMarket));
        vm.stopPrank();
        uint256 usdcAfter = usdc.balanceOf(ALICE) + usdc.balanceOf(second) - usdcMarket.debtOf(ALICE);
        uint256 wethAfter = supplied(wethMarket, ALICE) + supplied(wethMarket, second);
        assertLe(usdcAfter, usdcBefore, "USDC: no gain");
        assertLe(wethAfter, wethBefore, "WETH: no gain");
        assertLe(usdcAfter * 1e12 + wethAfter * 1_500, valueBefore, "USD: no gain");
    }

    /// @notice A liquidation right at the liquidation line improves the borrower's health.
    function testLiquidationAtTheLineImprovesHealth() public {
        openStandardPosition();
        setWethPrice(1_539.99e8); // 15,399.9 < 15,400
        FluxController.AccountPosition memory before = position(ALICE);
        assertEq(before.liquidatable, true, "just below the line");
        assertEq(before.healthBps, 10_999, "health 1.0999");
        (uint256 repay,) = controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        liquidateAs(LIQUIDATOR, ALICE, usdcMarket, repay, wethMarket);
        FluxController.AccountPosition memory afterLiquidation = position(ALICE);
        assertGt(afterLiquidation.healthBps, before.healthBps, "health improved");
        assertEq(afterLiquidation.liquidatable, false, "back above the line");
    }

    /// @notice For any price between the under-water point and the line, and any repayment within
    ///         the close factor, health improves and the seized value is at most repaid / 0.97.
    /// @param price WETH price (8 decimals) at which Alice is liquidatable but not under water.
    /// @param repay Repayment.
    function testFuzzLiquidationImprovesHealthAndPaysAtMostThePriceFactor(uint256 price, uint256 repay) public {
        openStandardPosition();
        // under water below 14,000 / 0.97 / 10 = 1,443.30; liquidatable below 1,540
        price = bound(price, 1_443.31e8, 1_539.99e8);
        setWethPrice(int256(price));
        repay = bound(repay, 1e6, 7_000e6);
        uint256 healthBefore = position(ALICE).healthBps;
        uint256 seized = liquidateAs(LIQUIDATOR, ALICE, usdcMarket, repay, wethMarket);
        assertGe(position(ALICE).healthBps, healthBefore, "health does not drop");
        uint256 seizedValue = seized * price * 1e10 / 1e18; // shares are 1:1 here
        assertLe(seizedValue * PRICE_FACTOR, repay * 1e12 * BPS, "seized value <= repaid / 0.97");
    }

    /// @notice An account under water can be liquidated down to no collateral, and its remaining
    ///         debt can then be written off (no unseizable dust blocks the write-off).
    /// @param collateral WETH supplied by Carol.
    /// @param price WETH price (8 decimals) after the crash.
    function testFuzzUnderwaterLiquidationLeavesNoDust(uint256 collateral, uint256 price) public {
        supply(usdcMarket, BOB, 1_000_000e6);
        collateral = bound(collateral, 0.02e18, 100e18);
        supply(wethMarket, CAROL, collateral);
        borrowAs(CAROL, usdcMarket, controller.availableToBorrow(CAROL, address(usdcMarket)));
        setWethPrice(int256(bound(price, 1e8, 1_300e8)));
        for (uint256 i = 0; i < 3 && wethMarket.sharesOf(CAROL) != 0; ++i) {
            (uint256 repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
            if (repay == 0) break;
            liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket);
        }
        assertEq(wethMarket.sharesOf(CAROL), 0, "all collateral seized");
        assertEq(controller.hasNoCollateral(CAROL), true, "no collateral anywhere");
        if (usdcMarket.debtOf(CAROL) != 0) usdcMarket.writeOffBadDebt(CAROL);
        assertEq(usdcMarket.debtOf(CAROL), 0, "bad debt written off");
    }

    /// @notice The last shares of a market are taken by the smallest repayment that covers them all,
    ///         not one unit more; without that rule a remainder worth less than one unit of the debt
    ///         asset could never be seized and would block the bad-debt write-off forever.
    function testLastCollateralGoesToTheSmallestCoveringRepayment() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, CAROL, 1e18);
        borrowAs(CAROL, usdcMarket, 1_000e6);
        // ~16 USD of collateral for 1,000 of debt: one USDC unit buys ~6.4e10 wei. A price that does
        // not divide evenly, so the covering repayment's seize overshoots the shares left.
        setWethPrice(16.12345678e8);
        (uint256 repay, uint256 seize) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        assertEq(seize, 1e18, "the quote takes everything");
        // seize(r) = floor(r x 1e30 x 1e4 / (9,700 x 16.12345678e18)) shares (exchange rate 1)
        uint256 perUnitNum = 1e30 * BPS;
        uint256 perUnitDen = uint256(PRICE_FACTOR) * 16.12345678e18;
        assertGt(repay * perUnitNum / perUnitDen, 1e18, "repay's seize exceeds the shares left");
        assertLe((repay - 1) * perUnitNum / perUnitDen, 1e18 - 1, "one unit less does not cover them");

        fund(usdcMarket, LIQUIDATOR, repay + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerSeizeTooLarge.selector, (repay + 1) * perUnitNum / perUnitDen, 1e18
            )
        );
        vm.prank(LIQUIDATOR);
        usdcMarket.liquidate(CAROL, repay + 1, address(wethMarket));
        vm.prank(LIQUIDATOR);
        assertEq(usdcMarket.liquidate(CAROL, repay, address(wethMarket)), 1e18, "all shares seized");
        assertLe(uint256(16.12345678e18) * PRICE_FACTOR, repay * 1e12 * BPS, "1 WETH is worth at most repaid / 0.97");
        usdcMarket.writeOffBadDebt(CAROL);
        assertEq(usdcMarket.debtOf(CAROL), 0, "written off");
    }

    /// @notice A 1-wei deposit on behalf of an insolvent account blocks its write-off only until a
    ///         liquidator takes it for one unit of the debt asset.
    function testGriefingDustDepositCannotBlockTheWriteOff() public {
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, CAROL, 1e18);
        borrowAs(CAROL, usdcMarket, 1_000e6);
        setWethPrice(100e8);
        (uint256 repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket);
        weth.mint(STRANGER, 1);
        vm.startPrank(STRANGER);
        weth.approve(address(wethMarket), 1);
        wethMarket.deposit(1, CAROL);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketNoBadDebt.selector, CAROL));
        usdcMarket.writeOffBadDebt(CAROL);
        (repay,) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        assertEq(repay, 1, "one USDC unit takes the wei");
        liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket);
        usdcMarket.writeOffBadDebt(CAROL);
        assertEq(usdcMarket.debtOf(CAROL), 0, "written off");
    }

    /// @notice maxLiquidation's quote can always be executed as quoted, also when the collateral
    ///         market's exchange rate is above 1 (two roundings in the seize computation).
    /// @param collateral WETH supplied by Carol.
    /// @param price WETH price (8 decimals) after the crash.
    /// @param elapsed Interest time that lifts the WETH exchange rate.
    function testFuzzMaxLiquidationQuoteIsExecutable(uint256 collateral, uint256 price, uint256 elapsed) public {
        supply(usdcMarket, BOB, 1_000_000e6);
        supply(wethMarket, BOB, 1_000e18);
        supply(usdcMarket, ALICE, 10_000_000e6);
        borrowAs(ALICE, wethMarket, 900e18);
        collateral = bound(collateral, 0.02e18, 100e18);
        supply(wethMarket, CAROL, collateral);
        borrowAs(CAROL, usdcMarket, controller.availableToBorrow(CAROL, address(usdcMarket)));
        warpBy(bound(elapsed, 1 days, 3 * 365 days));
        setWethPrice(int256(bound(price, 1e8, 1_500e8)));
        (uint256 repay, uint256 seize) = controller.maxLiquidation(CAROL, address(usdcMarket), address(wethMarket));
        vm.assume(repay > 0);
        assertLe(seize, wethMarket.sharesOf(CAROL), "quote within the collateral");
        assertEq(liquidateAs(LIQUIDATOR, CAROL, usdcMarket, repay, wethMarket), seize, "seized as quoted");
    }

    // ------------------------------------------------------------------ stale feeds (review finding 3)

    /// @dev A third market, LAPS (8 decimals, 50 USD), whose feed the tests let lapse.
    function lapsingMarket() internal returns (FluxMarket market, MockERC20 token, MockAggregator feed) {
        token = new MockERC20("Lapsing", "LAPS", 8);
        feed = new MockAggregator(8, 50e8);
        market = listNewMarket(token, feed);
    }

    /// @dev `payer` deposits `amount` of `market`'s asset for `account`.
    function depositFor(address payer, FluxMarket market, uint256 amount, address account) internal {
        MockERC20 token = MockERC20(market.asset());
        token.mint(payer, amount);
        vm.startPrank(payer);
        token.approve(address(market), amount);
        market.deposit(amount, account);
        vm.stopPrank();
    }

    /// @notice A stranger's 1-wei deposit into a market whose feed then lapses cannot block the
    ///         account: it still withdraws and borrows (before the fix both reverted with
    ///         OracleStalePrice, and pausing the market did not help).
    function testStrangersDustInALapsedMarketBlocksNothing() public {
        (FluxMarket lapsing,, MockAggregator feed) = lapsingMarket();
        supply(usdcMarket, BOB, 100_000e6);
        supply(wethMarket, ALICE, 10e18);
        borrowAs(ALICE, usdcMarket, 1_000e6);
        depositFor(STRANGER, lapsing, 1, ALICE);
        vm.warp(block.timestamp + 2 days); // LAPS's feed lapses; refresh the others
        usdcFeed.setAnswer(USDC_PRICE);
        wethFeed.setAnswer(WETH_PRICE);
        (bool valid,) = oracle.tryGetPrice(address(lapsing.asset()));
        assertEq(valid, false, "the LAPS feed is stale");
        controller.guardianPause(address(lapsing), true, true);
        borrowAs(ALICE, usdcMarket, 1_000e6);
        vm.prank(ALICE);
        wethMarket.withdraw(1e18, ALICE);
        assertGe(usdcMarket.debtOf(ALICE), 2_000e6, "borrowed (and two days of interest)");
        assertEq(supplied(wethMarket, ALICE), 9e18, "withdrew");
        feed.setAnswer(50e8);
        assertEq(position(ALICE).collateralValue, 18_000e18 + 50e10, "the dust counts again once priced");
    }

    /// @notice A liquidatable borrower who deposits dust into a market whose feed has lapsed stays
    ///         liquidatable (before the fix accountPosition and liquidate reverted until the feed
    ///         recovered); its lapsed collateral counts as zero, so it cannot hide behind it either.
    function testDustInALapsedMarketCannotEscapeLiquidation() public {
        (FluxMarket lapsing,,) = lapsingMarket();
        openStandardPosition();
        vm.warp(block.timestamp + 2 days);
        usdcFeed.setAnswer(USDC_PRICE);
        setWethPrice(1_500e8); // 15,000 of collateral against 14,000: below the 110% line
        depositFor(ALICE, lapsing, 1_000e8, ALICE); // 50,000 USD of LAPS, unpriceable now
        FluxController.AccountPosition memory p = position(ALICE);
        assertEq(p.collateralValue, 15_000e18, "the lapsed collateral counts as zero");
        assertEq(p.liquidatable, true, "still liquidatable");
        vm.expectRevert(abi.encodeWithSelector(FluxOracle.OracleStalePrice.selector, address(lapsing.asset()), START_TIME, HEARTBEAT));
        controller.maxLiquidation(ALICE, address(usdcMarket), address(lapsing)); // cannot be priced, so not seized
        (uint256 repay, uint256 seize) = controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        assertEq(repay, usdcMarket.debtOf(ALICE) * CLOSE_FACTOR / BPS, "half the debt");
        assertEq(liquidateAs(LIQUIDATOR, ALICE, usdcMarket, repay, wethMarket), seize, "liquidated");
    }

    // ------------------------------------------------------------------ thin cushions (review finding 4)

    /// @notice The review's case: 14,280 USD of WETH against 14,000 of USDC debt (102%). The only
    ///         full liquidation used to repay 13,851.60 for all the collateral and leave 148.40 of
    ///         bad debt; now the discount shrinks to the 2% cushion and the whole debt is repaid.
    function testSolventPositionAt102PercentEndsWithoutBadDebt() public {
        openStandardPosition();
        setWethPrice(1_428e8);
        (uint256 repay, uint256 seize) = controller.maxLiquidation(ALICE, address(usdcMarket), address(wethMarket));
        assertEq(repay, 14_000e6, "the whole debt");
        assertEq(seize, 10e18, "for all the collateral");
        // Half the debt takes half the collateral: collateral / debt stays at 102%.
        assertEq(liquidateAs(LIQUIDATOR, ALICE, usdcMarket, 7_000e6, wethMarket), 5e18, "at the cushion's price");
        assertEq(position(ALICE).healthBps, 10_200, "health unchanged");
        liquidateAs(LIQUIDATOR, ALICE, usdcMarket, 7_000e6, wethMarket);
        assertEq(usdcMarket.debtOf(ALICE), 0, "no debt left");
        assertEq(controller.hasNoCollateral(ALICE), true, "no collateral left");
    }

    /// @notice Over prices, collateral ratios, cushions and decimals of both assets: a solvent
    ///         position with less than the 3% cushion is liquidated in full (maxLiquidation's quote,
    ///         executed, as a keeper would) without ever ending with debt and no collateral, pays the
    ///         liquidator no more than the cushion, and keeps collateral >= debt after a partial one.
    /// @param decimals Picks the collateral's and the debt's decimals among 6, 8 and 18.
    /// @param price Collateral price, 8 decimals, 1 .. 100,000 USD.
    /// @param cushionBps Health after the drop, 10,000 .. 10,309 bps (100% .. 103.09%).
    /// @param ratioBps Collateral ratio at borrow, 11,100 .. 30,000.
    /// @param partBps A first, partial liquidation of this share of the debt (0 = none).
    function testFuzzThinCushionLiquidationLeavesNoBadDebt(
        uint256 decimals,
        uint256 price,
        uint256 cushionBps,
        uint256 ratioBps,
        uint256 partBps
    ) public {
        uint8[3] memory choices = [6, 8, 18];
        MockERC20 collateralToken = new MockERC20("Collateral", "COL", choices[decimals % 3]);
        MockERC20 debtToken = new MockERC20("Debt", "DEBT", choices[(decimals / 3) % 3]);
        price = bound(price, 1e8, 100_000e8);
        MockAggregator collateralFeed = new MockAggregator(8, int256(price));
        FluxMarket coll = listNewMarket(collateralToken, collateralFeed);
        FluxMarket debtMarket = listNewMarket(debtToken, new MockAggregator(8, 1e8));
        controller.setCollateralRatio(address(coll), uint16(bound(ratioBps, 11_100, 30_000)));
        supply(debtMarket, BOB, 10_000_000 * 10 ** debtToken.decimals());
        supply(coll, CAROL, 100_000e8 * 10 ** collateralToken.decimals() / price); // ~100,000 USD
        borrowAs(CAROL, debtMarket, controller.availableToBorrow(CAROL, address(debtMarket)));
        // Drop the price until collateral / debt is the chosen cushion.
        FluxController.AccountPosition memory p = position(CAROL);
        uint256 target = price * p.debtValue * bound(cushionBps, 10_000, 10_309) / (p.collateralValue * BPS) + 1;
        collateralFeed.setAnswer(int256(target));
        p = position(CAROL);
        vm.assume(p.liquidatable && p.collateralValue >= p.debtValue);
        partBps = bound(partBps, 0, 9_000);
        if (partBps > 0) {
            uint256 first = debtMarket.debtOf(CAROL) * partBps / BPS;
            vm.assume(first > 0);
            uint256 seized = liquidateAs(LIQUIDATOR, CAROL, debtMarket, first, coll);
            assertLe(seized * target / 10 ** collateralToken.decimals() * 10 ** debtToken.decimals(),
                first * 1e8 * p.collateralValue / p.debtValue + 1e8, "paid no more than the cushion");
            FluxController.AccountPosition memory q = position(CAROL);
            assertGe(q.collateralValue + 1e18 / 1e6, q.debtValue, "still solvent after a partial liquidation");
        }
        (uint256 repay,) = controller.maxLiquidation(CAROL, address(debtMarket), address(coll));
        vm.assume(repay > 0);
        liquidateAs(LIQUIDATOR, CAROL, debtMarket, repay, coll);
        assertEq(
            debtMarket.debtOf(CAROL) == 0 || !controller.hasNoCollateral(CAROL), true, "no debt without collateral"
        );
    }

    // ------------------------------------------------------------------ re-entrancy and token behaviour

    /// @notice A token hook re-entering the same market during a deposit's pull (or a withdrawal's
    ///         push) hits the re-entrancy guard; with the error bubbled, the whole operation reverts.
    function testReentryIntoTheSameMarketReverts() public {
        (ReentrantToken token, FluxMarket market, ReentrancyAttacker attacker) = reentrancySetup();
        bytes[3] memory payloads = [
            abi.encodeCall(FluxMarket.withdraw, (1e18, address(attacker))),
            abi.encodeCall(FluxMarket.borrow, (100e18, address(attacker))),
            abi.encodeCall(FluxMarket.deposit, (1e18, address(attacker)))
        ];
        for (uint256 i = 0; i < payloads.length; ++i) {
            attacker.arm(address(market), payloads[i], true);
            vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
            attacker.deposit(market, 1_000e18);
        }
        assertEq(token.HOOK_SELECTOR(), ReentrancyAttacker.onTokenTransfer.selector, "hook selector");
        attacker.arm(address(market), payloads[0], true);
        attacker.deposit(usdcMarket, 1_000e6); // the hooked token is not moved: not armed-fired
        assertEq(attacker.fired(), false, "hook only fires on the hooked token");

        attacker.arm(address(market), payloads[1], false);
        attacker.deposit(market, 1_000e18);
        assertEq(attacker.innerOk(), false, "inner call failed");
        assertEq(
            attacker.innerError(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "with the re-entrancy error"
        );
        assertEq(market.debtOf(address(attacker)), 0, "no debt was created");
        assertEq(token.balanceOf(address(market)), market.marketState().cash, "tokens == cash");

        attacker.arm(address(market), payloads[2], true);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        attacker.withdraw(market, 1e18);
    }

    /// @notice Re-entering another market during a borrow's token transfer sees the new debt already
    ///         (effects before interactions): it cannot borrow past the limit, only within it.
    function testReentryIntoAnotherMarketDuringBorrowCannotExceedTheLimit() public {
        (, FluxMarket market, ReentrancyAttacker attacker) = reentrancySetup();
        supply(market, BOB, 100_000e18);
        // collateral: 13,000 USDC at 130% supports 10,000 of debt; 9,000 of the 1-USD hooked token leaves 1,000
        usdc.mint(address(attacker), 13_000e6);
        attacker.approve(usdc, address(usdcMarket), 13_000e6);
        attacker.deposit(usdcMarket, 13_000e6);

        // 5,000 USDC would fit if the 9,000 debt were not recorded yet (5,000 <= 10,000)
        attacker.arm(address(usdcMarket), abi.encodeCall(FluxMarket.borrow, (5_000e6, address(attacker))), true);
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerBorrowLimitExceeded.selector, address(attacker), 14_000e18, 10_000e18
            )
        );
        attacker.borrow(market, 9_000e18);

        // within the 1,000 USD headroom: allowed, and the final position is within limit
        attacker.arm(address(usdcMarket), abi.encodeCall(FluxMarket.borrow, (300e6, address(attacker))), true);
        attacker.borrow(market, 9_000e18);
        assertEq(usdcMarket.debtOf(address(attacker)), 300e6, "inner borrow within the limit");
        assertEq(position(address(attacker)).borrowAllowed, true, "position within its limit");
    }

    /// @notice Re-entering another market during a withdrawal's transfer sees the reduced collateral.
    function testReentryIntoAnotherMarketDuringWithdrawSeesReducedCollateral() public {
        (, FluxMarket market, ReentrancyAttacker attacker) = reentrancySetup();
        supply(usdcMarket, BOB, 100_000e6);
        attacker.deposit(market, 13_000e18); // 13,000 USD at 140%: limit 9,285.71
        attacker.borrow(usdcMarket, 8_000e6);
        // after withdrawing 1,000 the limit is 8,571.43: an inner borrow of 600 (8,600) must fail,
        // although it would pass against the collateral before the withdrawal
        attacker.arm(address(usdcMarket), abi.encodeCall(FluxMarket.borrow, (600e6, address(attacker))), true);
        vm.expectRevert(
            abi.encodeWithSelector(
                FluxController.ControllerBorrowLimitExceeded.selector,
                address(attacker),
                8_600e18,
                Math.mulDiv(12_000e18, BPS, WETH_RATIO)
            )
        );
        attacker.withdraw(market, 1_000e18);
        attacker.arm(address(usdcMarket), abi.encodeCall(FluxMarket.borrow, (600e6, address(attacker))), false);
        attacker.withdraw(market, 1_000e18);
        assertEq(attacker.innerOk(), false, "inner borrow refused");
        assertEq(usdcMarket.debtOf(address(attacker)), 8_000e6, "debt unchanged");
        assertEq(position(address(attacker)).borrowAllowed, true, "within limit");
    }

    /// @notice Collateral credited before the tokens arrive cannot be kept: if the pull then fails,
    ///         the borrow made against it in the hook is undone with everything else.
    function testBorrowAgainstUnpaidDepositIsUndone() public {
        (ReentrantToken token, FluxMarket market, ReentrancyAttacker attacker) = reentrancySetup();
        supply(usdcMarket, BOB, 100_000e6);
        uint256 holding = token.balanceOf(address(attacker));
        uint256 usdcHeld = usdc.balanceOf(address(attacker));
        attacker.arm(address(usdcMarket), abi.encodeCall(FluxMarket.borrow, (5_000e6, address(attacker))), true);
        attacker.approve(token, address(market), type(uint256).max);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, address(attacker), holding, holding + 1)
        );
        attacker.deposit(market, holding + 1);
        assertEq(usdc.balanceOf(address(attacker)), usdcHeld, "no USDC borrowed");
        assertEq(usdcMarket.debtOf(address(attacker)), 0, "no debt");
        assertEq(market.sharesOf(address(attacker)), 0, "no shares");
    }

    /// @notice A fee-on-transfer token is refused: the market must receive exactly what it asked for.
    function testFeeOnTransferTokenIsRefused() public {
        FeeOnTransferToken token = new FeeOnTransferToken();
        FluxMarket market = listNewMarket(IERC20(address(token)), new MockAggregator(8, 1e8));
        token.mint(BOB, 1_000e18);
        vm.startPrank(BOB);
        token.approve(address(market), 1_000e18);
        vm.expectRevert(abi.encodeWithSelector(FluxMarket.MarketUnsupportedTransfer.selector, 1_000e18, 990e18));
        market.deposit(1_000e18, BOB);
        vm.stopPrank();
        assertEq(market.totalAssets(), 0, "nothing credited");
    }

    /// @dev A listed market of a 1-USD hooked token; the attacker holds 100,000 and approved the market.
    function reentrancySetup() internal returns (ReentrantToken token, FluxMarket market, ReentrancyAttacker attacker) {
        token = new ReentrantToken();
        market = listNewMarket(IERC20(address(token)), new MockAggregator(8, 1e8));
        attacker = new ReentrancyAttacker();
        token.setHook(address(attacker));
        token.mint(address(attacker), 100_000e18);
        attacker.approve(token, address(market), type(uint256).max);
        usdc.mint(address(attacker), 1_000e6);
        attacker.approve(usdc, address(usdcMarket), type(uint256).max);
    }
}
