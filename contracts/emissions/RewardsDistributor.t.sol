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
        distributor = RewardsDistributor(address(new ERC1967Proxy(
            address(new RewardsDistributor()),
            abi.encodeCall(RewardsDistributor.initialize, (IRewardsDistributor.InitParams({
                owner: address(this),
                token: IERC20(address(token)),
                schedule: IEmissionSchedule(address(schedule)),
                chainId: CHAIN,
                operator: OPERATOR,
                guardian: GUARDIAN,
                challengeWindow: WINDOW
            })))
        )));
        token.setMinterAllowance(address(distributor), 100_000_000e18);
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
        distributor.revokePendingRoot();
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
