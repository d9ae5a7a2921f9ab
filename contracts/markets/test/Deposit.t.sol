// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {FluxMarket} from "../../markets/FluxMarket.sol";
import {IFluxController} from "../../markets/interfaces/IFluxController.sol";
import {IFluxMarket} from "../../markets/interfaces/IFluxMarket.sol";
import {FeeOnTransferToken} from "../../test/FeeOnTransferToken.sol";
import {MockAggregator} from "../../test/MockAggregator.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxMarket.deposit: shares at the exchange rate, caps and listing, donations, fee tokens
 */
contract DepositTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @notice The first deposit mints 1:1; after interest, shares are minted at the higher rate (rounded down).
    function test_deposit_mintsSharesAtTheExchangeRate() public {
        assertEq(supply(usdcMarket, BOB, 1_000e6), 1_000e6, "first deposit is 1:1");
        assertEq(usdcMarket.sharesOf(BOB), 1_000e6, "shares");
        (uint256 supplied,) = usdcMarket.accountSnapshot(BOB);
        assertEq(supplied, 1_000e6, "supplied");
        assertEq(usdc.balanceOf(address(usdcMarket)), 1_000e6, "tokens in the market");

        openStandardPosition();
        warpBy(365 days);
        IFluxMarket.MarketState memory s = usdcMarket.marketState();
        assertGt(s.exchangeRate, 1e18, "exchange rate grew");
        uint256 shares = supply(usdcMarket, CAROL, 1_000e6);
        assertEq(shares, Math.mulDiv(1_000e6, s.totalShares, s.totalAssets), "shares = assets * supply / total, floor");
        assertLe(shares, 1_000e6 - 1, "fewer shares than assets");
    }

    /// @notice A deposit too small to mint one share (exchange rate above 1) is refused.
    function test_deposit_mintingZeroSharesReverts() public {
        openStandardPosition();
        vm.warp(block.timestamp + 365 days);
        usdc.mint(CAROL, 1);
        vm.startPrank(CAROL);
        usdc.approve(address(usdcMarket), 1);
        vm.expectRevert(IFluxMarket.MarketZeroShares.selector);
        usdcMarket.deposit(1, CAROL);
        vm.stopPrank();
    }

    /// @notice A deposit into a market that is not listed is refused by the controller.
    function test_deposit_unlistedMarketReverts() public {
        FluxMarket unlisted = newMarket(usdc);
        usdc.mint(BOB, 1e6);
        vm.startPrank(BOB);
        usdc.approve(address(unlisted), 1e6);
        vm.expectRevert(abi.encodeWithSelector(IFluxController.ControllerMarketNotListed.selector, address(unlisted)));
        unlisted.deposit(1e6, BOB);
        vm.stopPrank();
    }

    /// @notice First-depositor inflation: 1 wei deposit plus a large donation does not move the
    ///         exchange rate (cash is internal); the victim's shares are worth its whole deposit.
    function test_deposit_donationDoesNotInflateShares() public {
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
    function testFuzz_deposit_donationNeverStealsFromTheNextDepositor(uint256 seed, uint256 donation, uint256 deposit) public {
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

    /// @notice A fee-on-transfer token is refused: the market must receive exactly what it asked for.
    function test_deposit_feeOnTransferTokenIsRefused() public {
        FeeOnTransferToken token = new FeeOnTransferToken();
        FluxMarket market = listNewMarket(IERC20(address(token)), new MockAggregator(8, 1e8));
        token.mint(BOB, 1_000e18);
        vm.startPrank(BOB);
        token.approve(address(market), 1_000e18);
        vm.expectRevert(abi.encodeWithSelector(IFluxMarket.MarketUnsupportedTransfer.selector, 1_000e18, 990e18));
        market.deposit(1_000e18, BOB);
        vm.stopPrank();
        assertEq(market.totalAssets(), 0, "nothing credited");
    }
}
