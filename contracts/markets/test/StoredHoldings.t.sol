// SPDX-License-Identifier: MIT
// solhint-disable gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IFluxMarket} from "../../markets/interfaces/IFluxMarket.sol";
import {FluxMarket} from "../../markets/FluxMarket.sol";
import {FluxMarketsFixture} from "../../test/utils/MarketsFixture.sol";

/**
 * @title FluxMarket.storedHoldings: the stored shares and borrow snapshots of many accounts
 * @notice What keepers value positions from: with one marketState() read, each entry must give
 *         exactly the account's accountSnapshot (supply rounded down, debt rounded up), after any
 *         history of deposits, borrows, repayments, interest and liquidations.
 */
contract StoredHoldingsTest is FluxMarketsFixture {
    /// @notice Deploys the fixture.
    function setUp() public {
        deployMarkets();
    }

    /// @dev accountSnapshot recomputed from a stored holding and the market's state, as keepers do.
    function fromStored(IFluxMarket.MarketState memory s, IFluxMarket.StoredHolding memory h)
        internal
        pure
        returns (uint256 supplied_, uint256 debt)
    {
        // the market's _sharesToAssets: 1:1 before the first deposit, then pro rata, rounded down
        supplied_ = s.totalShares == 0 ? h.shares : Math.mulDiv(h.shares, s.totalAssets, s.totalShares);
        debt = h.principal == 0 ? 0 : Math.mulDiv(h.principal, s.borrowIndex, h.index, Math.Rounding.Ceil);
    }

    /// @dev Asserts that every one of `accounts` in `market` is given exactly by its stored holding.
    function assertMatchesSnapshots(FluxMarket market, address[] memory accounts) internal view {
        IFluxMarket.StoredHolding[] memory hs = market.storedHoldings(accounts);
        assertEq(hs.length, accounts.length, "one entry per account");
        IFluxMarket.MarketState memory s = market.marketState();
        for (uint256 i = 0; i < accounts.length; ++i) {
            (uint256 sup, uint256 debt) = market.accountSnapshot(accounts[i]);
            (uint256 sup2, uint256 debt2) = fromStored(s, hs[i]);
            assertEq(hs[i].shares, market.sharesOf(accounts[i]), "shares as sharesOf");
            assertEq(sup2, sup, "supplied as accountSnapshot");
            assertEq(debt2, debt, "debt as accountSnapshot");
        }
    }

    /// @notice Stored figures, not accrued ones: the principal and index of the last borrow, and
    ///         zeros for an account that never used the market; the empty list gives an empty list.
    function test_storedHoldings_returnsStoredSharesAndSnapshots() public {
        openStandardPosition();
        warpBy(30 days);
        address[] memory accounts = new address[](4);
        accounts[0] = ALICE;
        accounts[1] = BOB;
        accounts[2] = STRANGER;
        accounts[3] = ALICE;
        IFluxMarket.StoredHolding[] memory hs = usdcMarket.storedHoldings(accounts);
        assertEq(hs[0].shares, 0, "Alice supplied no USDC");
        assertEq(hs[0].principal, 14_000e6, "principal as borrowed, no interest");
        assertEq(hs[0].index, 1e18, "index at the borrow");
        assertEq(hs[1].shares, usdcMarket.sharesOf(BOB), "Bob's shares");
        assertEq(hs[1].principal, 0, "Bob owes nothing");
        assertEq(hs[2].shares + hs[2].principal + hs[2].index, 0, "a stranger: all zero");
        assertEq(hs[3].principal, hs[0].principal, "a repeat gives the same entry");
        assertGt(usdcMarket.debtOf(ALICE), 14_000e6, "while interest accrued");
        assertMatchesSnapshots(usdcMarket, accounts);
        assertEq(usdcMarket.storedHoldings(new address[](0)).length, 0, "empty in, empty out");
    }

    /// @notice After random deposits, borrows, partial repayments, interest and a liquidation, every
    ///         account's stored holding gives its accountSnapshot to the wei, in both markets.
    function testFuzz_storedHoldings_giveAccountSnapshotExactly(
        uint96 wethIn,
        uint64 borrowShareBps,
        uint64 repayShareBps,
        uint32 dt1,
        uint32 dt2,
        uint64 priceDropBps
    ) public {
        uint256 collateral = bound(wethIn, 1e15, 1_000e18);
        supply(usdcMarket, BOB, 10_000_000e6);
        supply(wethMarket, ALICE, collateral);
        supply(wethMarket, CAROL, collateral / 3 + 1);
        // borrow up to 95% of the limit: collateral x 2,000 / 1.4 in USDC units
        uint256 limit = collateral * 2_000 * 1e6 / 1e18 * BPS / WETH_RATIO;
        uint256 debt = limit * bound(borrowShareBps, 100, 9_500) / BPS;
        vm.assume(debt * 1e12 >= MIN_DEBT);
        borrowAs(ALICE, usdcMarket, debt);
        warpBy(bound(dt1, 0, 400 days));
        uint256 owed = usdcMarket.debtOf(ALICE);
        uint256 repay = owed * bound(repayShareBps, 0, 5_000) / BPS;
        if (repay > 0 && (owed - repay) * 1e12 >= MIN_DEBT) repayAs(BOB, usdcMarket, repay, ALICE);
        warpBy(bound(dt2, 0, 400 days));
        setWethPrice(WETH_PRICE * int256(BPS - bound(priceDropBps, 0, 6_000)) / int256(BPS));
        if (position(ALICE).liquidatable) {
            uint256 max = usdcMarket.debtOf(ALICE) * CLOSE_FACTOR / BPS;
            try this.liquidateFor(max / 2 + 1) {} catch {} // any refusal leaves the state as it was
        }
        address[] memory accounts = new address[](4);
        accounts[0] = ALICE;
        accounts[1] = BOB;
        accounts[2] = CAROL;
        accounts[3] = LIQUIDATOR;
        assertMatchesSnapshots(usdcMarket, accounts);
        assertMatchesSnapshots(wethMarket, accounts);
    }

    /// @dev The liquidator repays `repay` of Alice's USDC debt for her WETH (external, so that a
    ///      refusal can be caught and the fuzz run go on).
    function liquidateFor(uint256 repay) external {
        liquidateAs(LIQUIDATOR, ALICE, usdcMarket, repay, wethMarket);
    }
}
