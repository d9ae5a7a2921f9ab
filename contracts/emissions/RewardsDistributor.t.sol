// SPDX-License-Identifier: MIT
// solhint-disable one-contract-per-file, gas-small-strings, func-name-mixedcase
pragma solidity ^0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {FluxToken} from "../governance/FluxToken.sol";
import {EmissionSchedule} from "./EmissionSchedule.sol";
import {RewardsDistributor} from "./RewardsDistributor.sol";
import {IEmissionSchedule} from "./interfaces/IEmissionSchedule.sol";
import {IRewardsDistributor} from "./interfaces/IRewardsDistributor.sol";
import {FluxTest, FluxTestBase} from "../test/utils/FluxTest.sol";

/// @notice Builds FLUX, a schedule (20,000/day, three chains) and a distributor with a minter allowance.
abstract contract DistributorFixture is FluxTestBase {
    uint256 internal constant CHAIN = 1030;
    uint64 internal constant WINDOW = 1 days;
    address internal constant OPERATOR = address(0x0BE7);
    address internal constant GUARDIAN = address(0x6A4D);

    FluxToken internal token;
    EmissionSchedule internal schedule;
    RewardsDistributor internal distributor;

    function _deploy() internal {
        vm.warp(1_000_000);
        address[] memory none = new address[](0);
        uint256[] memory zero = new uint256[](0);
        token = FluxToken(address(new ERC1967Proxy(
            address(new FluxToken()),
            abi.encodeCall(FluxToken.initialize, ("Flux", "FLUX", 100_000_000e18, address(this), none, zero))
        )));
        uint256[] memory chains = new uint256[](3);
        (chains[0], chains[1], chains[2]) = (CHAIN, 56, 128);
        schedule = EmissionSchedule(address(new ERC1967Proxy(
            address(new EmissionSchedule()),
            abi.encodeCall(EmissionSchedule.initialize, (address(this), uint64(block.timestamp), 20_000e18, 0, chains))
        )));
        distributor = _newDistributor(address(0));
        token.setMinterAllowance(address(distributor), 100_000_000e18);
    }

    /// @dev A distributor on this fixture's token and schedule, owned by this contract.
    function _newDistributor(address predecessor) internal returns (RewardsDistributor) {
        return new RewardsDistributor(_params(predecessor));
    }

    function _params(address predecessor) internal view returns (IRewardsDistributor.InitParams memory) {
        return IRewardsDistributor.InitParams({
            owner: address(this),
            token: IERC20(address(token)),
            schedule: IEmissionSchedule(address(schedule)),
            chainId: CHAIN,
            operator: OPERATOR,
            guardian: GUARDIAN,
            challengeWindow: WINDOW,
            predecessor: predecessor
        });
    }

    /// @dev The operator submits a root of `amounts` for `accounts` on `d`, the window passes, anyone activates.
    function _publish(RewardsDistributor d, address[4] memory accounts, uint256[4] memory amounts)
        internal
        returns (bytes32 root, bytes32[][4] memory proofs)
    {
        (root, proofs) = _tree(accounts, amounts);
        uint256 total;
        for (uint256 i = 0; i < 4; ++i) total += amounts[i];
        vm.warp(block.timestamp + 1 days);
        vm.prank(OPERATOR);
        d.submitRoot(root, total, uint64(block.timestamp - 1), keccak256(abi.encode(amounts)));
        vm.warp(block.timestamp + WINDOW);
        d.activateRoot();
    }

    /// @dev The StandardMerkleTree leaf and a 4-leaf tree with commutative (sorted) pair hashing,
    ///      which is what OpenZeppelin's MerkleProof verifies.
    function _leaf(address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
    }

    function _pair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function _tree(address[4] memory accounts, uint256[4] memory amounts)
        internal
        pure
        returns (bytes32 root, bytes32[][4] memory proofs)
    {
        bytes32[4] memory leaves;
        for (uint256 i = 0; i < 4; ++i) leaves[i] = _leaf(accounts[i], amounts[i]);
        bytes32 h01 = _pair(leaves[0], leaves[1]);
        bytes32 h23 = _pair(leaves[2], leaves[3]);
        root = _pair(h01, h23);
        for (uint256 i = 0; i < 4; ++i) {
            proofs[i] = new bytes32[](2);
            proofs[i][0] = leaves[i ^ 1];
            proofs[i][1] = i < 2 ? h23 : h01;
        }
    }
}

/// @notice Drives the distributor with bounded random roots, activations, revocations and claims.
contract DistributorHandler is DistributorFixture {
    address[4] public accounts = [address(0xA1), address(0xA2), address(0xA3), address(0xA4)];
    uint256[4] internal pendingAmounts;
    uint256[4] internal activeAmounts;
    bytes32[][4] internal activeProofs;
    bool internal hasPending;
    uint256 public calls;

    constructor() {
        _deploy();
    }

    /// @notice The distributor under test.
    /// @return Its address.
    function distributorAddress() external view returns (address) {
        return address(distributor);
    }

    /// @notice Active cumulative amount of account `i` as the handler knows it.
    /// @param i Account index.
    /// @return The amount.
    function activeAmount(uint256 i) external view returns (uint256) {
        return activeAmounts[i];
    }

    /// @notice The operator submits a root whose amounts grow by random steps within the budget.
    /// @param seed Randomness.
    /// @param grow Growth driver.
    function submit(uint256 seed, uint256 grow) external {
        ++calls;
        vm.warp(block.timestamp + bound(seed, 1, 2 days));
        if (hasPending) return;
        uint64 end = uint64(block.timestamp - 1);
        IRewardsDistributor.Root memory active = distributor.activeRoot();
        if (end <= active.epochEnd) return;
        uint256 budget = schedule.cumulativeEmission(CHAIN, end);
        uint256[4] memory amounts;
        uint256 total;
        for (uint256 i = 0; i < 4; ++i) {
            amounts[i] = activeAmounts[i] + bound(uint256(keccak256(abi.encode(grow, i))), 0, 1_000e18);
            total += amounts[i];
        }
        if (total > budget) return;
        (bytes32 root,) = _tree(accounts, amounts);
        vm.prank(OPERATOR);
        distributor.submitRoot(root, total, end, keccak256(abi.encode(amounts)));
        pendingAmounts = amounts;
        hasPending = true;
    }

    /// @notice Anyone activates the pending root after the window.
    /// @param wait Seconds to wait first.
    function activate(uint256 wait) external {
        ++calls;
        vm.warp(block.timestamp + bound(wait, 0, 2 days));
        if (!hasPending) return;
        IRewardsDistributor.Root memory p = distributor.pendingRoot();
        if (block.timestamp < p.submittedAt + WINDOW) return;
        distributor.activateRoot();
        activeAmounts = pendingAmounts;
        (, bytes32[][4] memory proofs) = _tree(accounts, activeAmounts);
        for (uint256 i = 0; i < 4; ++i) activeProofs[i] = proofs[i];
        hasPending = false;
    }

    /// @notice The guardian revokes the pending root.
    function revoke() external {
        ++calls;
        if (!hasPending) return;
        vm.prank(GUARDIAN);
        distributor.revokePendingRoot(distributor.pendingRoot().root);
        hasPending = false;
    }

    /// @notice Someone claims for account `which`.
    /// @param which Account selector.
    function claim(uint256 which) external {
        ++calls;
        uint256 i = which % 4;
        if (activeAmounts[i] <= distributor.claimed(accounts[i])) return;
        distributor.claim(accounts[i], activeAmounts[i], activeProofs[i]);
    }

    /// @notice A batch claim with every account twice.
    function claimAllTwice() external {
        ++calls;
        if (distributor.activeRoot().root == bytes32(0)) return;
        address[] memory a = new address[](8);
        uint256[] memory m = new uint256[](8);
        bytes32[][] memory p = new bytes32[][](8);
        for (uint256 k = 0; k < 8; ++k) {
            a[k] = accounts[k % 4];
            m[k] = activeAmounts[k % 4];
            p[k] = activeProofs[k % 4];
        }
        distributor.claimMany(a, m, p);
    }
}

/// @notice Invariants: claimed <= cumulative; sum claimed <= active total <= schedule cap; funds add up.
contract RewardsDistributorInvariantTest is FluxTest {
    DistributorHandler internal handler;

    function setUp() public {
        handler = new DistributorHandler();
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](5);
        selectors[0] = DistributorHandler.submit.selector;
        selectors[1] = DistributorHandler.activate.selector;
        selectors[2] = DistributorHandler.revoke.selector;
        selectors[3] = DistributorHandler.claim.selector;
        selectors[4] = DistributorHandler.claimAllTwice.selector;
        targetSelector(address(handler), selectors);
    }

    /// hardhat-config: invariant.failOnRevert = true
    function invariant_claimedNeverExceedsCumulative() public view {
        RewardsDistributor d = _d();
        for (uint256 i = 0; i < 4; ++i) {
            assertLe(d.claimed(handler.accounts(i)), handler.activeAmount(i), "claimed <= cumulative");
        }
    }

    /// hardhat-config: invariant.failOnRevert = true
    function invariant_totalsWithinSchedule() public view {
        RewardsDistributor d = _d();
        IRewardsDistributor.Root memory active = d.activeRoot();
        uint256 sum;
        for (uint256 i = 0; i < 4; ++i) sum += d.claimed(handler.accounts(i));
        (uint256 funded, uint256 totalClaimed) = d.totals();
        assertEq(totalClaimed, sum, "totals() equals the sum of claims");
        assertLe(sum, active.total, "sum claimed <= active total");
        assertEq(funded, active.total, "funded == active total");
        (, address schedule,,,,,) = d.config();
        assertLe(active.total, EmissionSchedule(schedule).cumulativeEmission(1030, active.epochEnd), "active total <= schedule cap");
    }

    function _d() private view returns (RewardsDistributor) {
        return RewardsDistributor(handler.distributorAddress());
    }
}

/// @notice Unit and fuzz tests: construction, the claim root and the pause, claims, and replacement.
contract RewardsDistributorTest is DistributorFixture, FluxTest {
    address[4] internal users = [address(0xB1), address(0xB2), address(0xB3), address(0xB4)];

    function setUp() public {
        _deploy();
    }

    function _amounts(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256[4] memory m) {
        (m[0], m[1], m[2], m[3]) = (a, b, c, d);
    }

    // ------------------------------------------------------------------ construction

    function test_constructor_refusesBadParameters() public {
        IRewardsDistributor.InitParams memory p = _params(address(0));
        p.token = IERC20(address(0));
        vm.expectRevert(IRewardsDistributor.DistributorZeroAddress.selector);
        new RewardsDistributor(p);
        p = _params(address(0));
        p.schedule = IEmissionSchedule(address(0));
        vm.expectRevert(IRewardsDistributor.DistributorZeroAddress.selector);
        new RewardsDistributor(p);
        p = _params(address(0));
        p.operator = address(0);
        vm.expectRevert(IRewardsDistributor.DistributorZeroAddress.selector);
        new RewardsDistributor(p);
        p = _params(address(0));
        p.chainId = 0;
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorBadParameter.selector, bytes32("chainId")));
        new RewardsDistributor(p);
        p = _params(address(0));
        p.challengeWindow = 1 hours - 1;
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorBadParameter.selector, bytes32("window")));
        new RewardsDistributor(p);
        p.challengeWindow = 7 days + 1;
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorBadParameter.selector, bytes32("window")));
        new RewardsDistributor(p);
        p = _params(address(0));
        p.owner = address(0);
        vm.expectRevert(abi.encodeWithSignature("OwnableInvalidOwner(address)", address(0)));
        new RewardsDistributor(p);
    }

    function test_constructor_setsImmutablesAndConfig() public view {
        (address t, address s, uint256 c, address op, address g, uint64 w, bool paused) = distributor.config();
        assertEq(t, address(token), "token");
        assertEq(s, address(schedule), "schedule");
        assertEq(c, CHAIN, "chain");
        assertEq(op, OPERATOR, "operator");
        assertEq(g, GUARDIAN, "guardian");
        assertEq(uint256(w), uint256(WINDOW), "window");
        assertEq(paused, false, "not paused");
        assertEq(distributor.owner(), address(this), "owner");
        assertEq(distributor.predecessor(), address(0), "no predecessor");
        assertEq(distributor.successor(), address(0), "no successor");
        assertEq(distributor.claimRoot(), bytes32(0), "no claim root");
    }

    // ------------------------------------------------------------------ claim root and pause

    function test_claim_beforeAnyRoot_revertsNoActiveRoot() public {
        bytes32[] memory proof = new bytes32[](0);
        vm.expectRevert(IRewardsDistributor.DistributorNoActiveRoot.selector);
        distributor.claim(users[0], 1, proof);
        vm.expectRevert(IRewardsDistributor.DistributorNoActiveRoot.selector);
        distributor.claimMany(new address[](0), new uint256[](0), new bytes32[][](0));
    }

    function test_pause_zeroesTheClaimRoot_activationWhilePausedWaits_unpauseRestoresTheActiveRoot() public {
        (bytes32 root, bytes32[][4] memory proofs) = _publish(distributor, users, _amounts(10e18, 20e18, 30e18, 40e18));
        assertEq(distributor.claimRoot(), root, "claim root is the active root");

        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorNotGuardian.selector, address(0xBAD)));
        vm.prank(address(0xBAD));
        distributor.pause();

        vm.expectEmit();
        emit IRewardsDistributor.PauseSet(true, GUARDIAN);
        vm.prank(GUARDIAN);
        distributor.pause();
        assertEq(distributor.claimRoot(), bytes32(0), "paused: no claim root");
        (,,,,,, bool paused) = distributor.config();
        assertEq(paused, true, "paused flag");
        assertEq(distributor.activeRoot().root, root, "active root kept");
        vm.expectRevert(IRewardsDistributor.DistributorPaused.selector);
        distributor.claim(users[0], 10e18, proofs[0]);
        vm.expectRevert(IRewardsDistributor.DistributorPaused.selector);
        distributor.claimMany(new address[](0), new uint256[](0), new bytes32[][](0));

        // a root activated while paused becomes active but not claimable
        (bytes32 root2, bytes32[][4] memory proofs2) = _publish(distributor, users, _amounts(11e18, 20e18, 30e18, 40e18));
        assertEq(distributor.activeRoot().root, root2, "activated while paused");
        assertEq(distributor.claimRoot(), bytes32(0), "still paused");

        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", GUARDIAN));
        vm.prank(GUARDIAN);
        distributor.unpause();
        vm.expectEmit();
        emit IRewardsDistributor.PauseSet(false, address(this));
        distributor.unpause();
        assertEq(distributor.claimRoot(), root2, "unpaused: the latest active root");
        assertEq(distributor.claim(users[0], 11e18, proofs2[0]), 11e18, "paid");
    }

    function test_unpause_beforeAnyRoot_leavesNoClaimRoot() public {
        distributor.pause();
        distributor.unpause();
        assertEq(distributor.claimRoot(), bytes32(0), "no root yet");
        bytes32[] memory proof = new bytes32[](0);
        vm.expectRevert(IRewardsDistributor.DistributorNoActiveRoot.selector);
        distributor.claim(users[0], 1, proof);
    }

    // ------------------------------------------------------------------ claims

    /// @notice Two epochs: the first claim pays the first cumulative amount, the second the difference.
    function testFuzz_claim_paysTheCumulativeDifference(uint96 first, uint96 growth, address caller) public {
        vm.assume(caller != address(0));
        // within the schedule's ~6,667 FLUX a day for this chain (one day, then three)
        uint256 a = bound(first, 1, 6_000e18);
        uint256 b = a + bound(growth, 0, 10_000e18);
        (, bytes32[][4] memory p1) = _publish(distributor, users, _amounts(a, 0, 0, 0));
        vm.expectEmit();
        emit IRewardsDistributor.Claimed(users[0], a, a, caller);
        vm.prank(caller);
        assertEq(distributor.claim(users[0], a, p1[0]), a, "first claim");
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorNothingToClaim.selector, users[0]));
        distributor.claim(users[0], a, p1[0]);
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorInvalidProof.selector, users[0], a + 1));
        distributor.claim(users[0], a + 1, p1[0]);
        (, bytes32[][4] memory p2) = _publish(distributor, users, _amounts(b, 0, 0, 0));
        if (growth == 0) {
            vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorNothingToClaim.selector, users[0]));
            distributor.claim(users[0], b, p2[0]);
        } else {
            assertEq(distributor.claim(users[0], b, p2[0]), b - a, "later claim");
        }
        assertEq(distributor.claimed(users[0]), b, "claimed");
        assertEq(token.balanceOf(users[0]), b, "balance");
    }

    // ------------------------------------------------------------------ replacement

    /// @notice The successor continues the cumulative tree: it pays only what the predecessor did not.
    function testFuzz_successor_neverPaysTwice(uint96 paidOld, uint96 growth) public {
        uint256 a = bound(paidOld, 1, 6_000e18);
        uint256 b = a + bound(growth, 0, 10_000e18);
        (, bytes32[][4] memory p1) = _publish(distributor, users, _amounts(a, 5e18, 0, 0));
        distributor.claim(users[0], a, p1[0]); // users[1] does not claim before the switch
        RewardsDistributor next = _newDistributor(address(distributor));
        token.setMinterAllowance(address(next), 100_000_000e18);
        token.setMinterAllowance(address(distributor), 0);
        distributor.retire(address(next));
        assertEq(next.claimed(users[0]), a, "predecessor's claim counts");
        (uint256 fundedBefore,) = distributor.totals();
        (, bytes32[][4] memory p2) = _publish(next, users, _amounts(b, 5e18, 0, 0));
        (uint256 funded, uint256 totalClaimed) = next.totals();
        assertEq(funded, b + 5e18, "funded continues");
        assertEq(funded - fundedBefore, b - a, "minted only the increase");
        if (b == a) {
            vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorNothingToClaim.selector, users[0]));
            next.claim(users[0], b, p2[0]);
        } else {
            assertEq(next.claim(users[0], b, p2[0]), b - a, "only the difference");
        }
        assertEq(next.claim(users[1], 5e18, p2[1]), 5e18, "unclaimed before the switch: paid in full");
        assertEq(token.balanceOf(users[0]), b, "user 0 got its cumulative amount once");
        (, totalClaimed) = next.totals();
        assertEq(totalClaimed, b + 5e18, "totals span both contracts");
        assertEq(token.balanceOf(address(next)), 0, "nothing left over");
    }

    function test_retire_refusesAStrangerAndABadSuccessor_successorWaits() public {
        (bytes32 root,) = _publish(distributor, users, _amounts(10e18, 20e18, 0, 0));
        RewardsDistributor next = _newDistributor(address(distributor));
        assertEq(next.predecessor(), address(distributor), "predecessor");
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorAwaitingPredecessor.selector, address(distributor)));
        vm.prank(OPERATOR);
        next.submitRoot(root, 30e18, uint64(block.timestamp - 1), bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorAwaitingPredecessor.selector, address(distributor)));
        next.activateRoot();
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorNotPredecessor.selector, address(this)));
        next.seed(0, 0, 0);

        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", GUARDIAN));
        vm.prank(GUARDIAN);
        distributor.retire(address(next));
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorBadSuccessor.selector, address(0)));
        distributor.retire(address(0));
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorBadSuccessor.selector, address(distributor)));
        distributor.retire(address(distributor));
        RewardsDistributor stranger = _newDistributor(address(0xDEAD));
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorBadSuccessor.selector, address(stranger)));
        distributor.retire(address(stranger));
        IRewardsDistributor.InitParams memory p = _params(address(distributor));
        p.token = IERC20(address(schedule)); // pays another token
        RewardsDistributor otherToken = new RewardsDistributor(p);
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorBadSuccessor.selector, address(otherToken)));
        distributor.retire(address(otherToken));
    }

    function test_retire_handsOverAndStopsThePredecessor() public {
        (bytes32 root, bytes32[][4] memory p1) = _publish(distributor, users, _amounts(10e18, 20e18, 0, 0));
        distributor.claim(users[0], 10e18, p1[0]);
        // a pending root is revoked by the retirement
        (bytes32 pendingRoot_,) = _tree(users, _amounts(15e18, 20e18, 0, 0));
        vm.warp(block.timestamp + 1 days);
        vm.prank(OPERATOR);
        distributor.submitRoot(pendingRoot_, 35e18, uint64(block.timestamp - 1), bytes32(0));
        IRewardsDistributor.Root memory active = distributor.activeRoot();

        RewardsDistributor next = _newDistributor(address(distributor));
        vm.expectEmit();
        emit IRewardsDistributor.RootRevoked(pendingRoot_, address(this));
        vm.expectEmit();
        emit IRewardsDistributor.Retired(address(next), 20e18);
        vm.expectEmit();
        emit IRewardsDistributor.Seeded(address(distributor), 30e18, 30e18, active.epochEnd);
        distributor.retire(address(next));

        // the predecessor is frozen for good
        assertEq(distributor.successor(), address(next), "successor");
        assertEq(distributor.claimRoot(), bytes32(0), "no claim root");
        assertEq(distributor.pendingRoot().root, bytes32(0), "pending revoked");
        assertEq(token.balanceOf(address(distributor)), 0, "balance moved");
        assertEq(token.balanceOf(address(next)), 20e18, "balance arrived");
        bytes memory retired = abi.encodeWithSelector(IRewardsDistributor.DistributorRetired.selector, address(next));
        vm.expectRevert(retired);
        distributor.claim(users[1], 20e18, p1[1]);
        vm.expectRevert(retired);
        distributor.claimMany(new address[](0), new uint256[](0), new bytes32[][](0));
        vm.expectRevert(retired);
        vm.prank(OPERATOR);
        distributor.submitRoot(root, 30e18, uint64(block.timestamp - 1), bytes32(0));
        vm.expectRevert(retired);
        distributor.activateRoot();
        vm.expectRevert(retired);
        distributor.unpause();
        vm.expectRevert(retired);
        distributor.retire(address(next));

        _assertContinues(next, active, root, p1[1]);
    }

    /// @dev The successor continues from the predecessor's active root (after the handover above).
    function _assertContinues(RewardsDistributor next, IRewardsDistributor.Root memory active, bytes32 root, bytes32[] memory proof)
        private
    {
        // the successor continues from the predecessor's active root
        IRewardsDistributor.Root memory seeded = next.activeRoot();
        assertEq(seeded.root, bytes32(0), "no root of its own yet");
        assertEq(uint256(seeded.total), 30e18, "total continues");
        assertEq(uint256(seeded.epochEnd), uint256(active.epochEnd), "epoch continues");
        (uint256 funded, uint256 totalClaimed) = next.totals();
        assertEq(funded, 30e18, "funded continues");
        assertEq(totalClaimed, 10e18, "claimed continues");
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorNotPredecessor.selector, address(distributor)));
        vm.prank(address(distributor));
        next.seed(0, 0, 0);
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorTotalDecreased.selector, 29e18, 30e18));
        next.submitRoot(root, 29e18, uint64(block.timestamp - 1), bytes32(0));
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(IRewardsDistributor.DistributorBadEpoch.selector, active.epochEnd, active.epochEnd));
        next.submitRoot(root, 30e18, active.epochEnd, bytes32(0));
        vm.expectRevert(IRewardsDistributor.DistributorNoActiveRoot.selector);
        next.claim(users[1], 20e18, proof);
    }
}
