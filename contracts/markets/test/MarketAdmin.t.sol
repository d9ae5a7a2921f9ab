// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {BeaconProxy} from "@openzeppelin/contracts/proxy/beacon/BeaconProxy.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {FluxMarket} from "../../markets/FluxMarket.sol";
import {IFluxMarket} from "../../markets/interfaces/IFluxMarket.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxMarket storage, initialization, governance setters, reserves and input checks
 */
contract MarketAdminTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice The three ERC-7201 slot literals match the formula, and the first field of each namespace
    ///         really lives there (asset / controller of a market, oracle of the controller, a feed).
    function test_storage_slotsAreErc7201() public view {
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

    /// @notice Only the Timelock sweeps reserves: nobody can empty them ahead of a write-off.
    function test_sweepReserves_onlyTheTimelock() public {
        openStandardPosition();
        vm.warp(block.timestamp + 365 days);
        usdcMarket.accrueInterest();
        assertGt(usdcMarket.marketState().reserves, 0, "reserves built");
        expectUnauthorized(STRANGER);
        usdcMarket.sweepReserves();
        assertGt(usdcMarket.sweepReserves(), 0, "the owner sweeps");
    }

    /// @notice Zero amounts and zero addresses are refused by every entry point.
    function test_userOperations_zeroAmountsAndAddressesRevert() public {
        supply(usdcMarket, BOB, 1_000e6);
        vm.expectRevert(IFluxMarket.MarketZeroAmount.selector);
        usdcMarket.deposit(0, BOB);
        vm.expectRevert(IFluxMarket.MarketZeroAddress.selector);
        usdcMarket.deposit(1, address(0));
        vm.expectRevert(IFluxMarket.MarketZeroAmount.selector);
        borrowAs(BOB, usdcMarket, 0);
        vm.expectRevert(IFluxMarket.MarketZeroAddress.selector);
        vm.prank(BOB);
        usdcMarket.borrow(1, address(0));
        vm.expectRevert(IFluxMarket.MarketZeroAmount.selector);
        vm.prank(BOB);
        usdcMarket.withdraw(0, BOB);
        vm.expectRevert(IFluxMarket.MarketZeroAddress.selector);
        vm.prank(BOB);
        usdcMarket.withdraw(1, address(0));
        vm.expectRevert(IFluxMarket.MarketZeroAmount.selector);
        vm.prank(BOB);
        usdcMarket.redeem(0, BOB);
        vm.expectRevert(IFluxMarket.MarketZeroAmount.selector);
        vm.prank(BOB);
        usdcMarket.repay(0, BOB);
        vm.expectRevert(IFluxMarket.MarketZeroAmount.selector);
        vm.prank(BOB);
        usdcMarket.repay(type(uint256).max, BOB); // no debt: max means 0
        vm.expectRevert(IFluxMarket.MarketZeroAmount.selector);
        vm.prank(BOB);
        usdcMarket.liquidate(ALICE, 0, address(wethMarket));
        vm.expectRevert(IFluxMarket.MarketZeroAmount.selector);
        usdcMarket.sweepReserves();
    }

    /// @notice Rate model and reserve factor bounds, inclusive at the limits; only the owner may set them.
    function test_setRateModel_andReserveFactorBounds() public {
        IFluxMarket.RateModel memory m = rateModel();
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

        m = IFluxMarket.RateModel(1e18, 10e18, 10e18, 0.99e18);
        usdcMarket.setRateModel(m);
        m = IFluxMarket.RateModel(0, 0, 0, 0.01e18);
        usdcMarket.setRateModel(m);
        assertEq(usdcMarket.marketState().rateModel.kink, 0.01e18, "bounds are inclusive");

        vm.expectRevert(IFluxMarket.MarketBadParameter.selector);
        usdcMarket.setReserveFactor(5_001);
        usdcMarket.setReserveFactor(5_000);
        assertEq(usdcMarket.marketState().reserveFactorBps, 5_000, "50% allowed");
    }

    /// @notice Non-owners cannot call any market setter.
    function test_marketGovernance_onlyOwner() public {
        IFluxMarket.RateModel memory model = rateModel();
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
    function test_initialize_market() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        usdcMarket.initialize(usdc, controller, STRANGER, rateModel(), 0);
        FluxMarket impl = FluxMarket(beacon.implementation());
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(usdc, controller, STRANGER, rateModel(), 0);

        vm.expectRevert(IFluxMarket.MarketZeroAddress.selector);
        new BeaconProxy(
            address(beacon),
            abi.encodeCall(FluxMarket.initialize, (IERC20(address(0)), controller, address(this), rateModel(), 0))
        );
        vm.expectRevert(IFluxMarket.MarketBadParameter.selector);
        new BeaconProxy(
            address(beacon), abi.encodeCall(FluxMarket.initialize, (usdc, controller, address(this), rateModel(), 5_001))
        );
    }
}
