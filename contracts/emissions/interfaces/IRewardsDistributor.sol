// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IEmissionSchedule} from "./IEmissionSchedule.sol";

/**
 * @title The FLUX rewards distributor: its public surface
 * @notice The structs, errors and events of the distributor, the operator's, guardian's and
 *         Timelock's calls, claims and views (the operator tools' ABI is compiled from this file).
 *         {RewardsDistributor} implements it and declares none of these itself.
 */
interface IRewardsDistributor {
    // ------------------------------------------------------------------ structs
    /// @notice A published root and what it promises.
    struct Root {
        bytes32 root;
        uint128 total; // sum of all cumulative amounts in the tree
        uint64 epochEnd; // the epoch the tree covers ends here
        uint64 submittedAt;
        bytes32 contentHash; // hash of the tree dump, so anyone can fetch and verify it
    }

    /// @notice Constructor parameters.
    struct InitParams {
        address owner;
        IERC20 token;
        IEmissionSchedule schedule;
        uint256 chainId;
        address operator;
        address guardian;
        uint64 challengeWindow;
        // the distributor this one replaces (address(0) for the first): its claimed amounts count
        // here, and this one accepts roots only once the predecessor has retired in its favour
        address predecessor;
    }

    // ------------------------------------------------------------------ errors
    /// @notice Caller is not the operator.
    error DistributorNotOperator(address caller);
    /// @notice Caller is neither the guardian nor the Timelock.
    error DistributorNotGuardian(address caller);
    /// @notice The root is zero.
    error DistributorZeroRoot();
    /// @notice A zero address where one is required.
    error DistributorZeroAddress();
    /// @notice The new total is below the active total.
    error DistributorTotalDecreased(uint256 total, uint256 activeTotal);
    /// @notice The total exceeds what the schedule allows by the epoch end.
    error DistributorOverBudget(uint256 total, uint256 budget);
    /// @notice The epoch end is not after the active one, or is in the future.
    error DistributorBadEpoch(uint256 epochEnd, uint256 activeEpochEnd);
    /// @notice A root is pending and its challenge window has not passed.
    error DistributorRootPending(uint256 activatableAt);
    /// @notice No root is pending.
    error DistributorNoPendingRoot();
    /// @notice The root to revoke is not the pending one (it was activated or replaced meanwhile).
    error DistributorNotPendingRoot(bytes32 root, bytes32 pending);
    /// @notice The challenge window has not passed.
    error DistributorChallengeWindow(uint256 activatableAt);
    /// @notice The proof does not match the active root.
    error DistributorInvalidProof(address account, uint256 cumulativeAmount);
    /// @notice Nothing left to claim for this account.
    error DistributorNothingToClaim(address account);
    /// @notice Claims are paused.
    error DistributorPaused();
    /// @notice Array lengths differ.
    error DistributorLengthMismatch();
    /// @notice A parameter is out of bounds.
    error DistributorBadParameter(bytes32 param);
    /// @notice No root has been activated yet.
    error DistributorNoActiveRoot();
    /// @notice This distributor has retired in favour of `successor`.
    error DistributorRetired(address successor);
    /// @notice `successor` does not name this distributor as its predecessor, or pays another token.
    error DistributorBadSuccessor(address successor);
    /// @notice Only the predecessor may seed this distributor, once.
    error DistributorNotPredecessor(address caller);
    /// @notice The predecessor has not retired in favour of this distributor yet.
    error DistributorAwaitingPredecessor(address predecessor);

    // ------------------------------------------------------------------ events
    /// @notice A root was submitted and waits its challenge window.
    event RootSubmitted(bytes32 indexed root, uint256 total, uint64 epochEnd, bytes32 contentHash, uint64 activatableAt);
    /// @notice A pending root was revoked.
    event RootRevoked(bytes32 indexed root, address indexed by);
    /// @notice A root became active; `minted` FLUX funded the increase.
    event RootActivated(bytes32 indexed root, uint256 total, uint64 epochEnd, bytes32 contentHash, uint256 minted);
    /// @notice `account` received `amount`; it has claimed `cumulativeClaimed` in all.
    event Claimed(address indexed account, uint256 amount, uint256 cumulativeClaimed, address indexed caller);
    /// @notice Claims paused or unpaused.
    event PauseSet(bool paused, address indexed by);
    /// @notice The operator changed.
    event OperatorSet(address indexed previous, address indexed operator);
    /// @notice The guardian changed.
    event GuardianSet(address indexed previous, address indexed guardian);
    /// @notice The challenge window changed.
    event ChallengeWindowSet(uint64 previous, uint64 window);
    /// @notice This distributor retired: claims stop for good, `balance` FLUX moved to `successor`.
    event Retired(address indexed successor, uint256 balance);
    /// @notice The predecessor handed over: funding, active total and epoch end continue from it.
    event Seeded(address indexed predecessor, uint256 funded, uint256 total, uint64 epochEnd);

    // ------------------------------------------------------------------ functions

    /**
     * @notice Submits a root of cumulative amounts. Only the operator; refused once retired, and
     *         on a successor until its predecessor has handed over.
     * @param root Merkle root (StandardMerkleTree of (address, uint256)).
     * @param total Sum of all cumulative amounts in the tree.
     * @param epochEnd End of the epoch the tree covers (not in the future, after the active one).
     * @param contentHash Hash of the tree dump (for watchers).
     */
    function submitRoot(bytes32 root, uint256 total, uint64 epochEnd, bytes32 contentHash) external;

    /// @notice Activates the pending root after its challenge window, minting the increase of the
    ///         total; it becomes the claim root at once unless claims are paused. Anyone may call.
    function activateRoot() external;

    /**
     * @notice Revokes the pending root, which must be `root`. Guardian or Timelock. Naming the root
     *         makes a revocation sent against a bad root fail, instead of revoking a good one, when
     *         the bad root was activated and another submitted before it was mined.
     * @param root The pending root the guardian checked and means to revoke.
     */
    function revokePendingRoot(bytes32 root) external;

    /**
     * @notice Pays `account` the difference between `cumulativeAmount` and what it already claimed.
     *         Anyone may call for anyone.
     * @param account The account in the tree.
     * @param cumulativeAmount Its cumulative amount in the active tree.
     * @param proof Merkle proof.
     * @return amount Paid now.
     */
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof) external returns (uint256 amount);

    /**
     * @notice Claims for many accounts in one transaction. An account already paid (including a
     *         duplicate within the batch) is skipped, never paid twice; an invalid proof reverts.
     * @param accounts Accounts.
     * @param cumulativeAmounts Their cumulative amounts.
     * @param proofs Their proofs.
     * @return total Paid in all.
     */
    function claimMany(address[] calldata accounts, uint256[] calldata cumulativeAmounts, bytes32[][] calldata proofs) external returns (uint256 total);

    /// @notice Pauses claims: the claim root reads zero until unpaused. Guardian or Timelock.
    function pause() external;

    /// @notice Unpauses claims: the latest active root becomes the claim root again. Only the
    ///         Timelock; refused once retired.
    function unpause() external;

    /// @notice Sets the operator. Only the Timelock.
    /// @param operator_ The new operator.
    function setOperator(address operator_) external;

    /// @notice Sets the guardian (address(0) for none). Only the Timelock.
    /// @param guardian_ The new guardian.
    function setGuardian(address guardian_) external;

    /// @notice Sets the challenge window within [1 hour, 7 days]. Only the Timelock.
    /// @param window Seconds.
    function setChallengeWindow(uint64 window) external;

    /**
     * @notice Retires this distributor in favour of `newDistributor`. Only the Timelock. Claims stop
     *         for good, a pending root is revoked, the whole FLUX balance moves to the successor,
     *         and the successor is seeded with the funded amount and the active root's total and
     *         epoch end. The successor must name this contract as its predecessor and pay the
     *         same token; it reads what each account claimed here, so nothing is paid twice.
     * @param newDistributor The successor.
     */
    function retire(address newDistributor) external;

    /**
     * @notice Takes over from the predecessor. Only the predecessor (from its `retire`), once.
     * @param funded FLUX minted into the predecessor (and its own predecessors) so far.
     * @param total The predecessor's active total: the next root's total may not be lower.
     * @param epochEnd The predecessor's active epoch end: the next root's must be later.
     */
    function seed(uint256 funded, uint256 total, uint64 epochEnd) external;

    /// @notice The active root.
    /// @return The root record.
    function activeRoot() external view returns (Root memory);

    /// @notice The pending root (zero root when none).
    /// @return The root record.
    function pendingRoot() external view returns (Root memory);

    /// @notice What `account` has claimed so far, here or (before its first claim here) from
    ///         the predecessor chain.
    /// @param account The account.
    /// @return Wei of FLUX.
    function claimed(address account) external view returns (uint256);

    /// @notice The root claims are checked against: the active root, or zero while paused,
    ///         retired or before the first activation.
    /// @return The root.
    function claimRoot() external view returns (bytes32);

    /// @notice The distributor this one replaced (address(0) for the first).
    /// @return Its address.
    function predecessor() external view returns (address);

    /// @notice The distributor this one retired in favour of (address(0) while live).
    /// @return Its address.
    function successor() external view returns (address);

    /**
     * @notice Totals: FLUX minted into the distributor and claimed out of it.
     * @dev Claims are the only way FLUX leaves this contract, so claimed = funded - balance (a
     *      direct transfer *to* the contract would only make the figure smaller). Not stored, to
     *      keep a claim to one storage write.
     * @return funded Minted so far.
     * @return totalClaimed Claimed so far.
     */
    function totals() external view returns (uint256 funded, uint256 totalClaimed);

    /// @notice Configuration in one call.
    /// @return token FLUX.
    /// @return schedule The emission schedule.
    /// @return chainId This chain's id in the schedule.
    /// @return operator The operator.
    /// @return guardian The guardian.
    /// @return challengeWindow Seconds.
    /// @return paused Whether claims are paused.
    function config() external view returns ( address token, address schedule, uint256 chainId, address operator, address guardian, uint64 challengeWindow, bool paused );

    /// @notice The StandardMerkleTree leaf of `(account, cumulativeAmount)`.
    /// @param account The account.
    /// @param cumulativeAmount The amount.
    /// @return The leaf hash.
    function leaf(address account, uint256 cumulativeAmount) external pure returns (bytes32);
}
