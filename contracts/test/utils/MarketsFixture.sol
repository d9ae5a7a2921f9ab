// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {BeaconProxy} from "@openzeppelin/contracts/proxy/beacon/BeaconProxy.sol";
import {UpgradeableBeacon} from "@openzeppelin/contracts/proxy/beacon/UpgradeableBeacon.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {FluxController} from "../../markets/FluxController.sol";
import {FluxMarket} from "../../markets/FluxMarket.sol";
import {FluxOracle} from "../../markets/FluxOracle.sol";
import {IAggregatorV3} from "../../markets/interfaces/IAggregatorV3.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {IFluxMarket} from "../../markets/interfaces/IFluxMarket.sol";
import {IPriceOracle} from "../../markets/interfaces/IPriceOracle.sol";
import {MockAggregator} from "../../test/MockAggregator.sol";
import {MockERC20} from "../../test/MockERC20.sol";
import {ReentrancyAttacker} from "../../test/ReentrancyAttacker.sol";
import {ReentrantToken} from "../../test/ReentrantToken.sol";
import {FluxTest} from "./FluxTest.sol";

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
    address internal constant COUNCIL = address(0xC0C1);
    address internal constant ATTACKER = address(0xA77AC);
    address internal constant VICTIM = address(0x51C7);

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
    function controllerParams() internal view returns (IFluxController.InitParams memory) {
        return IFluxController.InitParams({
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
    function rateModel() internal pure returns (IFluxMarket.RateModel memory) {
        return IFluxMarket.RateModel({
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
    function position(address account) internal view returns (IFluxController.AccountPosition memory) {
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

    /// @dev Expects setRateModel(m) to revert with MarketBadParameter.
    function expectBadRateModel(IFluxMarket.RateModel memory m) internal {
        vm.expectRevert(IFluxMarket.MarketBadParameter.selector);
        usdcMarket.setRateModel(m);
    }

    function expectBadParameter(bytes32 param, uint256 value) internal {
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerBadParameter.selector, param, value));
    }

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
