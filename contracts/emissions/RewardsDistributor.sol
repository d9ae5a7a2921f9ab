// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
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
 * @dev Owner: the Timelock. UUPS; state in an ERC-7201 namespace.
 */
contract RewardsDistributor is IRewardsDistributor, OwnableUpgradeable, UUPSUpgradeable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

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

    /// @inheritdoc IRewardsDistributor
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

    /// @inheritdoc IRewardsDistributor
    function activateRoot() external nonReentrant {
        DistributorStorage storage $ = _storage();
        if ($.pending.root == bytes32(0)) revert DistributorNoPendingRoot();
        uint256 at = uint256($.pending.submittedAt) + $.challengeWindow;
        if (block.timestamp < at) revert DistributorChallengeWindow(at);
        _activate($);
    }

    /// @inheritdoc IRewardsDistributor
    function revokePendingRoot() external {
        DistributorStorage storage $ = _storage();
        if (msg.sender != $.guardian && msg.sender != owner()) revert DistributorNotGuardian(msg.sender);
        bytes32 root = $.pending.root;
        if (root == bytes32(0)) revert DistributorNoPendingRoot();
        delete $.pending;
        emit RootRevoked(root, msg.sender);
    }

    // ===================================================================== claims

    /// @inheritdoc IRewardsDistributor
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

    /// @inheritdoc IRewardsDistributor
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

    /// @inheritdoc IRewardsDistributor
    function pause() external {
        DistributorStorage storage $ = _storage();
        if (msg.sender != $.guardian && msg.sender != owner()) revert DistributorNotGuardian(msg.sender);
        $.paused = true;
        emit PauseSet(true, msg.sender);
    }

    /// @inheritdoc IRewardsDistributor
    function unpause() external onlyOwner {
        _storage().paused = false;
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

    // ===================================================================== views

    /// @inheritdoc IRewardsDistributor
    function activeRoot() external view returns (Root memory) {
        return _storage().active;
    }

    /// @inheritdoc IRewardsDistributor
    function pendingRoot() external view returns (Root memory) {
        return _storage().pending;
    }

    /// @inheritdoc IRewardsDistributor
    function claimed(address account) external view returns (uint256) {
        return _storage().claimed[account];
    }

    /// @inheritdoc IRewardsDistributor
    function totals() external view returns (uint256 funded, uint256 totalClaimed) {
        DistributorStorage storage $ = _storage();
        funded = $.funded;
        uint256 balance = $.token.balanceOf(address(this));
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
        DistributorStorage storage $ = _storage();
        return (address($.token), address($.schedule), $.chainId, $.operator, $.guardian, $.challengeWindow, $.paused);
    }

    /// @inheritdoc IRewardsDistributor
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
