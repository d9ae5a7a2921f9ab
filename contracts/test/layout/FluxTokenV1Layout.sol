// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20BurnableUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20BurnableUpgradeable.sol";
import {ERC20CappedUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20CappedUpgradeable.sol";
import {ERC20PermitUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {ERC20VotesUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20VotesUpgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {Ownable2StepUpgradeable} from "@openzeppelin/contracts-upgradeable/access/Ownable2StepUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/**
 * @notice Test-only: FluxToken exactly as at commit 6640132, renamed (reference for the upgrade check in
 *         test/layout.test.ts, which checks this copy against git).
 * @title FLUX governance token (one deployment per chain)
 * @notice ERC-20 with EIP-2612 permit and ERC-5805 votes on the ERC-6372 *timestamp* clock,
 *         behind a UUPS proxy. The owner is the chain's Timelock: it alone authorizes upgrades
 *         and grants minter allowances. The maximum supply is fixed at initialization.
 * @dev Why a timestamp clock: FLUX lives on several chains with very different block times
 *      (Conflux eSpace ~1 s, BNB ~3 s, HECO ~3 s). Seconds make voting delays and periods mean the
 *      same thing everywhere and let a Snapshot proposal and an on-chain one share a schedule.
 *
 *      Minting: governance grants an address an allowance (`setMinterAllowance`); each mint lowers
 *      it. Allowances are absolute, not additive, so a repeated proposal cannot double a grant.
 *      The emissions distributor is such a minter; nothing else can create FLUX, and the cap holds
 *      against every minter together.
 */
contract FluxTokenV1Layout is
    ERC20Upgradeable,
    ERC20BurnableUpgradeable,
    ERC20CappedUpgradeable,
    ERC20PermitUpgradeable,
    ERC20VotesUpgradeable,
    Ownable2StepUpgradeable,
    UUPSUpgradeable
{
    /// @custom:storage-location erc7201:flux.storage.FluxToken
    struct FluxTokenStorage {
        mapping(address minter => uint256) minterAllowance;
    }

    // keccak256(abi.encode(uint256(keccak256("flux.storage.FluxToken")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant FLUX_TOKEN_STORAGE =
        0x14440d951fa8a010c6fafb77a4a36644fb2f3c6c9c21d6330623736de3e27600;

    /// @notice A minter tried to mint more than its remaining allowance.
    error FluxMintAllowanceExceeded(address minter, uint256 allowance, uint256 requested);
    /// @notice The initial owner (Timelock) is the zero address.
    error FluxZeroAddress();
    /// @notice Initial allocations exceed the cap or the arrays differ in length.
    error FluxBadAllocation();
    /// @notice The cap is above what ERC20Votes can checkpoint.
    error FluxCapTooLarge(uint256 cap, uint256 maxSupported);

    /// @notice Governance set `minter`'s remaining allowance from `previous` to `allowance`.
    event MinterAllowanceSet(address indexed minter, uint256 previous, uint256 allowance);
    /// @notice `minter` minted `amount` to `to`; `remaining` allowance is left.
    event Minted(address indexed minter, address indexed to, uint256 amount, uint256 remaining);

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initializes the token behind its proxy.
     * @param name_ ERC-20 name (also the EIP-712 domain name).
     * @param symbol_ ERC-20 symbol.
     * @param cap_ Hard maximum supply, fixed forever.
     * @param owner_ The Timelock of this chain.
     * @param recipients Initial allocation recipients.
     * @param amounts Initial allocation amounts (their sum counts against the cap).
     */
    function initialize(
        string calldata name_,
        string calldata symbol_,
        uint256 cap_,
        address owner_,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) public initializer {
        if (owner_ == address(0)) revert FluxZeroAddress();
        if (cap_ > type(uint208).max) revert FluxCapTooLarge(cap_, type(uint208).max);
        if (recipients.length != amounts.length) revert FluxBadAllocation();
        __ERC20_init(name_, symbol_);
        __ERC20Burnable_init();
        __ERC20Capped_init(cap_);
        __ERC20Permit_init(name_);
        __ERC20Votes_init();
        __Ownable_init(owner_);
        __Ownable2Step_init();
        for (uint256 i = 0; i < recipients.length; ++i) {
            _mint(recipients[i], amounts[i]);
        }
    }

    // ------------------------------------------------------------------ minting

    /**
     * @notice Sets `minter`'s remaining mint allowance (absolute). Only the Timelock.
     * @param minter The address allowed to mint (e.g. the rewards distributor).
     * @param allowance The new remaining allowance; 0 revokes.
     */
    function setMinterAllowance(address minter, uint256 allowance) external onlyOwner {
        if (minter == address(0)) revert FluxZeroAddress();
        FluxTokenStorage storage $ = _fluxStorage();
        uint256 previous = $.minterAllowance[minter];
        $.minterAllowance[minter] = allowance;
        emit MinterAllowanceSet(minter, previous, allowance);
    }

    /**
     * @notice Mints `amount` to `to` out of the caller's minter allowance; the cap still applies.
     * @param to Recipient.
     * @param amount Amount in wei of FLUX.
     */
    function mint(address to, uint256 amount) external {
        FluxTokenStorage storage $ = _fluxStorage();
        uint256 allowance = $.minterAllowance[msg.sender];
        if (amount > allowance) revert FluxMintAllowanceExceeded(msg.sender, allowance, amount);
        uint256 remaining = allowance - amount;
        $.minterAllowance[msg.sender] = remaining;
        _mint(to, amount);
        emit Minted(msg.sender, to, amount, remaining);
    }

    /// @notice Remaining mint allowance of `minter`.
    /// @param minter The minter to query.
    /// @return The allowance in wei.
    function minterAllowance(address minter) external view returns (uint256) {
        return _fluxStorage().minterAllowance[minter];
    }

    // ------------------------------------------------------------------ ERC-6372 clock

    /// @notice ERC-6372 clock: block timestamp.
    /// @return The current timestamp as uint48.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 clock mode.
    /// @return The machine-readable clock description.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    // ------------------------------------------------------------------ overrides

    /// @inheritdoc ERC20PermitUpgradeable
    function nonces(address owner_)
        public
        view
        override(ERC20PermitUpgradeable, NoncesUpgradeable)
        returns (uint256)
    {
        return super.nonces(owner_);
    }

    function _update(address from, address to, uint256 value)
        internal
        override(ERC20Upgradeable, ERC20CappedUpgradeable, ERC20VotesUpgradeable)
    {
        super._update(from, to, value);
    }

    /// @dev Only the Timelock (owner) may upgrade, i.e. only through a passed proposal.
    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _fluxStorage() private pure returns (FluxTokenStorage storage $) {
        assembly {
            $.slot := FLUX_TOKEN_STORAGE
        }
    }
}
