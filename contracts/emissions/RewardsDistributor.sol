// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IEmissionSchedule} from "./interfaces/IEmissionSchedule.sol";
import {IRewardsDistributor} from "./interfaces/IRewardsDistributor.sol";

/// @notice The FLUX token as the distributor uses it (minting within its allowance).
interface IFluxMintable {
    /// @notice Mints out of the caller's minter allowance.
    /// @param to Recipient.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external;
}

/**
 * @title FLUX rewards distributor (one per chain): cumulative Merkle claims
 * @notice Operators compute each epoch's rewards off-chain and publish the Merkle root of every
 *         account's *cumulative* amount. Leaves are OpenZeppelin StandardMerkleTree leaves of
 *         `(address account, uint256 cumulativeAmount)`, so `StandardMerkleTree` dumps and proofs
 *         work unchanged. Anyone may claim for anyone; the account receives the difference between
 *         its cumulative amount and what it already claimed.
 *
 *         Root lifecycle: the operator submits (root, total, epoch end, content hash of the dump);
 *         the root waits a challenge window during which the guardian or governance may revoke
 *         it; after the window anyone activates it. The total never decreases and never exceeds
 *         the schedule's `cumulativeEmission` for this chain at the epoch end, so even a
 *         compromised operator cannot pay out more than the schedule allows. While a root is
 *         pending, a new one may only be submitted once the pending one's window has passed (it
 *         is then activated first), so an operator cannot stall updates by re-submitting; a
 *         revoked root frees the slot at once.
 *
 *         Funding: activation mints the increase of the total (within the distributor's minter
 *         allowance on FLUX) to this contract; claims then transfer.
 *
 *         Not upgradeable (no proxy): the token, schedule, chain id and predecessor are
 *         immutables, and a claim reads one configuration slot, `claimRoot` (the active root, set
 *         to zero while paused or retired, so the pause costs a claim nothing), besides the
 *         account's claimed amount. To change the code, the Timelock deploys a successor naming
 *         this contract as its predecessor and calls {retire}: claims here stop for good, the
 *         balance moves to the successor, and the successor counts what each account claimed
 *         here, so the cumulative tree continues and nothing is paid twice.
 * @dev Owner: the Timelock. Claims write the claimed amount before transferring FLUX (a token
 *      fixed at construction, with no transfer hooks), so they carry no reentrancy guard.
 */
contract RewardsDistributor is IRewardsDistributor, Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Challenge window bounds.
    uint64 public constant MIN_CHALLENGE_WINDOW = 1 hours;
    /// @notice Challenge window bounds.
    uint64 public constant MAX_CHALLENGE_WINDOW = 7 days;

    IERC20 private immutable TOKEN;
    IEmissionSchedule private immutable SCHEDULE;
    uint256 private immutable CHAIN_ID; // the schedule's id of this chain
    IRewardsDistributor private immutable PREDECESSOR;

    // the only configuration slot a claim reads: the active root, or zero while paused or retired
    bytes32 private _claimRoot;
    Root private _active;
    Root private _pending;
    address private _operator;
    uint64 private _challengeWindow;
    bool private _paused;
    bool private _seeded; // roots may be submitted: no predecessor, or it has handed over
    address private _guardian;
    address private _successor;
    uint256 private _funded; // FLUX minted into this contract (and its predecessors) so far
    mapping(address account => uint256) private _claimed;

    /// @notice Deploys a distributor owned by `p.owner` (the Timelock).
    /// @param p Owner (Timelock), FLUX, schedule, this chain's schedule id, operator, guardian,
    ///        window, and the predecessor (address(0) for the first distributor of the chain).
    constructor(InitParams memory p) Ownable(p.owner) {
        if (address(p.token) == address(0) || address(p.schedule) == address(0)) revert DistributorZeroAddress();
        if (p.chainId == 0) revert DistributorBadParameter("chainId");
        TOKEN = p.token;
        SCHEDULE = p.schedule;
        CHAIN_ID = p.chainId;
        PREDECESSOR = IRewardsDistributor(p.predecessor);
        _seeded = p.predecessor == address(0);
        _setOperator(p.operator);
        _setGuardian(p.guardian);
        _setChallengeWindow(p.challengeWindow);
    }

    // ===================================================================== root lifecycle

    /// @inheritdoc IRewardsDistributor
    function submitRoot(bytes32 root, uint256 total, uint64 epochEnd, bytes32 contentHash) external {
        if (msg.sender != _operator) revert DistributorNotOperator(msg.sender);
        _requireLive();
        if (root == bytes32(0)) revert DistributorZeroRoot();
        if (_pending.root != bytes32(0)) {
            uint256 at = uint256(_pending.submittedAt) + _challengeWindow;
            if (block.timestamp < at) revert DistributorRootPending(at);
            _activate();
        }
        if (total < _active.total) revert DistributorTotalDecreased(total, _active.total);
        if (epochEnd <= _active.epochEnd || epochEnd > block.timestamp) {
            revert DistributorBadEpoch(epochEnd, _active.epochEnd);
        }
        uint256 budget = SCHEDULE.cumulativeEmission(CHAIN_ID, epochEnd);
        if (total > budget) revert DistributorOverBudget(total, budget);
        _pending = Root(root, SafeCast.toUint128(total), epochEnd, uint64(block.timestamp), contentHash);
        emit RootSubmitted(root, total, epochEnd, contentHash, uint64(block.timestamp) + _challengeWindow);
    }

    /// @inheritdoc IRewardsDistributor
    function activateRoot() external nonReentrant {
        _requireLive();
        if (_pending.root == bytes32(0)) revert DistributorNoPendingRoot();
        uint256 at = uint256(_pending.submittedAt) + _challengeWindow;
        if (block.timestamp < at) revert DistributorChallengeWindow(at);
        _activate();
    }

    /// @inheritdoc IRewardsDistributor
    function revokePendingRoot(bytes32 root) external {
        _onlyGuardianOrOwner();
        bytes32 pending = _pending.root;
        if (pending == bytes32(0)) revert DistributorNoPendingRoot();
        if (pending != root) revert DistributorNotPendingRoot(root, pending);
        delete _pending;
        emit RootRevoked(root, msg.sender);
    }

    // ===================================================================== claims

    /// @inheritdoc IRewardsDistributor
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof)
        external
        returns (uint256 amount)
    {
        amount = _claim(_liveClaimRoot(), account, cumulativeAmount, proof);
        if (amount == 0) revert DistributorNothingToClaim(account);
        TOKEN.safeTransfer(account, amount);
    }

    /// @inheritdoc IRewardsDistributor
    function claimMany(address[] calldata accounts, uint256[] calldata cumulativeAmounts, bytes32[][] calldata proofs)
        external
        returns (uint256 total)
    {
        bytes32 root = _liveClaimRoot();
        uint256 n = accounts.length;
        if (cumulativeAmounts.length != n || proofs.length != n) revert DistributorLengthMismatch();
        for (uint256 i = 0; i < n; ++i) {
            uint256 amount = _claim(root, accounts[i], cumulativeAmounts[i], proofs[i]);
            if (amount != 0) {
                total += amount;
                TOKEN.safeTransfer(accounts[i], amount);
            }
        }
    }

    // ===================================================================== governance and guardian

    /// @inheritdoc IRewardsDistributor
    function pause() external {
        _onlyGuardianOrOwner();
        _paused = true;
        _claimRoot = bytes32(0);
        emit PauseSet(true, msg.sender);
    }

    /// @inheritdoc IRewardsDistributor
    function unpause() external onlyOwner {
        if (_successor != address(0)) revert DistributorRetired(_successor);
        _paused = false;
        _claimRoot = _active.root;
        emit PauseSet(false, msg.sender);
    }

    /// @inheritdoc IRewardsDistributor
    function setOperator(address operator_) external onlyOwner {
        _setOperator(operator_);
    }

    /// @inheritdoc IRewardsDistributor
    function setGuardian(address guardian_) external onlyOwner {
        _setGuardian(guardian_);
    }

    /// @inheritdoc IRewardsDistributor
    function setChallengeWindow(uint64 window) external onlyOwner {
        _setChallengeWindow(window);
    }

    /// @inheritdoc IRewardsDistributor
    function retire(address newDistributor) external onlyOwner nonReentrant {
        _requireLive();
        if (newDistributor == address(0) || newDistributor == address(this)) revert DistributorBadSuccessor(newDistributor);
        IRewardsDistributor next = IRewardsDistributor(newDistributor);
        (address nextToken,,,,,,) = next.config();
        if (next.predecessor() != address(this) || nextToken != address(TOKEN)) revert DistributorBadSuccessor(newDistributor);
        _successor = newDistributor;
        _claimRoot = bytes32(0);
        bytes32 pendingRoot_ = _pending.root;
        if (pendingRoot_ != bytes32(0)) {
            delete _pending;
            emit RootRevoked(pendingRoot_, msg.sender);
        }
        uint256 balance = TOKEN.balanceOf(address(this));
        emit Retired(newDistributor, balance);
        TOKEN.safeTransfer(newDistributor, balance);
        next.seed(_funded, _active.total, _active.epochEnd);
    }

    /// @inheritdoc IRewardsDistributor
    function seed(uint256 funded, uint256 total, uint64 epochEnd) external {
        if (msg.sender != address(PREDECESSOR) || _seeded) revert DistributorNotPredecessor(msg.sender);
        _seeded = true;
        _funded = funded;
        _active.total = SafeCast.toUint128(total);
        _active.epochEnd = epochEnd;
        emit Seeded(msg.sender, funded, total, epochEnd);
    }

    // ===================================================================== views

    /// @inheritdoc IRewardsDistributor
    function activeRoot() external view returns (Root memory) {
        return _active;
    }

    /// @inheritdoc IRewardsDistributor
    function pendingRoot() external view returns (Root memory) {
        return _pending;
    }

    /// @inheritdoc IRewardsDistributor
    function claimRoot() external view returns (bytes32) {
        return _claimRoot;
    }

    /// @inheritdoc IRewardsDistributor
    function claimed(address account) external view returns (uint256) {
        return _claimedOf(account);
    }

    /// @inheritdoc IRewardsDistributor
    function predecessor() external view returns (address) {
        return address(PREDECESSOR);
    }

    /// @inheritdoc IRewardsDistributor
    function successor() external view returns (address) {
        return _successor;
    }

    /// @inheritdoc IRewardsDistributor
    function totals() external view returns (uint256 funded, uint256 totalClaimed) {
        funded = _funded;
        uint256 balance = TOKEN.balanceOf(address(this));
        totalClaimed = balance >= funded ? 0 : funded - balance;
    }

    /// @inheritdoc IRewardsDistributor
    function config()
        external
        view
        returns (
            address token,
            address schedule,
            uint256 chainId,
            address operator,
            address guardian,
            uint64 challengeWindow,
            bool paused
        )
    {
        return (address(TOKEN), address(SCHEDULE), CHAIN_ID, _operator, _guardian, _challengeWindow, _paused);
    }

    /// @inheritdoc IRewardsDistributor
    function leaf(address account, uint256 cumulativeAmount) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
    }

    // ===================================================================== internals

    /// @dev The claim root, or the reason there is none (those reads happen only when reverting).
    function _liveClaimRoot() private view returns (bytes32 root) {
        root = _claimRoot;
        if (root == bytes32(0)) {
            if (_successor != address(0)) revert DistributorRetired(_successor);
            if (_paused) revert DistributorPaused();
            revert DistributorNoActiveRoot();
        }
    }

    function _claim(bytes32 root, address account, uint256 cumulativeAmount, bytes32[] calldata proof)
        private
        returns (uint256 amount)
    {
        if (!MerkleProof.verifyCalldata(proof, root, leaf(account, cumulativeAmount))) {
            revert DistributorInvalidProof(account, cumulativeAmount);
        }
        uint256 already = _claimedOf(account);
        if (cumulativeAmount <= already) return 0;
        amount = cumulativeAmount - already;
        _claimed[account] = cumulativeAmount;
        emit Claimed(account, amount, cumulativeAmount, msg.sender);
    }

    /// @dev What `account` claimed: here, or before its first claim here, from the predecessor
    ///      (retired before this contract accepted a root, so that figure no longer changes).
    function _claimedOf(address account) private view returns (uint256 already) {
        already = _claimed[account];
        if (already == 0 && address(PREDECESSOR) != address(0)) already = PREDECESSOR.claimed(account);
    }

    function _activate() private {
        Root memory r = _pending;
        delete _pending;
        _active = r;
        if (!_paused) _claimRoot = r.root;
        uint256 minted;
        if (r.total > _funded) {
            minted = r.total - _funded;
            _funded = r.total;
            IFluxMintable(address(TOKEN)).mint(address(this), minted);
        }
        emit RootActivated(r.root, r.total, r.epochEnd, r.contentHash, minted);
    }

    /// @dev Roots are accepted only while live: not retired, and (for a successor) seeded.
    function _requireLive() private view {
        if (_successor != address(0)) revert DistributorRetired(_successor);
        if (!_seeded) revert DistributorAwaitingPredecessor(address(PREDECESSOR));
    }

    function _onlyGuardianOrOwner() private view {
        if (msg.sender != _guardian && msg.sender != owner()) revert DistributorNotGuardian(msg.sender);
    }

    function _setOperator(address operator_) private {
        if (operator_ == address(0)) revert DistributorZeroAddress();
        emit OperatorSet(_operator, operator_);
        _operator = operator_;
    }

    function _setGuardian(address guardian_) private {
        emit GuardianSet(_guardian, guardian_);
        _guardian = guardian_;
    }

    function _setChallengeWindow(uint64 window) private {
        if (window < MIN_CHALLENGE_WINDOW || window > MAX_CHALLENGE_WINDOW) revert DistributorBadParameter("window");
        emit ChallengeWindowSet(_challengeWindow, window);
        _challengeWindow = window;
    }
}
