// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GovernorUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/GovernorUpgradeable.sol";
import {GovernorSettingsUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorSettingsUpgradeable.sol";
import {GovernorCountingFractionalUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorCountingFractionalUpgradeable.sol";
import {GovernorVotesUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesUpgradeable.sol";
import {GovernorVotesQuorumFractionUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesQuorumFractionUpgradeable.sol";
import {GovernorTimelockControlUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorTimelockControlUpgradeable.sol";
import {GovernorPreventLateQuorumUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorPreventLateQuorumUpgradeable.sol";
import {GovernorProposalGuardianUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorProposalGuardianUpgradeable.sol";
import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/**
 * @notice Test-only: FluxGovernor exactly as at commit 6640132, renamed (reference for the upgrade check in
 *         test/layout.test.ts, which checks this copy against git).
 * @title FLUX Governor (one per chain)
 * @notice OpenZeppelin's Governor and extensions, with their interface unchanged so Tally indexes
 *         it as it is: settings changeable by governance, FLUX votes with a quorum fraction,
 *         execution through the Timelock, late-quorum protection, a proposal guardian that may
 *         cancel, and fractional counting. One rule differs from OpenZeppelin's
 *         GovernorProposalGuardian: without a guardian, the proposer may still cancel only while
 *         the proposal is Pending (see {_validateCancel}).
 * @dev Counting is *fractional* (`support=bravo,fractional`). It is a strict superset of simple
 *      counting: a vote without params counts all weight for one option exactly like
 *      GovernorCountingSimple, so wallets and Tally work unchanged; a vote with params lets a large
 *      holder (an exchange, a custodian, a lending pool holding FLUX for many users) split its
 *      weight between For / Against / Abstain in one or several calls, mirroring its own users.
 *
 *      Upgrades: UUPS, authorized by `onlyGovernance`, i.e. only by the Timelock executing a
 *      passed proposal. The Governor's own state lives in OpenZeppelin's ERC-7201 namespaces.
 */
contract FluxGovernorV1Layout is
    GovernorUpgradeable,
    GovernorSettingsUpgradeable,
    GovernorCountingFractionalUpgradeable,
    GovernorVotesUpgradeable,
    GovernorVotesQuorumFractionUpgradeable,
    GovernorTimelockControlUpgradeable,
    GovernorPreventLateQuorumUpgradeable,
    GovernorProposalGuardianUpgradeable,
    UUPSUpgradeable
{
    /// @notice Parameters of {initialize}, grouped to keep the ABI readable.
    struct Config {
        string name;
        uint48 votingDelay;
        uint32 votingPeriod;
        uint256 proposalThreshold;
        uint256 quorumNumerator;
        uint48 lateQuorumExtension;
        address proposalGuardian;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initializes the Governor behind its proxy.
     * @param token The FLUX token (IVotes, timestamp clock).
     * @param timelock The Timelock that executes and owns everything.
     * @param cfg Delay and period (seconds), threshold (FLUX wei), quorum (% of supply),
     *        late-quorum extension (seconds) and the proposal guardian (may be zero). The guardian
     *        may cancel any proposal before execution; the proposer may cancel only while it is
     *        Pending, with or without a guardian (see {_validateCancel}).
     */
    function initialize(IVotes token, TimelockControllerUpgradeable timelock, Config calldata cfg)
        public
        initializer
    {
        __Governor_init(cfg.name);
        __GovernorSettings_init(cfg.votingDelay, cfg.votingPeriod, cfg.proposalThreshold);
        __GovernorCountingFractional_init();
        __GovernorVotes_init(token);
        __GovernorVotesQuorumFraction_init(cfg.quorumNumerator);
        __GovernorTimelockControl_init(timelock);
        __GovernorPreventLateQuorum_init(cfg.lateQuorumExtension);
        __GovernorProposalGuardian_init();
        if (cfg.proposalGuardian != address(0)) _setProposalGuardian(cfg.proposalGuardian);
    }

    /// @dev Only a passed proposal, executed by the Timelock, may upgrade the Governor.
    function _authorizeUpgrade(address) internal override onlyGovernance {}

    // ------------------------------------------------------------ required overrides

    /// @inheritdoc GovernorSettingsUpgradeable
    function votingDelay() public view override(GovernorUpgradeable, GovernorSettingsUpgradeable) returns (uint256) {
        return super.votingDelay();
    }

    /// @inheritdoc GovernorSettingsUpgradeable
    function votingPeriod() public view override(GovernorUpgradeable, GovernorSettingsUpgradeable) returns (uint256) {
        return super.votingPeriod();
    }

    /// @inheritdoc GovernorSettingsUpgradeable
    function proposalThreshold()
        public
        view
        override(GovernorUpgradeable, GovernorSettingsUpgradeable)
        returns (uint256)
    {
        return super.proposalThreshold();
    }

    /**
     * @notice Votes (For + Abstain) a proposal with snapshot `timepoint` needs: the quorum
     *         numerator (percent) of the FLUX total supply at `timepoint`, rounded down.
     * @dev Total supply counts FLUX that cannot vote: the Timelock's treasury and the rewards
     *      distributor's activated but unclaimed balance (and any undelegated FLUX). They are not
     *      subtracted because ERC20Votes checkpoints only total supply and delegated votes, not
     *      balances, so their balances at `timepoint` are not known exactly. The deployment config
     *      validator refuses any genesis where this quorum exceeds the votable float; README,
     *      "Quorum counts every FLUX in existence", gives the size of the effect.
     * @param timepoint The proposal's snapshot (a timestamp: ERC-6372 timestamp clock).
     * @return The quorum in FLUX wei.
     */
    function quorum(uint256 timepoint)
        public
        view
        override(GovernorUpgradeable, GovernorVotesQuorumFractionUpgradeable)
        returns (uint256)
    {
        return super.quorum(timepoint);
    }

    /// @inheritdoc GovernorTimelockControlUpgradeable
    function state(uint256 proposalId)
        public
        view
        override(GovernorUpgradeable, GovernorTimelockControlUpgradeable)
        returns (ProposalState)
    {
        return super.state(proposalId);
    }

    /// @inheritdoc GovernorTimelockControlUpgradeable
    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(GovernorUpgradeable, GovernorTimelockControlUpgradeable)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc GovernorPreventLateQuorumUpgradeable
    function proposalDeadline(uint256 proposalId)
        public
        view
        override(GovernorUpgradeable, GovernorPreventLateQuorumUpgradeable)
        returns (uint256)
    {
        return super.proposalDeadline(proposalId);
    }

    function _tallyUpdated(uint256 proposalId)
        internal
        override(GovernorUpgradeable, GovernorPreventLateQuorumUpgradeable)
    {
        super._tallyUpdated(proposalId);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor()
        internal
        view
        override(GovernorUpgradeable, GovernorTimelockControlUpgradeable)
        returns (address)
    {
        return super._executor();
    }

    /**
     * @dev Who may cancel a proposal (the state check of `_cancel` still applies: never once it is
     *      Canceled, Expired or Executed):
     *      - the proposal guardian, when one is set, in any state before execution (a queued
     *        proposal's Timelock operation is cancelled with it);
     *      - the proposer, only while the proposal is Pending (OpenZeppelin's base rule), whether or
     *        not a guardian is set.
     *      This replaces GovernorProposalGuardian's rule that, with no guardian, lets the proposer
     *      cancel at any stage (Active, Succeeded, Queued), which would let one proposer undo a vote
     *      the holders already passed.
     */
    function _validateCancel(uint256 proposalId, address caller)
        internal
        view
        override(GovernorUpgradeable, GovernorProposalGuardianUpgradeable)
        returns (bool)
    {
        address guardian = proposalGuardian();
        return (guardian != address(0) && caller == guardian) || GovernorUpgradeable._validateCancel(proposalId, caller);
    }
}
