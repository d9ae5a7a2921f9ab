// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice The emission schedule as the distributor reads it.
interface IEmissionSchedule {
    /// @notice Exact FLUX `chainId` may have distributed by `timestamp`.
    /// @param chainId The chain.
    /// @param timestamp The time.
    /// @return Wei of FLUX.
    function cumulativeEmission(uint256 chainId, uint256 timestamp) external view returns (uint256);
}

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
 * @dev Owner: the Timelock. UUPS; state in an ERC-7201 namespace.
 */
contract RewardsDistributor is OwnableUpgradeable, UUPSUpgradeable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice A published root and what it promises.
    struct Root {
        bytes32 root;
        uint128 total; // sum of all cumulative amounts in the tree
        uint64 epochEnd; // the epoch the tree covers ends here
        uint64 submittedAt;
        bytes32 contentHash; // hash of the tree dump, so anyone can fetch and verify it
    }

    /// @custom:storage-location erc7201:flux.storage.RewardsDistributor
    struct DistributorStorage {
        // one slot: what every claim reads
        IERC20 token;
        bool paused;
        uint64 challengeWindow;
        // the active root: its own slot, read by every claim
        Root active;
        Root pending;
        IEmissionSchedule schedule;
        uint256 chainId; // the schedule's id of this chain
        address operator;
        address guardian;
        uint256 funded; // FLUX minted into this contract so far
        mapping(address account => uint256) claimed;
    }

    // keccak256(abi.encode(uint256(keccak256("flux.storage.RewardsDistributor")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0xe3c63c65fabec0900ee469c956d477fd534b3e94e9bac1a9bd5106f333ae6c00;

    /// @notice Challenge window bounds.
    uint64 public constant MIN_CHALLENGE_WINDOW = 1 hours;
    /// @notice Challenge window bounds.
    uint64 public constant MAX_CHALLENGE_WINDOW = 7 days;

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

    /// @notice Parameters of {initialize}.
    struct InitParams {
        address owner;
        IERC20 token;
        IEmissionSchedule schedule;
        uint256 chainId;
        address operator;
        address guardian;
        uint64 challengeWindow;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the distributor behind its proxy.
    /// @param p Owner (Timelock), FLUX, schedule, this chain's schedule id, operator, guardian, window.
    function initialize(InitParams calldata p) public initializer {
        if (address(p.token) == address(0) || address(p.schedule) == address(0) || p.owner == address(0)) {
            revert DistributorZeroAddress();
        }
        if (p.chainId == 0) revert DistributorBadParameter("chainId");
        __Ownable_init(p.owner);
        DistributorStorage storage $ = _storage();
        $.token = p.token;
        $.schedule = p.schedule;
        $.chainId = p.chainId;
        _setOperator(p.operator);
        _setGuardian(p.guardian);
        _setChallengeWindow(p.challengeWindow);
    }

    // ===================================================================== root lifecycle

    /**
     * @notice Submits a root of cumulative amounts. Only the operator.
     * @param root Merkle root (StandardMerkleTree of (address, uint256)).
     * @param total Sum of all cumulative amounts in the tree.
     * @param epochEnd End of the epoch the tree covers (not in the future, after the active one).
     * @param contentHash Hash of the tree dump (for watchers).
     */
    function submitRoot(bytes32 root, uint256 total, uint64 epochEnd, bytes32 contentHash) external {
        DistributorStorage storage $ = _storage();
        if (msg.sender != $.operator) revert DistributorNotOperator(msg.sender);
        if (root == bytes32(0)) revert DistributorZeroRoot();
        if ($.pending.root != bytes32(0)) {
            uint256 at = uint256($.pending.submittedAt) + $.challengeWindow;
            if (block.timestamp < at) revert DistributorRootPending(at);
            _activate($);
        }
        if (total < $.active.total) revert DistributorTotalDecreased(total, $.active.total);
        if (epochEnd <= $.active.epochEnd || epochEnd > block.timestamp) {
            revert DistributorBadEpoch(epochEnd, $.active.epochEnd);
        }
        uint256 budget = $.schedule.cumulativeEmission($.chainId, epochEnd);
        if (total > budget) revert DistributorOverBudget(total, budget);
        $.pending = Root(root, SafeCast.toUint128(total), epochEnd, uint64(block.timestamp), contentHash);
        emit RootSubmitted(root, total, epochEnd, contentHash, uint64(block.timestamp) + $.challengeWindow);
    }

    /// @notice Activates the pending root after its challenge window. Anyone may call.
    function activateRoot() external nonReentrant {
        DistributorStorage storage $ = _storage();
        if ($.pending.root == bytes32(0)) revert DistributorNoPendingRoot();
        uint256 at = uint256($.pending.submittedAt) + $.challengeWindow;
        if (block.timestamp < at) revert DistributorChallengeWindow(at);
        _activate($);
    }

    /// @notice Revokes the pending root. Guardian or Timelock.
    function revokePendingRoot() external {
        DistributorStorage storage $ = _storage();
        if (msg.sender != $.guardian && msg.sender != owner()) revert DistributorNotGuardian(msg.sender);
        bytes32 root = $.pending.root;
        if (root == bytes32(0)) revert DistributorNoPendingRoot();
        delete $.pending;
        emit RootRevoked(root, msg.sender);
    }

    // ===================================================================== claims

    /**
     * @notice Pays `account` the difference between `cumulativeAmount` and what it already claimed.
     *         Anyone may call for anyone.
     * @param account The account in the tree.
     * @param cumulativeAmount Its cumulative amount in the active tree.
     * @param proof Merkle proof.
     * @return amount Paid now.
     */
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof)
        external
        nonReentrant
        returns (uint256 amount)
    {
        DistributorStorage storage $ = _storage();
        if ($.paused) revert DistributorPaused();
        amount = _claim($, account, cumulativeAmount, proof);
        if (amount == 0) revert DistributorNothingToClaim(account);
        $.token.safeTransfer(account, amount);
    }

    /**
     * @notice Claims for many accounts in one transaction. An account already paid (including a
     *         duplicate within the batch) is skipped, never paid twice; an invalid proof reverts.
     * @param accounts Accounts.
     * @param cumulativeAmounts Their cumulative amounts.
     * @param proofs Their proofs.
     * @return total Paid in all.
     */
    function claimMany(address[] calldata accounts, uint256[] calldata cumulativeAmounts, bytes32[][] calldata proofs)
        external
        nonReentrant
        returns (uint256 total)
    {
        DistributorStorage storage $ = _storage();
        if ($.paused) revert DistributorPaused();
        uint256 n = accounts.length;
        if (cumulativeAmounts.length != n || proofs.length != n) revert DistributorLengthMismatch();
        IERC20 token = $.token;
        for (uint256 i = 0; i < n; ++i) {
            uint256 amount = _claim($, accounts[i], cumulativeAmounts[i], proofs[i]);
            if (amount != 0) {
                total += amount;
                token.safeTransfer(accounts[i], amount);
            }
        }
    }

    // ===================================================================== governance and guardian

    /// @notice Pauses claims. Guardian or Timelock.
    function pause() external {
        DistributorStorage storage $ = _storage();
        if (msg.sender != $.guardian && msg.sender != owner()) revert DistributorNotGuardian(msg.sender);
        $.paused = true;
        emit PauseSet(true, msg.sender);
    }

    /// @notice Unpauses claims. Only the Timelock.
    function unpause() external onlyOwner {
        _storage().paused = false;
        emit PauseSet(false, msg.sender);
    }

    /// @notice Sets the operator. Only the Timelock.
    /// @param operator_ The new operator.
    function setOperator(address operator_) external onlyOwner {
        _setOperator(operator_);
    }

    /// @notice Sets the guardian (address(0) for none). Only the Timelock.
    /// @param guardian_ The new guardian.
    function setGuardian(address guardian_) external onlyOwner {
        _setGuardian(guardian_);
    }

    /// @notice Sets the challenge window within [1 hour, 7 days]. Only the Timelock.
    /// @param window Seconds.
    function setChallengeWindow(uint64 window) external onlyOwner {
        _setChallengeWindow(window);
    }

    // ===================================================================== views

    /// @notice The active root.
    /// @return The root record.
    function activeRoot() external view returns (Root memory) {
        return _storage().active;
    }

    /// @notice The pending root (zero root when none).
    /// @return The root record.
    function pendingRoot() external view returns (Root memory) {
        return _storage().pending;
    }

    /// @notice What `account` has claimed so far.
    /// @param account The account.
    /// @return Wei of FLUX.
    function claimed(address account) external view returns (uint256) {
        return _storage().claimed[account];
    }

    /**
     * @notice Totals: FLUX minted into the distributor and claimed out of it.
     * @dev Claims are the only way FLUX leaves this contract, so claimed = funded - balance (a
     *      direct transfer *to* the contract would only make the figure smaller). Not stored, to
     *      keep a claim to one storage write.
     * @return funded Minted so far.
     * @return totalClaimed Claimed so far.
     */
    function totals() external view returns (uint256 funded, uint256 totalClaimed) {
        DistributorStorage storage $ = _storage();
        funded = $.funded;
        uint256 balance = $.token.balanceOf(address(this));
        totalClaimed = balance >= funded ? 0 : funded - balance;
    }

    /// @notice Configuration in one call.
    /// @return token FLUX.
    /// @return schedule The emission schedule.
    /// @return chainId This chain's id in the schedule.
    /// @return operator The operator.
    /// @return guardian The guardian.
    /// @return challengeWindow Seconds.
    /// @return paused Whether claims are paused.
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
        DistributorStorage storage $ = _storage();
        return (address($.token), address($.schedule), $.chainId, $.operator, $.guardian, $.challengeWindow, $.paused);
    }

    /// @notice The StandardMerkleTree leaf of `(account, cumulativeAmount)`.
    /// @param account The account.
    /// @param cumulativeAmount The amount.
    /// @return The leaf hash.
    function leaf(address account, uint256 cumulativeAmount) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
    }

    // ===================================================================== internals

    function _claim(DistributorStorage storage $, address account, uint256 cumulativeAmount, bytes32[] calldata proof)
        private
        returns (uint256 amount)
    {
        if (!MerkleProof.verifyCalldata(proof, $.active.root, leaf(account, cumulativeAmount))) {
            revert DistributorInvalidProof(account, cumulativeAmount);
        }
        uint256 already = $.claimed[account];
        if (cumulativeAmount <= already) return 0;
        amount = cumulativeAmount - already;
        $.claimed[account] = cumulativeAmount;
        emit Claimed(account, amount, cumulativeAmount, msg.sender);
    }

    function _activate(DistributorStorage storage $) private {
        Root memory r = $.pending;
        delete $.pending;
        $.active = r;
        uint256 minted;
        if (r.total > $.funded) {
            minted = r.total - $.funded;
            $.funded = r.total;
            IFluxMintable(address($.token)).mint(address(this), minted);
        }
        emit RootActivated(r.root, r.total, r.epochEnd, r.contentHash, minted);
    }

    function _setOperator(address operator_) private {
        if (operator_ == address(0)) revert DistributorZeroAddress();
        DistributorStorage storage $ = _storage();
        emit OperatorSet($.operator, operator_);
        $.operator = operator_;
    }

    function _setGuardian(address guardian_) private {
        DistributorStorage storage $ = _storage();
        emit GuardianSet($.guardian, guardian_);
        $.guardian = guardian_;
    }

    function _setChallengeWindow(uint64 window) private {
        if (window < MIN_CHALLENGE_WINDOW || window > MAX_CHALLENGE_WINDOW) revert DistributorBadParameter("window");
        DistributorStorage storage $ = _storage();
        emit ChallengeWindowSet($.challengeWindow, window);
        $.challengeWindow = window;
    }

    /// @dev Only the Timelock may upgrade.
    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _storage() private pure returns (DistributorStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
