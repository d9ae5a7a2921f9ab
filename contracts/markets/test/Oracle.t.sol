// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {FluxMarket} from "../../markets/FluxMarket.sol";
import {FluxOracle} from "../../markets/FluxOracle.sol";
import {IAggregatorV3} from "../../markets/interfaces/IAggregatorV3.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {IFluxOracle} from "../../markets/interfaces/IFluxOracle.sol";
import {MockAggregator} from "../../test/MockAggregator.sol";
import {MockERC20} from "../../test/MockERC20.sol";
import {RevertingFeed} from "../../test/RevertingFeed.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxOracle: refusals, decimals normalization, and what a bad price blocks
 */
contract OracleTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice Prices are scaled so that amount * price / 1e18 is USD with 18 decimals, whatever the decimals.
    function test_getPrice_decimalsNormalization() public {
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
    function test_getPrice_badPricesRevert() public {
        address asset = address(weth);
        vm.warp(block.timestamp + HEARTBEAT);
        assertEq(oracle.getPrice(asset), 2_000e18, "exactly heartbeat old is still fresh");
        vm.warp(block.timestamp + 1);
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleStalePrice.selector, asset, START_TIME, HEARTBEAT));
        oracle.getPrice(asset);

        wethFeed.setAnswer(0);
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleInvalidPrice.selector, asset, int256(0)));
        oracle.getPrice(asset);
        wethFeed.setAnswer(-1);
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleInvalidPrice.selector, asset, int256(-1)));
        oracle.getPrice(asset);

        wethFeed.setRound(7, WETH_PRICE, block.timestamp + 1, 7);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxOracle.OracleInvalidRound.selector, asset, 7, 7, block.timestamp + 1)
        );
        oracle.getPrice(asset);
        wethFeed.setRound(8, WETH_PRICE, block.timestamp, 7);
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleInvalidRound.selector, asset, 8, 7, block.timestamp));
        oracle.getPrice(asset);
        wethFeed.setRound(9, WETH_PRICE, 0, 9);
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleInvalidRound.selector, asset, 9, 9, 0));
        oracle.getPrice(asset);

        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleFeedNotSet.selector, STRANGER));
        oracle.getPrice(STRANGER);
    }

    /// @notice A bad price values that collateral at zero (no borrowing against it) and blocks
    ///         positions that owe the asset, while an account that does not use it is unaffected.
    function test_getPrice_badPriceBlocksOnlyItsUsers() public {
        openStandardPosition();
        supply(usdcMarket, CAROL, 1_000e6);
        supply(wethMarket, BOB, 1e18);
        borrowAs(BOB, wethMarket, 0.01e18);
        wethFeed.setAnswer(0);
        vm.expectRevert(
            abi.encodeWithSelector(IFluxController.ControllerBorrowLimitExceeded.selector, ALICE, 14_010e18, 0)
        );
        borrowAs(ALICE, usdcMarket, 10e6);
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleInvalidPrice.selector, address(weth), int256(0)));
        controller.accountPosition(BOB); // owes WETH: its debt cannot be valued
        borrowAs(CAROL, usdcMarket, 500e6);
        assertEq(usdcMarket.debtOf(CAROL), 500e6, "USDC-only account unaffected by the WETH feed");
    }

    /// @notice tryGetPrice reports every refusal of getPrice as not valid, never reverting: a
    ///         missing feed, a zero answer, a stale one, and a feed that reverts.
    function test_tryGetPrice_neverReverts() public {
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
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleFeedFailed.selector, address(weth), address(broken)));
        oracle.getPrice(address(weth));
    }

    /// @notice setFeed refuses bad heartbeats, decimals that cannot be normalized and zero addresses; owner only.
    function test_setFeed_checks() public {
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleBadHeartbeat.selector, 59));
        oracle.setFeed(address(weth), wethFeed, 59);
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleBadHeartbeat.selector, 2 days + 1));
        oracle.setFeed(address(weth), wethFeed, 2 days + 1);
        oracle.setFeed(address(weth), wethFeed, 60);
        oracle.setFeed(address(weth), wethFeed, 2 days);
        MockAggregator wide = new MockAggregator(19, 1);
        vm.expectRevert(abi.encodeWithSelector(IFluxOracle.OracleBadDecimals.selector, 19, 18));
        oracle.setFeed(address(weth), wide, HEARTBEAT);
        vm.expectRevert(IFluxOracle.OracleZeroAddress.selector);
        oracle.setFeed(address(0), wethFeed, HEARTBEAT);
        vm.expectRevert(IFluxOracle.OracleZeroAddress.selector);
        oracle.setFeed(address(weth), IAggregatorV3(address(0)), HEARTBEAT);

        FluxOracle impl = new FluxOracle();
        expectUnauthorized(STRANGER);
        oracle.setFeed(address(weth), IAggregatorV3(STRANGER), HEARTBEAT);
        expectUnauthorized(STRANGER);
        oracle.upgradeToAndCall(address(impl), "");
        assertEq(address(oracle.feedOf(address(weth)).aggregator), address(wethFeed), "feed unchanged");
        vm.expectRevert(IFluxOracle.OracleZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(FluxOracle.initialize, (address(0))));
    }

    /// @notice A stranger's 1-wei deposit into a market whose feed then lapses cannot block the
    ///         account: it still withdraws and borrows (before the fix both reverted with
    ///         OracleStalePrice, and pausing the market did not help).
    function test_checkPosition_strangersDustInALapsedMarketBlocksNothing() public {
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
}
